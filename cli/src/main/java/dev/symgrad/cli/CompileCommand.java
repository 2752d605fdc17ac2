package dev.symgrad.cli;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.parse.SourceLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code symgrad compile}: a static {@code double} method of a Java source file becomes a class file,
 * with the same front end and generator as the build plugin. Quiet on success.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a static double method of a Java source file to a class extending "
                + "dev.symgrad.runtime.GeneratedLoss (a CompiledLoss) and write the .class file.")
final class CompileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "FILE.java", description = "The Java source file.")
    private Path source;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "The static double method.")
    private String method;

    @Option(names = "--wrt", split = ",", paramLabel = "PARAM",
            description = "Method parameters to differentiate (default: the first one).")
    private List<String> wrt = new ArrayList<>();

    @Option(names = "--lengths", paramLabel = "NAME=N[xM][,NAME=N[xM]]",
            description = "The length of every double[] parameter and the shape of every double[][], e.g."
                    + " w=30,x=30 or V=32x64; the elements are the loss's parameters or inputs w[0], w[1], ...,"
                    + " V[0][0], V[0][1], ... (row-major)")
    private String lengths;

    @Option(names = "-d", required = true, paramLabel = "OUTDIR",
            description = "Directory to write the class into, in its package's subdirectory.")
    private Path outputDirectory;

    @Option(names = "--class-name", paramLabel = "NAME",
            description = "Fully qualified name of the generated class (default: <package>.<Class><Method>Loss).")
    private String className;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataError(source.toString(), "cannot read: " + e.getMessage());
        }
        // Malformed lengths are a usage error (IllegalArgumentException); lengths that do not fit the
        // method are a CompileError at the parameter.
        LossCompiler.MethodLoss loss = new LossCompiler().compileMethod(text, source.getFileName().toString(), method, wrt,
                BuildTimeClasses.parseShapes(lengths));
        for (String note : loss.notes()) {
            spec.commandLine().getErr().println("symgrad: note: " + note);
        }
        String name = className != null ? className : defaultClassName(loss.source());
        byte[] bytes = loss.generateClass(name.replace('.', '/'), source.getFileName().toString(), text, Backend.SCALAR);
        Path target = outputDirectory.resolve(name.replace('.', '/') + ".class");
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new DataError(target.toString(), "cannot write: " + e.getMessage());
        }
        return 0;
    }

    /** {@code com.example.LossesLogisticLoss} for method {@code logistic} of {@code com.example.Losses}. */
    static String defaultClassName(SourceLoss loss) {
        String method = loss.methodName();
        String simpleName = loss.className() + Character.toUpperCase(method.charAt(0)) + method.substring(1) + "Loss";
        return loss.packageName().isEmpty() ? simpleName : loss.packageName() + "." + simpleName;
    }
}
