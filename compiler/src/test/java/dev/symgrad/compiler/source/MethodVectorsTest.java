package dev.symgrad.compiler.source;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.parse.Limits;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.ErrorAssertions;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.parse.MethodParser;
import dev.symgrad.compiler.parse.SourceLoss;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loss methods with {@code double[]} parameters and {@code for} loops ({@link VectorLosses}, read from its
 * source file): their unrolled form is the IR of the loss string with the loops written out, their indexed
 * form computes its values bit for bit, and (end to end, once the back end compiles indexed losses) their
 * gradients agree with central differences of the same methods run by the JVM.
 */
class MethodVectorsTest {

    /** The reason end-to-end tests of methods with arrays wait. */
    private static final Path SOURCE_FILE = Path.of("src/test/java/dev/symgrad/compiler/source/VectorLosses.java");

    private static String source() {
        try {
            return Files.readString(SOURCE_FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A method of {@link VectorLosses}, and the loss string that writes out its loops. */
    record Case(String method, String wrt, String lengths, String string, List<String> parameters,
                List<String> inputs) {

        /** The loop form, which these small widths would otherwise not get (the compiler unrolls them). */
        LossCompiler.MethodLoss compile() {
            return new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0).compileMethod(source(),
                    "VectorLosses.java", method, List.of(wrt.split(",")), BuildTimeClasses.parseShapes(lengths));
        }

        SourceLoss lower(MethodParser parser) {
            return parser.parse(source(), "VectorLosses.java", method, List.of(wrt.split(",")),
                    BuildTimeClasses.parseShapes(lengths), new ExprFactory());
        }

        /** The loss string's IR, over the elements it declares. */
        Expr stringLoss() {
            return new ExpressionParser().parse(string, ExpressionParser.EXPRESSION_SOURCE, elementNames(parameters),
                    elementNames(inputs), new ExprFactory());
        }

        @Override
        public String toString() {
            return method;
        }
    }

    private static final String LOGISTIC = "Math.log1p(Math.exp(-y * (0 + w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b)))";

    static Stream<Case> cases() {
        String strided = "(-y + (w[0] * x[0] + w[1] * x[1]) + (w[2] * x[2] + w[3] * x[3]) + (w[4] * x[4] + w[5] * x[5]))";
        String residual = "(-y + w[0] * x[0] + w[1] * x[1] + w[2] * x[2])";
        String penalty = "(0 + w[0] * w[0] + w[1] * w[1] + w[2] * w[2])";
        String weighted = "(0 + (0 + 1) * 0.5 * w[0] + (1 + 1) * 0.5 * w[1] + (2 + 1) * 0.5 * w[2])";
        String network = "(0 + v[0] * Math.tanh(0 + w[0] * x[0] + w[1] * x[1] + w[2] * x[2])"
                + " + v[1] * Math.tanh(0 + w[3] * x[0] + w[4] * x[1] + w[5] * x[2]) - y)";
        String z = "b";
        for (int j = 0; j < 3; j++) {
            z = "(x[" + j + "] > 0 ? " + z + " + w[" + j + "] * x[" + j + "] : " + z + " - 0.5 * w[" + j + "] * x[" + j + "])";
        }
        return Stream.of(
                new Case("logistic", "w,b", "w=3,x=3", LOGISTIC, List.of("w[3]", "b"), List.of("x[3]", "y")),
                new Case("inclusiveBound", "w,b", "w=3,x=3", LOGISTIC, List.of("w[3]", "b"), List.of("x[3]", "y")),
                new Case("countingDown", "w,b", "w=3, x=3",
                        "Math.log1p(Math.exp(-y * (0 + w[2] * x[2] + w[1] * x[1] + w[0] * x[0] + b)))",
                        List.of("w[3]", "b"), List.of("x[3]", "y")),
                new Case("strided", "w", "w=6,x=6", strided + " * " + strided, List.of("w[6]"), List.of("x[6]", "y")),
                new Case("ridge", "w", "w=3,x=3", residual + " * " + residual + " + 0.1 * " + penalty + " + 0.01 * "
                        + weighted + " * " + weighted, List.of("w[3]"), List.of("x[3]", "y")),
                new Case("network", "w,v", "w=6,v=2,x=3", network + " * " + network, List.of("w[6]", "v[2]"),
                        List.of("x[3]", "y")),
                new Case("asymmetric", "w,b", "w=3,x=3", "y * " + z + " > 1 ? 0.0 : (1 - y * " + z + ") * (1 - y * " + z
                        + ")", List.of("w[3]", "b"), List.of("x[3]", "y")));
    }

    /** {@code w[3]} declares w[0], w[1], w[2], as the string compiler reads it. */
    private static List<String> elementNames(List<String> declared) {
        List<String> names = new ArrayList<>();
        for (String name : declared) {
            int bracket = name.indexOf('[');
            if (bracket < 0) {
                names.add(name);
                continue;
            }
            int length = Integer.parseInt(name.substring(bracket + 1, name.length() - 1));
            for (int k = 0; k < length; k++) {
                names.add(name.substring(0, bracket) + "[" + k + "]");
            }
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theUnrolledFormIsTheIrOfTheLossStringWithTheLoopsWrittenOut(Case loss) {
        SourceLoss unrolled = loss.lower(MethodParser.unrolled());
        assertEquals(elementNames(loss.parameters()), unrolled.parameters());
        assertEquals(elementNames(loss.inputs()), unrolled.inputs());
        // Records print their structure: the two are the same DAG.
        assertEquals(loss.stringLoss().toString(), unrolled.loss().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theIndexedFormComputesTheValuesOfTheLossStringBitForBit(Case loss) throws Exception {
        SourceLoss indexed = loss.lower(new MethodParser());
        Expr string = loss.stringLoss();
        Method java = Arrays.stream(VectorLosses.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(loss.method())).findFirst().orElseThrow();
        Random random = new Random(11);
        for (int point = 0; point < 20; point++) {
            double[] params = random.doubles(indexed.parameters().size(), -1, 1).toArray();
            double[] example = random.doubles(indexed.inputs().size(), -2, 2).toArray();
            double expected = Evaluator.value(string, params, example);
            assertEquals(expected, new IndexedEvaluator(params, example).value(indexed.loss()));
            assertEquals(expected, (double) java.invoke(null, arguments(indexed, params, example)));
        }
    }
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loopsComputeTheLossOfTheLossStringBitForBitAndItsGradientsToRounding(Case loss) {
        byte[] methodClass = loss.compile().generateClass(HiddenClassDefiner.CLASS_NAME, "VectorLosses.java", source(),
                Backend.SCALAR);
        GeneratedClassVerifier.verify(methodClass);
        CompiledLoss method = HiddenClassDefiner.define(methodClass);
        // Both classes with the scalar batch loops, as the method's is: Symgrad.compile would pick the vector backend
        // where -Dtest=... also runs this class (the vector-backend execution), whose sums add in lane order.
        CompiledLoss string = HiddenClassDefiner.define(Symgrad.generateClass(loss.string(), loss.parameters(),
                loss.inputs(), HiddenClassDefiner.CLASS_NAME));
        Random random = new Random(11);
        double[] params = random.doubles(method.parameters().size(), -1, 1).toArray();
        double[][] columns = new double[method.inputs().size()][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = random.doubles(37, -2, 2).toArray();
        }
        double[] example = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            example[c] = columns[c][5];
        }
        // The loss is the same arithmetic in the same order: equal bit for bit, per example.
        assertEquals(string.loss(params, example), method.loss(params, example));
        assertArrayEquals(string.perExampleLosses(params, columns), method.perExampleLosses(params, columns));
        // Derivatives: the loop form differentiates the sum over j as a sum, the string form term by term,
        // and the simplifier factors each differently, so they agree to rounding.
        assertClose(string.gradient(params, example), method.gradient(params, example));
        assertClose(string.gradientOfSum(params, columns), method.gradientOfSum(params, columns));
        assertClose(string.sumOfPerExampleGradients(params, columns), method.sumOfPerExampleGradients(params, columns));
        double[][] stringPerExample = string.perExampleGradients(params, columns);
        double[][] methodPerExample = method.perExampleGradients(params, columns);
        for (int p = 0; p < stringPerExample.length; p++) {
            assertClose(stringPerExample[p], methodPerExample[p]);
        }
        assertClose(string.clippedGradientSum(params, columns, 0.5), method.clippedGradientSum(params, columns, 0.5));
        assertClose(new double[] {string.totalLoss(params, columns)}, new double[] {method.totalLoss(params, columns)});
    }
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsAgreeWithCentralDifferencesOfTheJavaMethod(Case loss) throws Exception {
        LossCompiler.MethodLoss compiled = loss.compile();
        CompiledLoss generated = HiddenClassDefiner.define(
                compiled.generateClass(HiddenClassDefiner.CLASS_NAME, "VectorLosses.java", source(), Backend.SCALAR));
        Method java = Arrays.stream(VectorLosses.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(loss.method())).findFirst().orElseThrow();
        Random random = new Random(7);
        for (int point = 0; point < 20; point++) {
            double[] params = random.doubles(generated.parameters().size(), -1, 1).toArray();
            double[] example = random.doubles(generated.inputs().size(), -2, 2).toArray();
            double expected = (double) java.invoke(null, arguments(compiled.source(), params, example));
            assertEquals(expected, generated.loss(params, example), 1e-12 * (1 + Math.abs(expected)));
            double[] gradient = generated.gradient(params, example);
            for (int p = 0; p < params.length; p++) {
                String name = generated.parameters().get(p);
                double h = 1e-6;
                double[] up = params.clone();
                double[] down = params.clone();
                up[p] += h;
                down[p] -= h;
                double difference = ((double) java.invoke(null, arguments(compiled.source(), up, example))
                        - (double) java.invoke(null, arguments(compiled.source(), down, example))) / (2 * h);
                assertEquals(difference, gradient[p], 1e-6 * (1 + Math.abs(difference)),
                        () -> loss.method() + " d/d" + name);
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-13 * (1 + Math.abs(expected[k])), "entry " + k);
        }
    }

    /** The Java method's arguments, arrays rebuilt from the flat params and example as the loss numbers them. */
    private static Object[] arguments(SourceLoss loss, double[] params, double[] example) {
        List<Object> arguments = new ArrayList<>();
        for (String name : loss.declarationOrder()) {
            Integer length = loss.lengths().get(name);
            String first = length == null ? name : name + "[0]";
            int offset = loss.parameters().indexOf(first);
            double[] values = offset >= 0 ? params : example;
            offset = offset >= 0 ? offset : loss.inputs().indexOf(first);
            arguments.add(length == null ? (Object) values[offset] : Arrays.copyOfRange(values, offset, offset + length));
        }
        return arguments.toArray();
    }

    @Test
    void elementsStandInDeclarationOrderWhereTheArrayStands() {
        SourceLoss loss = new Case("logistic", "b", "x=3,w=3", "", List.of(), List.of()).lower(new MethodParser());
        assertEquals(List.of("b"), loss.parameters());
        assertEquals(List.of("w[0]", "w[1]", "w[2]", "x[0]", "x[1]", "x[2]", "y"), loss.inputs());
        SourceLoss twoVectors = cases().filter(c -> c.method().equals("network")).findFirst().orElseThrow()
                .lower(new MethodParser());
        assertEquals(List.of("w[0]", "w[1]", "w[2]", "w[3]", "w[4]", "w[5]", "v[0]", "v[1]"), twoVectors.parameters());
        assertEquals(Map.of("w", 6, "v", 2, "x", 3), twoVectors.lengths());
    }
    @Test
    void theWrongNumberOfValuesAtCallTimeNamesTheElements() {
        CompiledLoss loss = HiddenClassDefiner.define(cases().findFirst().orElseThrow().compile()
                .generateClass(HiddenClassDefiner.CLASS_NAME, "VectorLosses.java", source(), Backend.SCALAR));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> loss.gradientOfSum(new double[3], new double[4][2]));
        assertTrue(error.getMessage().contains("[w[0], w[1], w[2], b]"), error.getMessage());
    }
    private static final String WIDE_LOGISTIC = """
            class Losses {
                static double logistic(double[] w, double b, double[] x, double y) {
                    double z = b;
                    for (int j = 0; j < w.length; j++) { z += w[j] * x[j]; }
                    return Math.log1p(Math.exp(-y * z));
                }
            }
            """;

    private static LossCompiler.MethodLoss wideLogistic(LossCompiler compiler, int d) {
        return compiler.compileMethod(WIDE_LOGISTIC, "Losses.java", "logistic", List.of("w", "b"),
                Map.of("w", List.of(d), "x", List.of(d)));
    }

    @Test
    void aTwoThousandFeatureLoopStaysALoopInAClassThatVerifies() {
        // The unrolled form refused this width: its constructor alone would have had 95,561 bytes.
        LossCompiler.MethodLoss loss = wideLogistic(new LossCompiler(), 2000);
        assertTrue(loss.isIndexed());
        assertEquals(2001, loss.source().parameters().size());
        byte[] classBytes = loss.generateClass(HiddenClassDefiner.CLASS_NAME, "Losses.java", WIDE_LOGISTIC,
                Backend.SCALAR);
        GeneratedClassVerifier.verify(classBytes);
        double[] params = new double[2001];
        double[] example = new double[2001];
        params[2000] = 1; // b = 1 and w = 0, y = 1: the loss is log(1 + e^-1)
        example[2000] = 1;
        assertEquals(Math.log1p(Math.exp(-1)), HiddenClassDefiner.define(classBytes).loss(params, example), 1e-15);
    }

    @Test
    void theCompilerUnrollsSmallArrayMethodsAndKeepsWideOnesAsLoops() {
        // Written out, 16 features are about fifty nodes: the scalar pipeline is faster there; 30 features
        // (about a hundred) are faster as loops (LossCompiler.MAX_UNROLLED_NODES).
        assertFalse(wideLogistic(new LossCompiler(), 16).isIndexed());
        assertTrue(wideLogistic(new LossCompiler(), 30).isIndexed());
        assertTrue(wideLogistic(new LossCompiler(), 1000).isIndexed());
        // The limit is the compiler's choice; at 0 every array method keeps its loops.
        assertTrue(wideLogistic(new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0), 16).isIndexed());
    }

    /** Each fixture is a method body in a file {@code class Losses { ... }} and the exact headline. */
    @Nested
    class Rejects {

        private void assertError(String lengths, String method, String headline) {
            String source = "class Losses {\n" + method + "\n}\n";
            CompileError error = assertThrows(CompileError.class, () -> new LossCompiler().compileMethod(source,
                    "Losses.java", "f", List.of(), BuildTimeClasses.parseShapes(lengths)), () -> "accepted: " + method);
            assertEquals(headline, error.headline(), () -> "for: " + method);
            ErrorAssertions.assertRendering(error);
        }

        private static final String F = "static double f(double[] w, double[] x) { ";

        @Test
        void anIndexOutOfRange() {
            assertError("w=3,x=3", F + "return w[3] * x[0]; }",
                    "Losses.java:2:52: error: index 3 is out of range for w[3] (0 to 2)");
        }

        @Test
        void anIndexOutOfRangeInALoopAtTheIndex() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 0; j <= 3; j++) z += w[j]; return z; }",
                    "Losses.java:2:93: error: index 3 is out of range for w[3] (0 to 2)");
        }

