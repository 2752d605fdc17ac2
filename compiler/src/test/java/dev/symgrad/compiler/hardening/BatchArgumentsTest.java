package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method of a compiled loss against bad arguments: each one checks each argument and throws an
 * {@link IllegalArgumentException} naming it, before any work. An empty batch sums to zero vectors by
 * both routes, whatever the parameters. NaN and infinities in data or parameters are not errors: they
 * propagate as Java arithmetic on the per-example formula would.
 */
class BatchArgumentsTest {

    private static final CompiledLoss LOSS = Symgrad.compile("(w * x + b - y) * (w * x + b - y)",
            List.of("w", "b"), List.of("x", "y"));
    private static final double[] PARAMS = {1.0, 2.0};
    private static final double[][] BATCH = {{1.0, 2.0, 3.0}, {0.0, 1.0, 0.0}};

    /** A batch method of {@link CompiledLoss}, called with the given params and columns. */
    @FunctionalInterface
    interface BatchCall {
        Object call(double[] params, double[][] columns);
    }

    /** Every method that takes a batch, the {@code ...Into} ones with outputs shaped for {@link #BATCH}. */
    static Stream<Arguments> batchMethods() {
        return Stream.of(
                Arguments.of("perExampleLosses", (BatchCall) LOSS::perExampleLosses),
                Arguments.of("perExampleLossesInto", (BatchCall) (p, c) -> {
                    LOSS.perExampleLossesInto(p, c, new double[3]);
                    return null;
                }),
                Arguments.of("totalLoss", (BatchCall) LOSS::totalLoss),
                Arguments.of("perExampleGradients", (BatchCall) LOSS::perExampleGradients),
                Arguments.of("perExampleGradientsInto", (BatchCall) (p, c) -> {
                    LOSS.perExampleGradientsInto(p, c, new double[2][3]);
                    return null;
                }),
                Arguments.of("sumOfPerExampleGradients", (BatchCall) LOSS::sumOfPerExampleGradients),
                Arguments.of("sumOfPerExampleGradientsInto", (BatchCall) (p, c) -> {
                    LOSS.sumOfPerExampleGradientsInto(p, c, new double[2]);
                    return null;
                }),
                Arguments.of("gradientOfSum", (BatchCall) LOSS::gradientOfSum),
                Arguments.of("gradientOfSumInto", (BatchCall) (p, c) -> {
                    LOSS.gradientOfSumInto(p, c, new double[2]);
                    return null;
                }),
                Arguments.of("sumOfPerExampleGradients on 2 threads",
                        (BatchCall) (p, c) -> LOSS.sumOfPerExampleGradients(p, c, 2)),
                Arguments.of("gradientOfSum on 2 threads", (BatchCall) (p, c) -> LOSS.gradientOfSum(p, c, 2)),
                Arguments.of("perExampleGradients on 2 threads",
                        (BatchCall) (p, c) -> LOSS.perExampleGradients(p, c, 2)));
    }

