package dev.symgrad.cli;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.simplify.OverflowNotes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code symgrad diff}: the simplified partial derivatives, one line per parameter; with {@code --order 2}
 * the second partial derivatives, one line per entry of the Hessian's upper triangle.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Print the simplified partial derivative of the loss for each parameter, in Java syntax "
                + "(with --order 2, each second partial derivative).")
final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    private SymgradCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private LossDeclaration declaration;

    @Mixin
    private ExpressionInput input;

    @Option(names = "--order", defaultValue = "1", paramLabel = "N",
            description = "1 (default): the gradient; 2: the Hessian, its upper triangle (it is symmetric).")
    private int order;

    @Override
    public Integer call() {
        if (order != 1 && order != 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--order must be 1 or 2, got " + order);
        }
        ExpressionInput.Source source = input.read(parent.standardInput());
        if (order == 2) {
            List<List<String>> hessian = new LossCompiler().printedHessian(source.text(), source.name(),
                    declaration.parameters, declaration.inputs);
            List<String> names = declaration.compile(source).parameters();
            PrintWriter out = spec.commandLine().getOut();
            for (int p = 0; p < hessian.size(); p++) {
                for (int q = p; q < names.size(); q++) {
                    out.println("d2/d" + names.get(p) + "d" + names.get(q) + " = " + hessian.get(p).get(q - p));
                }
            }
            out.flush();
            return 0;
        }
        LossProgram program = declaration.compile(source);
        for (String note : OverflowNotes.of(program.loss())) {
            spec.commandLine().getErr().println("symgrad: note: " + note);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (int p = 0; p < program.parameters().size(); p++) {
            out.println("d/d" + program.parameters().get(p) + " = " + program.printedDerivatives().get(p));
        }
        out.flush();
        return 0;
    }
}