        @Test
        void aNonConstantIndex() {
            assertError("w=3,x=3", F + "return w[x[0] > 0 ? 1 : 0]; }", "Losses.java:2:52: error: the index of w must"
                    + " be a constant int expression, like w[2], w[n - 1] or w[j] in a for loop");
        }

        @Test
        void aNonConstantBound() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 0; j < x[0]; j++) z += w[j]; return z; }",
                    "Losses.java:2:73: error: the condition of a for loop must have a constant bound, like j < 30 or"
                            + " j < w.length; it is unrolled at compile time");
        }

        @Test
        void theLoopVariableAssignedInTheBodyEvenIfTheLoopNeverRuns() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 0; j < 0; j++) { z += w[j]; j += 1; } return z; }",
                    "Losses.java:2:98: error: loop variable 'j' cannot be assigned in the loop body; it changes only"
                            + " in the for update");
        }

        @Test
        void anArrayWithoutIndex() {
            assertError("w=3,x=3", F + "return w * 2; }",
                    "Losses.java:2:50: error: 'w' is a double[] of length 3; use one element, like w[0]");
        }

        @Test
        void anAssignmentToAnElement() {
            assertError("w=3,x=3", F + "w[0] = 1; return w[0]; }",
                    "Losses.java:2:43: error: cannot assign to an element of 'w': double[] parameters are read-only");
        }

        @Test
        void anAssignmentToTheArray() {
            assertError("w=3,x=3", F + "w = x; return w[0]; }",
                    "Losses.java:2:43: error: cannot assign to 'w': double[] parameters are read-only");
        }

        @Test
        void breakInALoop() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 0; j < 3; j++) { if (x[j] > 0) break; z += w[j]; }"
                    + " return z; }", "Losses.java:2:101: error: 'break' inside a loop is not supported in a loss;"
                    + " loops run to their bound (assign a variable and return after the loop)");
        }

        @Test
        void returnInALoop() {
            assertError("w=3,x=3", F + "for (int j = 0; j < 3; j++) { return w[j]; } return 0; }",
                    "Losses.java:2:73: error: 'return' inside a loop is not supported in a loss; loops run to their"
                            + " bound (assign a variable and return after the loop)");
        }

        @Test
        void anIntReassigned() {
            assertError("w=3,x=3", F + "int n = 3; n = 4; return w[0]; }", "Losses.java:2:54: error: int variable 'n'"
                    + " cannot be assigned; int locals are constants (loop bounds and indices)");
        }

        @Test
        void anIntThatIsNotConstant() {
            assertError("w=3,x=3", F + "int n = x[0] > 0 ? 1 : 2; return w[n]; }", "Losses.java:2:51: error: int"
                    + " variable 'n' must be initialized with a constant int expression, like int n = 30; int locals are"
                    + " loop bounds and indices");
        }

        @Test
        void aDoubleLoopVariable() {
            assertError("w=3,x=3", F + "double z = 0; for (double t = 0; t < 1; t += 0.5) z += t; return z; }",
                    "Losses.java:2:69: error: the variable of a for loop must be an int, like"
                            + " for (int j = 0; j < 30; j++)");
        }

        @Test
        void anUpdateThatIsNotAConstantStep() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 1; j < 3; j /= 2) z += w[j]; return z; }",
                    "Losses.java:2:80: error: the update of a for loop must change its variable by a constant, like"
                            + " j++, j-- or j += 2");
        }

        @Test
        void aForEachOverSomethingElse() {
            assertError("w=3,x=3", F + "double z = 0; for (double v : x[0]) z += v; return z; }",
                    "Losses.java:2:73: error: a for-each loop in a loss runs over a double[], like"
                            + " for (double v : w)");
        }

        @Test
        void aLoopWithoutCondition() {
            assertError("w=3,x=3", F + "double z = 0; for (int j = 0; ; j++) z += w[0]; return z; }",
                    "Losses.java:2:57: error: a for loop in a loss needs a condition with a constant bound, like"
                            + " for (int j = 0; j < 30; j++)");
        }

        @Test
        void whileLoops() {
            assertError("w=3,x=3", F + "while (true) { } }", "Losses.java:2:43: error: 'while' loops are not allowed in"
                    + " a loss method; use double and int locals, if/else, for loops with constant bounds and return");
        }

        @Test
        void tooManyIterationsInAll() {
            // j <= 399 keeps the inner loop unrolled, and with it the outer one.
            assertError("w=3,x=3", F + "double z = 0; for (int i = 0; i < 400; i++) for (int j = 0; j <= 399; j++)"
                    + " z += w[0]; return z; }", "Losses.java:2:87: error: loops unroll to more than 100000 iterations"
                    + " in all; the limit is 100000");
        }

        @Test
        void aMissingLength() {
            assertError("x=3", F + "return w[0]; }",
                    "Losses.java:2:17: error: double[] parameter 'w' needs a length; configure it like w=30");
        }

        @Test
        void anUnusedLength() {
            assertError("w=3,x=3,q=2", F + "return w[0]; }",
                    "Losses.java:2:1: error: method 'f' has no parameter 'q' to give a length to");
        }

        @Test
        void aLengthForADouble() {
            assertError("w=3,b=2", "static double f(double[] w, double b) { return w[0] * b; }",
                    "Losses.java:2:29: error: a length is configured for 'b', but it is a double, not a double[]");
        }

        @Test
        void aLengthThatIsNotPositive() {
            assertError("w=0,x=3", F + "return w[0]; }",
                    "Losses.java:2:17: error: the length of 'w' must be 1 to 100000, not 0");
        }

        @Test
        void varargs() {
            assertError("w=3", "static double f(double... w) { return w[0]; }",
                    "Losses.java:2:17: error: parameter 'w' must be a double, a double[] or a double[][]");
        }

        @Test
        void anArrayParameterOfAHelper() {
            assertError("w=3,x=3", F + "return dot(x[0]); }\nstatic double dot(double[] a) { return a[0]; }",
                    "Losses.java:3:19: error: parameter 'a' of helper 'dot' must be a double; only the loss method takes"
                            + " array parameters");
        }
    }

    @Test
    void malformedLengthsAreAConfigurationError() {
        for (String text : List.of("w", "w:3", "=3", "w=three", "w=3,w=4", "w=3,", "V=32x", "V=x64", "V=32*64")) {
            assertThrows(IllegalArgumentException.class, () -> BuildTimeClasses.parseShapes(text), text);
        }
        assertEquals(Map.of("w", List.of(30), "x", List.of(2)), BuildTimeClasses.parseShapes(" w = 30 , x=2"));
        assertEquals(Map.of("V", List.of(32, 64), "w", List.of(-3)), BuildTimeClasses.parseShapes("V=32x64,w=-3"));
        assertEquals(Map.of(), BuildTimeClasses.parseShapes(" "));
    }
}