    private static void assertRejected(BatchCall call, double[] params, double[][] columns, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.call(params, columns));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    @Nested
    class EveryBatchMethodRejects {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void nullParams(String method, BatchCall call) {
            assertRejected(call, null, BATCH, "params is null", "[w, b]");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void tooFewOrTooManyParams(String method, BatchCall call) {
            assertRejected(call, new double[] {1.0}, BATCH, "params has 1 values", "2 parameters");
            assertRejected(call, new double[3], BATCH, "params has 3 values", "2 parameters");
            assertRejected(call, new double[0], BATCH, "params has 0 values");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void nullColumns(String method, BatchCall call) {
            assertRejected(call, PARAMS, null, "columns is null", "[x, y]");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void aNullColumn(String method, BatchCall call) {
            assertRejected(call, PARAMS, new double[][] {null, {1.0, 2.0, 3.0}}, "column 0", "'x'", "null");
            assertRejected(call, PARAMS, new double[][] {{1.0, 2.0, 3.0}, null}, "column 1", "'y'", "null");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void columnsOfDifferentLengths(String method, BatchCall call) {
            assertRejected(call, PARAMS, new double[][] {{1.0, 2.0, 3.0}, {1.0, 2.0}}, "ragged", "column 1", "'y'",
                    "2 rows", "has 3");
            assertRejected(call, PARAMS, new double[][] {{}, {1.0}}, "ragged", "1 rows", "has 0");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.BatchArgumentsTest#batchMethods")
        void theWrongNumberOfColumns(String method, BatchCall call) {
            assertRejected(call, PARAMS, new double[][] {{1.0, 2.0, 3.0}}, "1 columns", "2 inputs");
            assertRejected(call, PARAMS, new double[3][3], "3 columns", "2 inputs");
            assertRejected(call, PARAMS, new double[0][], "0 columns", "2 inputs");
        }
    }

    @Nested
    class EveryOneExampleMethodRejects {

        @Test
        void nullOrMisshapedParams() {
            double[] example = {1.0, 0.0};
            assertThrows(IllegalArgumentException.class, () -> LOSS.loss(null, example));
            assertThrows(IllegalArgumentException.class, () -> LOSS.gradient(new double[1], example));
            assertThrows(IllegalArgumentException.class, () -> LOSS.gradientInto(new double[3], example, new double[2]));
        }

        @Test
        void nullOrMisshapedExamples() {
            assertEquals("example is null; expected 2 values for [x, y]",
                    assertThrows(IllegalArgumentException.class, () -> LOSS.loss(PARAMS, null)).getMessage());
            assertEquals("example has 1 values but the loss has 2 inputs [x, y]",
                    assertThrows(IllegalArgumentException.class, () -> LOSS.gradient(PARAMS, new double[1])).getMessage());
            assertThrows(IllegalArgumentException.class, () -> LOSS.gradientInto(PARAMS, new double[3], new double[2]));
        }

        @Test
        void nullOrMisshapedOutputs() {
            assertEquals("out is null", assertThrows(IllegalArgumentException.class,
                    () -> LOSS.gradientInto(PARAMS, new double[2], null)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> LOSS.gradientOfSumInto(PARAMS, BATCH, null));
            assertThrows(IllegalArgumentException.class, () -> LOSS.perExampleGradientsInto(PARAMS, BATCH, null));
            assertThrows(IllegalArgumentException.class,
                    () -> LOSS.perExampleGradientsInto(PARAMS, BATCH, new double[][] {new double[3], null}));
            assertThrows(IllegalArgumentException.class, () -> LOSS.perExampleLossesInto(PARAMS, BATCH, null));
        }

        @Test
        void aNullParameterName() {
            assertEquals("parameter is null; parameters are [w, b]",
                    assertThrows(IllegalArgumentException.class, () -> LOSS.derivative(null)).getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, 65_537, Integer.MAX_VALUE})
    void rejectsParallelismOutsideOneTo65536BeforeAllocatingAnything(int parallelism) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LOSS.gradientOfSum(PARAMS, BATCH, parallelism));
        assertTrue(e.getMessage().startsWith("parallelism must be"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> LOSS.sumOfPerExampleGradients(PARAMS, BATCH, parallelism));
        assertThrows(IllegalArgumentException.class, () -> LOSS.perExampleGradients(PARAMS, BATCH, parallelism));
    }

    @Nested
    class AnEmptyBatch {

        private final double[][] empty = {{}, {}};
        private final double[][] params = {{1.0, 2.0}, {-3.0, 0.5}, {Double.NaN, 1.0},
                {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}};

        @Test
        void hasZeroVectorsByBothRoutesWhateverTheParameters() {
            double[] zeros = {0.0, 0.0};
            for (double[] p : params) {
                String at = " at " + Arrays.toString(p);
                assertArrayEquals(zeros, LOSS.sumOfPerExampleGradients(p, empty), "route (a)" + at);
                assertArrayEquals(zeros, LOSS.gradientOfSum(p, empty), "route (b)" + at);
                assertEquals(0.0, LOSS.totalLoss(p, empty), "total loss" + at);
                for (int parallelism = 1; parallelism <= 4; parallelism++) {
                    assertArrayEquals(zeros, LOSS.sumOfPerExampleGradients(p, empty, parallelism), "route (a)" + at);
                    assertArrayEquals(zeros, LOSS.gradientOfSum(p, empty, parallelism), "route (b)" + at);
                    assertArrayEquals(new double[2][0], LOSS.perExampleGradients(p, empty, parallelism));
                }
            }
        }

        @Test
        void overwritesTheCallersOutputsWithZeros() {
            double[] routeA = {42.0, 42.0};
            double[] routeB = {42.0, 42.0};
            LOSS.sumOfPerExampleGradientsInto(PARAMS, empty, routeA);
            LOSS.gradientOfSumInto(PARAMS, empty, routeB);
            assertArrayEquals(new double[] {0.0, 0.0}, routeA);
            assertArrayEquals(new double[] {0.0, 0.0}, routeB);
        }

        @Test
        void hasNoPerExampleValues() {
            assertEquals(0, LOSS.perExampleLosses(PARAMS, empty).length);
            assertArrayEquals(new double[2][0], LOSS.perExampleGradients(PARAMS, empty));
        }
    }

    /**
     * NaN and infinities: per example, the loss and gradient are what Java computes from the loss text and
     * its hand-derived gradient, NaN and the infinities included; a batch sum is NaN if any example is,
     * infinite if examples are infinite of one sign only, and both routes agree.
     */
    @Nested
    class NanAndInfinities {

        private static final double NAN = Double.NaN;
        private static final double INF = Double.POSITIVE_INFINITY;

        /** f = (w x + b - y)², df/dw = 2 (w x + b - y) x, df/db = 2 (w x + b - y), as javac computes them. */
        private static double[] java(double w, double b, double x, double y) {
            double r = w * x + b - y;
            return new double[] {r * r, 2 * r * x, 2 * r};
        }

        static Stream<Arguments> examples() {
            return Stream.of(
                    Arguments.of(1.0, 2.0, NAN, 0.0),
                    Arguments.of(1.0, 2.0, 1.0, NAN),
                    Arguments.of(1.0, 2.0, INF, 0.0),
                    Arguments.of(1.0, 2.0, -INF, 0.0),
                    Arguments.of(1.0, 2.0, 1.0, INF),
                    Arguments.of(0.0, 2.0, INF, 0.0),
                    Arguments.of(INF, 2.0, 0.0, 1.0),
                    Arguments.of(INF, -INF, 1.0, 1.0),
                    Arguments.of(NAN, 2.0, 1.0, 1.0),
                    Arguments.of(1.0, 2.0, 1e200, 0.0),
                    Arguments.of(-0.0, 0.0, 1.0, 0.0));
        }

        @ParameterizedTest(name = "w={0}, b={1}, x={2}, y={3}")
        @MethodSource("examples")
        void perExampleValuesPropagateAsJavaComputesThem(double w, double b, double x, double y) {
            double[] expected = java(w, b, x, y);
            double[] params = {w, b};
            assertClass(expected[0], LOSS.loss(params, new double[] {x, y}), "loss");
            double[] gradient = LOSS.gradient(params, new double[] {x, y});
            assertClass(expected[1], gradient[0], "d/dw");
            assertClass(expected[2], gradient[1], "d/db");
            double[][] perExample = LOSS.perExampleGradients(params, new double[][] {{x}, {y}});
            assertClass(expected[1], perExample[0][0], "perExampleGradients d/dw");
            assertClass(expected[2], perExample[1][0], "perExampleGradients d/db");
            assertClass(expected[0], LOSS.perExampleLosses(params, new double[][] {{x}, {y}})[0], "perExampleLosses");
        }

        @Test
        void oneNanExampleMakesEverySumNanAndLeavesTheOtherExamplesAlone() {
            double[][] columns = {{1.0, NAN, 3.0}, {0.0, 1.0, 0.0}};
            double[] losses = LOSS.perExampleLosses(PARAMS, columns);
            assertEquals(9.0, losses[0]);
            assertEquals(NAN, losses[1]);
            assertEquals(25.0, losses[2]);
            assertEquals(NAN, LOSS.totalLoss(PARAMS, columns));
            assertArrayEquals(new double[] {NAN, NAN}, LOSS.sumOfPerExampleGradients(PARAMS, columns));
            assertArrayEquals(new double[] {NAN, NAN}, LOSS.gradientOfSum(PARAMS, columns));
            assertArrayEquals(new double[] {NAN, NAN}, LOSS.gradientOfSum(PARAMS, columns, 2));
        }

        @Test
        void anInfiniteTargetMakesTheSumsInfiniteWithJavasSigns() {
            // y = +inf: the residual is -inf, its square +inf; d/dw = 2 r x has the sign of -x, d/db is -inf.
            double[][] columns = {{1.0, 2.0, 3.0}, {0.0, INF, 0.0}};
            assertEquals(INF, LOSS.totalLoss(PARAMS, columns));
            assertArrayEquals(new double[] {-INF, -INF}, LOSS.sumOfPerExampleGradients(PARAMS, columns));
            assertArrayEquals(new double[] {-INF, -INF}, LOSS.gradientOfSum(PARAMS, columns));
        }

        @Test
        void infinitiesOfBothSignsInOneSumGiveNan() {
            double[][] columns = {{1.0, 2.0, 3.0}, {-INF, INF, 0.0}};
            assertEquals(INF, LOSS.totalLoss(PARAMS, columns));
            assertArrayEquals(new double[] {NAN, NAN}, LOSS.sumOfPerExampleGradients(PARAMS, columns));
            assertArrayEquals(new double[] {NAN, NAN}, LOSS.gradientOfSum(PARAMS, columns));
        }

        @Test
        void routeBIsNanWhereItsFactoredSumOverflowsAndRouteAIsNot() {
            // d/dw (w w x) = 2 w x. Route (a) adds 2·0·x = 0 per example; route (b) computes 2·w·Σx,
            // and Σx overflows to infinity: 0 · ∞ is NaN. The README documents this difference.
            CompiledLoss loss = Symgrad.compile("w * w * x", List.of("w"), List.of("x"));
            double[][] columns = {{1e308, 1e308}};
            assertArrayEquals(new double[] {0.0}, loss.sumOfPerExampleGradients(new double[] {0.0}, columns));
            assertArrayEquals(new double[] {NAN}, loss.gradientOfSum(new double[] {0.0}, columns));
        }

        /** Same class (NaN, +inf, -inf) and, for finite values, equal up to rounding of reordered terms. */
        private static void assertClass(double expected, double actual, String what) {
            if (Double.isFinite(expected)) {
                assertEquals(expected, actual, 1e-12 * Math.max(1.0, Math.abs(expected)), what);
            } else {
                assertEquals(expected, actual, what); // NaN equals NaN here; infinities must match in sign
            }
        }
    }
}
