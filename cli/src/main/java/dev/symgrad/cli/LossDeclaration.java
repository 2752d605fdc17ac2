package dev.symgrad.cli;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.LossProgram;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The {@code --wrt} and {@code --inputs} options shared by the expression commands. */
final class LossDeclaration {

    @Option(names = "--wrt", required = true, split = ",", paramLabel = "PARAM",
            description = "Parameters to differentiate, comma-separated (e.g. w,b).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--inputs", split = ",", paramLabel = "INPUT",
            description = "Per-example inputs, comma-separated (e.g. x,y).")
    List<String> inputs = new ArrayList<>();

    /** Compiles the expression with these parameters and inputs; errors name the expression's source. */
    LossProgram compile(ExpressionInput.Source source) {
        return new LossCompiler().compile(source.text(), source.name(), parameters, inputs);
    }
}
