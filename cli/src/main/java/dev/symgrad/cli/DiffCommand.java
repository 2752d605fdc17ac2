package dev.symgrad.cli;

import dev.symgrad.compiler.codegen.LossProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code symgrad diff}: the simplified partial derivatives, one line per parameter. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Print the simplified partial derivative of the loss for each parameter, in Java syntax.")
final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    private SymgradCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private LossDeclaration declaration;

    @Mixin
    private ExpressionInput input;

    @Override
    public Integer call() {
        ExpressionInput.Source source = input.read(parent.standardInput());
        LossProgram program = declaration.compile(source);
        PrintWriter out = spec.commandLine().getOut();
        for (int p = 0; p < program.parameters().size(); p++) {
            out.println("d/d" + program.parameters().get(p) + " = " + program.printedDerivatives().get(p));
        }
        out.flush();
        return 0;
    }
}
