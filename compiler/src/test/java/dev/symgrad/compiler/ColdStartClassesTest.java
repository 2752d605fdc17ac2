package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM's first compile spins no method-handle classes it can do without (docs/compile-latency.md, cold
 * start): no lambda class per {@code UnaryOp} or {@code BinaryOp} constant, and no
 * {@code java.lang.runtime.ObjectMethods} bootstrap behind a record's generated {@code equals} or
 * {@code hashCode}. Each was milliseconds of a cold compile; together, a third of it. Checked in a
 * fresh JVM, since this one has long loaded everything.
 */
class ColdStartClassesTest {

    private static final Pattern LOADED = Pattern.compile("^\\[[^\\]]*\\]\\[info\\]\\[class,load\\] (\\S+)",
            Pattern.MULTILINE);

    /** The child: compiles and calls two losses, as a cold service or {@code ./symgrad eval} would. */
    public static final class FirstCompiles {
        public static void main(String[] args) {
            CompiledLoss square = Symgrad.compile("(w * x) * (w * x)", List.of("w"), List.of("x"));
            double[] gradient = square.gradientOfSum(new double[] {1}, new double[][] {{1, 2}});
            CompiledLoss logistic = Symgrad.compile("Math.log1p(Math.exp(-y * (w0 * x0 + w1 * x1 + b)))",
                    List.of("w0", "w1", "b"), List.of("x0", "x1", "y"));
            double[] logisticGradient = logistic.gradient(new double[] {0.5, -1, 0.25}, new double[] {1, 2, -1});
            System.out.println("done " + gradient[0] + " " + logisticGradient.length);
        }
    }

    @Test
    void aFirstCompileBootstrapsNoRecordMethodsAndNoLambdaPerOperator(@TempDir Path directory)
            throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.run(directory, Duration.ofMinutes(2), List.of("-Xlog:class+load=info:stdout"),
                FirstCompiles.class);
        String log = child.output();
        assertTrue(child.finished(), "the child JVM did not finish in 2 minutes");
        assertEquals(0, child.exitValue(), () -> "the child JVM failed:\n" + log);
        assertTrue(log.contains("done 10.0 3"), () -> "the child did not compute route (b) of (wx)² at w = 1, x = [1, 2]:\n" + log);

        int classes = 0;
        int lambdaForms = 0;
        Matcher loaded = LOADED.matcher(log);
        while (loaded.find()) {
            String name = loaded.group(1);
            classes++;
            if (name.startsWith("java.lang.invoke.LambdaForm$")) {
                lambdaForms++;
            }
            assertFalse(name.equals("java.lang.runtime.ObjectMethods"),
                    "a record's generated equals, hashCode or toString ran during a plain compile");
            assertFalse(name.startsWith("dev.symgrad.compiler.ir.UnaryOp$$Lambda")
                    || name.startsWith("dev.symgrad.compiler.ir.BinaryOp$$Lambda"), name);
        }
        assertTrue(classes > 500, () -> "the class-loading log was not read (" + log.length() + " characters)");
        System.out.println("a cold compile of two losses loaded " + classes + " classes, " + lambdaForms
                + " of them LambdaForm classes spun at run time");
    }
}
