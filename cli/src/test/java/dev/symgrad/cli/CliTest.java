package dev.symgrad.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, in-process through picocli. */
class CliTest {

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
        String firstErrorLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    static Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SymgradCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return runWithInput("", args);
    }

    private static final String SEED = "(w * x) * (w * x)";

    @Nested
    class Diff {

        @Test
        void printsOneSimplifiedDerivativePerParameter() {
            Run run = run("diff", "(w*x + b - y)*(w*x + b - y)", "--wrt", "w,b", "--inputs", "x,y");
            assertEquals(0, run.status(), run.err());
            assertEquals(List.of("d/dw = 2.0 * (x * (b + w * x - y))", "d/db = 2.0 * (b + w * x - y)"),
                    run.out().lines().toList());
            assertEquals("", run.err());
        }

        @Test
        void aLogisticLossPrintsItsStableDerivativeAndAPoissonLossANoteOnStderr() {
            Run logistic = run("diff", "Math.log1p(Math.exp(-y * (w * x)))", "--wrt", "w", "--inputs", "x,y");
            assertEquals(0, logistic.status(), logistic.err());
            assertEquals("d/dw = -(x * y * StableMath.sigmoid(-(w * (x * y))))\n", logistic.out());
            assertEquals("", logistic.err());
            Run poisson = run("diff", "Math.exp(w * x) - y * w * x", "--wrt", "w", "--inputs", "x,y");
            assertEquals(0, poisson.status(), poisson.err());
            assertTrue(poisson.err().startsWith("symgrad: note: Math.exp(w * x) overflows to Infinity once w * x passes"),
                    poisson.err());
            Run eval = run("eval", "Math.exp(w * x) - y * w * x", "--wrt", "w", "--inputs", "x,y", "--at", "w=1",
                    "--batch-inline", "x=1;y=2");
            assertEquals(0, eval.status(), eval.err());
            assertTrue(eval.err().startsWith("symgrad: note: Math.exp(w * x) overflows"), eval.err());
        }

        @Test
        void theSeedDerivative() {
            assertEquals("d/dw = 2.0 * w * (x * x)\n", run("diff", SEED, "--wrt", "w", "--inputs", "x").out());
        }

        @Test
        void orderTwoPrintsTheHessiansUpperTriangle() {
            assertEquals("d2/dwdw = 2.0 * (x * x)\n", run("diff", SEED, "--wrt", "w", "--inputs", "x", "--order", "2").out());
            Run run = run("diff", "w * w * b + Math.sin(b)", "--wrt", "w,b", "--order", "2");
            assertEquals(0, run.status(), run.err());
            assertEquals(List.of("d2/dwdw = 2.0 * b", "d2/dwdb = 2.0 * w", "d2/dbdb = -Math.sin(b)"), run.out().lines().toList());
            Run bad = run("diff", SEED, "--wrt", "w", "--inputs", "x", "--order", "3");
            assertEquals(2, bad.status());
            assertTrue(bad.err().contains("--order must be 1 or 2, got 3"), bad.err());
        }

        @Test
        void readsTheExpressionFromStandardInput() {
            Run run = runWithInput(SEED + "\n", "diff", "-", "--wrt", "w", "--inputs", "x");
            assertEquals("d/dw = 2.0 * w * (x * x)\n", run.out());
        }

        @Test
        void readsTheExpressionFromAFile(@TempDir Path directory) throws IOException {
            Path file = directory.resolve("loss.txt");
            Files.writeString(file, "Math.exp(w *\n  x)\n");
            assertEquals("d/dw = x * Math.exp(w * x)\n", run("diff", "-f", file.toString(), "--wrt", "w", "--inputs", "x").out());
        }

        @Test
        void errorsInAFileNameTheFileAndLine(@TempDir Path directory) throws IOException {
            Path file = directory.resolve("loss.txt");
            Files.writeString(file, "Math.exp(w *\n  z)\n");
            Run run = run("diff", "-f", file.toString(), "--wrt", "w", "--inputs", "x");
            assertEquals(1, run.status());
            assertEquals(file + ":2:3: error: unknown identifier 'z'", run.firstErrorLine());
        }
    }

    @Nested
    class Eval {

        @Test
        void hvpPrintsTheSummedLossesHessianTimesV() {
            // f = (w x)², ∂²f/∂w² = 2x²: over x = 1, 2 the summed Hessian is 10, times v = 1.5.
            Run run = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2",
                    "--hvp", "1.5");
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains("Hessian-vector product of the summed loss, H·v:\n  w = 15.0\n"), run.out());
            Run wrongLength = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2",
                    "--hvp", "1,2");
            assertEquals(2, wrongLength.status());
            assertTrue(wrongLength.err().contains("--hvp needs one value per parameter (1), got 2"), wrongLength.err());
        }

        @Test
        void theSeedShowsBothRoutesAtTen() {
            Run run = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2");
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains("route (a), sum of per-example gradients:\n  w = 10.0\n"), run.out());
            assertTrue(run.out().contains("route (b), gradient of the summed loss:\n  w = 10.0\n"), run.out());
            assertTrue(run.out().contains("largest |a - b|: 0.0"), run.out());
        }

        @Test
        void jsonIsTheDocumentedObjectAndNothingElse() throws IOException {
            Run run = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2", "--json");
            assertEquals("{\"params\":[\"w\"],\"inputs\":[\"x\"],\"loss\":[1.0,4.0],\"totalLoss\":5.0,"
                    + "\"wayA\":{\"w\":10.0},\"wayB\":{\"w\":10.0}}\n", run.out());
            assertEquals("", run.err());
        }

        @Test
        void jsonReadsBackAsTheApisValues(@TempDir Path directory) throws IOException {
            String expression = "Math.log1p(Math.exp(-y * (w * x + b))) + 0.01 * w * w";
            Path csv = directory.resolve("data.csv");
            Files.writeString(csv, "id,x,y,note\n1,0.3,1,a\n2,-1.7,-1,b\n3,2.25,1,c\n4,0.1,-1,d\n");
            Run run = run("eval", expression, "--wrt", "w,b", "--inputs", "x,y", "--at", "w=0.7,b=-0.1",
                    "--batch", csv.toString(), "--json", "--per-example");
            assertEquals(0, run.status(), run.err());
            JsonNode json = new ObjectMapper().readTree(run.out());

            CompiledLoss loss = Symgrad.compile(expression, List.of("w", "b"), List.of("x", "y"));
            double[] params = {0.7, -0.1};
            double[][] columns = {{0.3, -1.7, 2.25, 0.1}, {1, -1, 1, -1}};
            assertArrayEquals(loss.perExampleLosses(params, columns), doubles(json.get("loss")));
            assertEquals(loss.totalLoss(params, columns), json.get("totalLoss").doubleValue());
            double[] wayA = loss.sumOfPerExampleGradients(params, columns);
            double[] wayB = loss.gradientOfSum(params, columns);
            double[][] perExample = loss.perExampleGradients(params, columns);
            List<String> names = List.of("w", "b");
            for (int p = 0; p < 2; p++) {
                assertEquals(wayA[p], json.get("wayA").get(names.get(p)).doubleValue());
                assertEquals(wayB[p], json.get("wayB").get(names.get(p)).doubleValue());
                assertArrayEquals(perExample[p], doubles(json.get("perExampleGradients").get(names.get(p))));
            }
        }

        @Test
        void evalLoadsItsLossAsSymgradCompileDoesAndAOneShotCallRunsTheScalarLoops() throws IOException {
            // 37 examples: several whole vectors and a tail, where the vector loops round differently.
            String expression = "Math.tanh(w * x) * Math.exp(b * x)";
            StringBuilder xs = new StringBuilder();
            double[] x = new double[37];
            for (int i = 0; i < x.length; i++) {
                x[i] = -2.0 + i * 0.113;
                xs.append(i == 0 ? "" : ",").append(x[i]);
            }
            Run run = run("eval", expression, "--wrt", "w,b", "--inputs", "x", "--at", "w=0.7,b=-0.3",
                    "--batch-inline", "x=" + xs, "--json");
            assertEquals(0, run.status(), run.err());
            JsonNode json = new ObjectMapper().readTree(run.out());
            double[] params = {0.7, -0.3};
            double[][] columns = {x};
            List<String> names = List.of("w", "b");
            CompiledLoss runTime = Symgrad.compile(expression, names, List.of("x"));
            CompiledLoss scalar = HiddenClassDefiner.define(Symgrad.generateClass(expression, names, List.of("x"),
                    HiddenClassDefiner.CLASS_NAME, Backend.SCALAR));
            CompiledLoss vector = HiddenClassDefiner.define(Symgrad.generateClass(expression, names, List.of("x"),
                    HiddenClassDefiner.CLASS_NAME, Backend.VECTOR));
            assertTrue(Backend.tiered(), "the cli tests run with the Vector API readable and the auto backend");
            double[] wayB = runTime.gradientOfSum(params, columns);
            assertFalse(java.util.Arrays.equals(vector.gradientOfSum(params, columns),
                    scalar.gradientOfSum(params, columns)), "this batch must tell the backends apart");
            // The tiered backend's kernels start scalar, and one call is far from starting a warm-up.
            assertArrayEquals(scalar.gradientOfSum(params, columns), wayB);
            for (int p = 0; p < 2; p++) {
                assertEquals(wayB[p], json.get("wayB").get(names.get(p)).doubleValue(), names.get(p));
            }
        }

        @Test
        void clipAddsTheClippedSumAndTheNorms() throws IOException {
            // Seed at w = 1: per-example gradients 2 and 8; clipped to norm 3 they are 2 and 3.
            Run run = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2",
                    "--json", "--per-example", "--clip", "3");
            assertEquals(0, run.status(), run.err());
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertEquals(5.0, json.get("clippedSum").get("w").doubleValue());
            assertEquals(3.0, json.get("clipNorm").doubleValue());
            assertTrue(json.get("skippedExamples").isInt(), json.toString());
            assertEquals(0, json.get("skippedExamples").intValue());
            assertArrayEquals(new double[] {2.0, 8.0}, doubles(json.get("perExampleNorms")));
            Run text = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2",
                    "--clip", "3");
            assertTrue(text.out().contains("clipped sum (each example's gradient scaled to norm <= 3.0):\n  w = 5.0\n"
                    + "skipped examples (NaN or infinite gradient, added as zero): 0\n"), text.out());
        }

        @Test
        void vectorsAreDeclaredWithALengthAndNamedByElement() throws IOException {
            Run run = run("eval", "(w[0] * x[0] + w[1] * x[1] - y) * (w[0] * x[0] + w[1] * x[1] - y)", "--wrt", "w[2]",
                    "--inputs", "x[2],y", "--at", "w[0]=1,w[1]=2", "--batch-inline", "x[0]=1,2;x[1]=3,4;y=1,1", "--json");
            assertEquals(0, run.status(), run.err());
            JsonNode json = new ObjectMapper().readTree(run.out());
            // residuals 6 and 9: d/dw0 = 2(6·1 + 9·2) = 48, d/dw1 = 2(6·3 + 9·4) = 108
            assertEquals(48.0, json.get("wayB").get("w[0]").doubleValue());
            assertEquals(108.0, json.get("wayA").get("w[1]").doubleValue());
        }

        @Test
        void aClipNormMustBePositive() {
            Run run = run("eval", SEED, "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,2",
                    "--clip", "0");
            assertEquals(2, run.status());
            assertTrue(run.err().contains("--clip must be positive"), run.err());
        }

        @Test
        void nonFiniteNumbersAreStringsInJson() throws IOException {
            Run run = run("eval", "Math.log(w * x)", "--wrt", "w", "--inputs", "x", "--at", "w=1",
                    "--batch-inline", "x=0,-1", "--json");
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertEquals("-Infinity", json.get("loss").get(0).textValue());
            assertEquals("NaN", json.get("loss").get(1).textValue());
        }

        @Test
        void numbersRoundTripExactly() throws IOException {
            Run run = run("eval", "w * x", "--wrt", "w", "--inputs", "x", "--at", "w=0.1",
                    "--batch-inline", "x=3,0.7,1e-300,123456789.123", "--json");
            JsonNode json = new ObjectMapper().readTree(run.out());
            double[] x = {3, 0.7, 1e-300, 123456789.123};
            for (int i = 0; i < x.length; i++) {
                assertEquals(0.1 * x[i], Double.parseDouble(json.get("loss").get(i).asText()));
            }
        }

        private double[] doubles(JsonNode array) {
            double[] values = new double[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).doubleValue();
            }
            return values;
        }
    }

    @Nested
    class BadData {

        private Run evalCsv(Path csv) {
            return run("eval", "(w*x - y)*(w*x - y)", "--wrt", "w", "--inputs", "x,y", "--at", "w=1",
                    "--batch", csv.toString());
        }

        private Path write(Path directory, String text) throws IOException {
            Path csv = directory.resolve("data.csv");
            Files.writeString(csv, text);
            return csv;
        }

        @Test
        void missingColumn(@TempDir Path directory) throws IOException {
            Path csv = write(directory, "x,z\n1,2\n");
            Run run = evalCsv(csv);
            assertEquals(1, run.status());
            assertEquals(csv + ":1: error: missing column 'y'; the header has [x, z]", run.firstErrorLine());
        }

        @Test
        void nonNumericCellNamesRowAndColumn(@TempDir Path directory) throws IOException {
            Path csv = write(directory, "x,y\n1,2\n3,abc\n");
            Run run = evalCsv(csv);
            assertEquals(1, run.status());
            assertEquals(List.of(csv + ":3: error: column 2 ('y'): 'abc' is not a number", "3,abc", "  ^"),
                    run.err().lines().toList());
        }

        @Test
        void emptyCell(@TempDir Path directory) throws IOException {
            Path csv = write(directory, "x,y\n1,\n");
            assertEquals(csv + ":2: error: column 2 ('y'): empty cell", evalCsv(csv).firstErrorLine());
        }

        @Test
        void raggedRow(@TempDir Path directory) throws IOException {
            Path csv = write(directory, "x,y\n1,2\n3\n");
            Run run = evalCsv(csv);
            assertEquals(1, run.status());
            assertEquals(csv + ":3: error: ragged row: 1 cells but the header has 2", run.firstErrorLine());
        }

        @Test
        void emptyFile(@TempDir Path directory) throws IOException {
            Path csv = write(directory, "");
            Run run = evalCsv(csv);
            assertEquals(1, run.status());
            assertTrue(run.firstErrorLine().startsWith(csv + ": error: empty file"), run.err());
        }

        @Test
        void unreadableFile(@TempDir Path directory) {
            Path csv = directory.resolve("missing.csv");
            Run run = evalCsv(csv);
            assertEquals(1, run.status());
            assertEquals(csv + ": error: cannot read: no such file", run.firstErrorLine());
        }

        @Test
        void inlineBatchWithABadValue() {
            Run run = run("eval", "w*x", "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "x=1,zz");
            assertEquals(1, run.status());
            assertEquals("<batch-inline>:1: error: column 'x', value 2: 'zz' is not a number", run.firstErrorLine());
        }

        @Test
        void neverAStackTrace(@TempDir Path directory) throws IOException {
            for (Run run : List.of(evalCsv(write(directory, "x,y\n1,q\n")),
                    run("diff", "System.exit(0)", "--wrt", "w"),
                    run("eval", "w*x", "--wrt", "w", "--inputs", "x", "--at", "w=1", "--batch-inline", "y=1"))) {
                assertFalse(run.err().contains("\tat "), run.err());
                assertFalse(run.err().contains("Exception"), run.err());
            }
        }
    }

    @Nested
    class ExitCodes {

        @Test
        void zeroOnSuccess() {
            assertEquals(0, run("diff", "w", "--wrt", "w").status());
        }

        @Test
        void oneForAnExpressionError() {
            Run run = run("diff", "w * x + q", "--wrt", "w", "--inputs", "x");
            assertEquals(1, run.status());
            assertEquals(List.of("<expression>:1:9: error: unknown identifier 'q'", "w * x + q", "        ^"),
                    run.err().lines().toList());
            assertEquals("", run.out());
        }

        @Test
        void twoForUsageErrors() {
            assertEquals(2, run("diff", "w").status(), "missing --wrt");
            assertEquals(2, run("diff", "--wrt", "w").status(), "missing expression");
            assertEquals(2, run("eval", "w*x", "--wrt", "w", "--inputs", "x", "--at", "w=1").status(), "missing batch");
            assertEquals(2, run("eval", "w*x", "--wrt", "w", "--inputs", "x", "--at", "q=1", "--batch-inline", "x=1").status());
            assertEquals(2, run("nonsense").status());
            assertEquals(2, run().status(), "no command");
        }

        @Test
        void helpAndVersion() {
            for (String command : List.of("diff", "eval", "compile", "bytecode")) {
                Run run = run(command, "--help");
                assertEquals(0, run.status());
                assertTrue(run.out().startsWith("Usage: symgrad " + command), run.out());
            }
            Run version = run("--version");
            assertEquals(0, version.status());
            assertTrue(version.out().startsWith("symgrad "), version.out());
        }
    }

    @Nested
    class Compile {

        @Test
        void writesALoadableClassForAStaticMethod(@TempDir Path directory) throws Exception {
            Path source = directory.resolve("Losses.java");
            Files.writeString(source, """
                    package com.example;
                    public final class Losses {
                        static double perExampleLoss(double w, double x) { return (w * x) * (w * x); }
                    }
                    """);
            Path out = directory.resolve("classes");
            Run run = run("compile", "--source", source.toString(), "--method", "perExampleLoss", "--wrt", "w",
                    "-d", out.toString());
            assertEquals(0, run.status(), run.err());
            assertEquals("", run.out());
            Path classFile = out.resolve("com/example/LossesPerExampleLossLoss.class");
            assertTrue(Files.exists(classFile));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
                CompiledLoss loss = (CompiledLoss) loader.loadClass("com.example.LossesPerExampleLossLoss")
                        .getConstructor().newInstance();
                assertArrayEquals(new double[] {10.0}, loss.gradientOfSum(new double[] {1}, new double[][] {{1, 2}}));
            }
        }
        @Test
        void arrayParametersGetTheirLengthsFromTheCommandLine(@TempDir Path directory) throws Exception {
            Path source = directory.resolve("Losses.java");
            Files.writeString(source, """
                    package com.example;
                    public final class Losses {
                        static double logistic(double[] w, double b, double[] x, double y) {
                            double z = b;
                            for (int j = 0; j < w.length; j++) {
                                z += w[j] * x[j];
                            }
                            return Math.log1p(Math.exp(-y * z));
                        }
                    }
                    """);
            Path out = directory.resolve("classes");
            Run run = run("compile", "--source", source.toString(), "--method", "logistic", "--wrt", "w,b",
                    "--lengths", "w=2,x=2", "-d", out.toString());
            assertEquals(0, run.status(), run.err());
            try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
                CompiledLoss loss = (CompiledLoss) loader.loadClass("com.example.LossesLogisticLoss")
                        .getConstructor().newInstance();
                assertEquals(List.of("w[0]", "w[1]", "b"), loss.parameters());
                assertEquals(List.of("x[0]", "x[1]", "y"), loss.inputs());
                CompiledLoss string = Symgrad.compile("Math.log1p(Math.exp(-y * (b + w[0] * x[0] + w[1] * x[1])))",
                        List.of("w[2]", "b"), List.of("x[2]", "y"));
                double[] params = {0.5, -1, 0.25};
                double[][] columns = {{1, 2}, {0.5, -1}, {1, -1}};
                assertArrayEquals(string.gradientOfSum(params, columns), loss.gradientOfSum(params, columns));
            }
        }

        @Test
        void aMissingLengthIsAnErrorAtTheParameterAndABadOneAUsageError(@TempDir Path directory) throws IOException {
            Path source = directory.resolve("Losses.java");
            Files.writeString(source, "class Losses {\n    static double f(double[] w) { return w[0]; }\n}\n");
            Run missing = run("compile", "--source", source.toString(), "--method", "f", "-d", directory.toString());
            assertEquals(1, missing.status());
            assertEquals("Losses.java:2:21: error: double[] parameter 'w' needs a length; configure it like w=30",
                    missing.firstErrorLine());
            Run malformed = run("compile", "--source", source.toString(), "--method", "f", "--lengths", "w=two",
                    "-d", directory.toString());
            assertEquals(2, malformed.status());
            assertEquals("compile: error: the length of 'w' must be a whole number, or whole numbers joined by x for a"
                    + " double[][] (like 32x64), got 'two'", malformed.firstErrorLine());
            Run twoDimensions = run("compile", "--source", source.toString(), "--method", "f", "--lengths", "w=3x4",
                    "-d", directory.toString());
            assertEquals(1, twoDimensions.status());
            assertEquals("Losses.java:2:21: error: 'w' is a double[], so its shape has 1 dimension, like w=30; the"
                    + " configured 3x4 has 2", twoDimensions.firstErrorLine());
        }

        @Test
        void reportsErrorsInTheSourceFile(@TempDir Path directory) throws IOException {
            Path source = directory.resolve("Losses.java");
            Files.writeString(source, "class Losses {\n    static double f(double w) { return Math.floor(w); }\n}\n");
            Run run = run("compile", "--source", source.toString(), "--method", "f", "-d", directory.toString());
            assertEquals(1, run.status());
            assertTrue(run.firstErrorLine().startsWith("Losses.java:2:40: error: unsupported call 'Math.floor'"),
                    run.err());
        }
    }

    @Test
    void bytecodePrintsTheGeneratedClass() {
        Run run = run("bytecode", SEED, "--wrt", "w", "--inputs", "x");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("extends dev/symgrad/runtime/GeneratedLoss"), run.out());
        assertTrue(run.out().contains("public static computeGradientOfSum([D[[DII[D)V"), run.out());
    }
}
