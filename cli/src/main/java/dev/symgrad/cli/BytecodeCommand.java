package dev.symgrad.cli;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.TraceClassVisitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code symgrad bytecode}: the generated class as ASM Textifier text (like {@code javap -c}). */
@Command(name = "bytecode", mixinStandardHelpOptions = true,
        description = "Print the class generated for the loss, as ASM Textifier text.")
final class BytecodeCommand implements Callable<Integer> {

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
        byte[] bytes = LossCompiler.generateClass(declaration.compile(source), HiddenClassDefiner.CLASS_NAME,
                source.name(), source.text());
        PrintWriter out = spec.commandLine().getOut();
        new ClassReader(bytes).accept(new TraceClassVisitor(out), 0);
        out.flush();
        return 0;
    }
}
