package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector backend against the scalar backend of the same loss: per-example values within a few ulp
 * (the functions differ from {@code StrictMath} by up to 2 ulp, see {@link VectorAccuracyTest}, and the
 * scalar code's own {@code Math} calls by 1), sums within the summation-order bound, and both routes agreeing. Runs in the {@code vector-backend} surefire
 * execution, with {@code --add-modules jdk.incubator.vector}.
 */
class VectorBackendTest {

    private static final List<String> PARAMETERS = List.of("w", "b");
    private static final List<String> INPUTS = List.of("x", "y");

    /** Batch sizes around the lane counts 2, 4 and 8, so that every tail length runs. */
    private static final int[] BATCH_SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1000, 1003};

    @Test
    void theVectorApiIsReadableInThisExecution() {
        assertNull(Backend.vectorUnavailableBecause());
        assertEquals(Backend.VECTOR, Backend.selected());
    }

    @Test
    void onlyTheVectorBackendRefersToTheVectorApi() {
        assertTrue(BackendLosses.usesVectorApi("Math.exp(w * x)", PARAMETERS, INPUTS, Backend.VECTOR));
        assertFalse(BackendLosses.usesVectorApi("Math.exp(w * x)", PARAMETERS, INPUTS, Backend.SCALAR));
    }

    @Test
    void leavesWideLossesToTheScalarBackend() {
        // 20 features: every kernel has more live vectors (columns or sums) than the vector shape allows.
        assertFalse(usesVectorApiForLogisticLoss(20));
        assertTrue(usesVectorApiForLogisticLoss(15), "a loss of 15 features has vector kernels");
    }

    private static boolean usesVectorApiForLogisticLoss(int features) {
        StringBuilder margin = new StringBuilder("b");
        List<String> parameters = new java.util.ArrayList<>(List.of("b"));
        List<String> inputs = new java.util.ArrayList<>(List.of("y"));
        for (int j = 0; j < features; j++) {
            margin.append(" + w").append(j).append(" * x").append(j);
            parameters.add("w" + j);
            inputs.add("x" + j);
        }
        return BackendLosses.usesVectorApi("Math.log1p(Math.exp(-y * (" + margin + ")))", parameters, inputs,
                Backend.VECTOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "(w * x) * (w * x)",
        "(w * x + b - y) * (w * x + b - y)",
        "Math.log1p(Math.exp(-y * (w * x + b)))",
        "(w * Math.tanh(b * x + 0.5) - y) * (w * Math.tanh(b * x + 0.5) - y)",
        "x > 0 ? w * x : 0.1 * w * x",
        "x > b && y <= 0.5 ? Math.exp(w * x) : -(w * y)",
        "!(x >= 0) || y != 1 ? w * w : b",
        "w > 0 ? w * x : b * x",
        "Math.max(w * x, b) + Math.min(x, y * w)",
        "Math.pow(Math.abs(x) + 1, w) + Math.hypot(w * x, b)",
        "Math.sqrt(x * x + w * w) + Math.cbrt(b * y) + Math.abs(w - x)",
        "Math.sin(w * x) + Math.cos(b * y) + Math.atan(w * y) + Math.tan(0.1 * b * x)",
        "Math.asin(Math.tanh(w * x)) + Math.acos(0.5 * Math.tanh(b)) + Math.sinh(w * y) + Math.cosh(b * x)",
        "Math.log(1 + x * x * w * w) + Math.expm1(b * y) + w * b",
        "w + b",
    })
    void agreesWithTheScalarBackendOnEveryBatchSize(String expression) {
        CompiledLoss vector = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.VECTOR);
        CompiledLoss scalar = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.SCALAR);
        SplittableRandom random = new SplittableRandom(expression.hashCode());
        double[] params = {random.nextDouble(-1, 1), random.nextDouble(-1, 1)};
        for (int n : BATCH_SIZES) {
            double[][] columns = new double[2][n];
            for (int i = 0; i < n; i++) {
                columns[0][i] = random.nextDouble(-2, 2);
                columns[1][i] = random.nextBoolean() ? 1.0 : -1.0;
            }
            assertClose(scalar.perExampleLosses(params, columns), vector.perExampleLosses(params, columns), expression);
            double[][] expected = scalar.perExampleGradients(params, columns);
            double[][] actual = vector.perExampleGradients(params, columns);
            for (int p = 0; p < params.length; p++) {
                assertClose(expected[p], actual[p], expression);
            }
            assertClose(scalar.perExampleGradientNorms(params, columns),
                    vector.perExampleGradientNorms(params, columns), expression);
            double[] routeA = vector.sumOfPerExampleGradients(params, columns);
            double[] routeB = vector.gradientOfSum(params, columns);
            double[] clippedAtInfinity = vector.clippedGradientSum(params, columns, Double.POSITIVE_INFINITY);
            for (int p = 0; p < params.length; p++) {
                double bound = sumBound(actual[p]);
                assertEquals(routeA[p], routeB[p], bound, () -> "routes disagree for " + expression + ", n = " + n);
                assertEquals(routeA[p], clippedAtInfinity[p], bound, () -> "clipping at infinity for " + expression);
                assertEquals(scalar.gradientOfSum(params, columns)[p], routeB[p], bound,
                        () -> "route (b) differs from the scalar backend for " + expression + ", n = " + n);
            }
            assertEquals(scalar.totalLoss(params, columns), vector.totalLoss(params, columns),
                    sumBound(scalar.perExampleLosses(params, columns)), expression);
        }
    }

    /**
     * The vector clipping kernel at finite clip norms: huge and tiny gradients clipped to norm C, NaN and
     * infinite gradients skipped and counted, as the scalar kernel does (the gradient of {@code w * x + b * y}
     * is the example itself); nine examples, so that the vector loop and the scalar tail both see each case.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1e-250})
    void clipsHugeAndTinyGradientsAndSkipsNonFiniteOnesLikeTheScalarBackend(double clipNorm) {
        String expression = "w * x + b * y";
        CompiledLoss vector = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.VECTOR);
        CompiledLoss scalar = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.SCALAR);
        double[][] columns = {{3e200, 3e-200, Double.NaN, Double.POSITIVE_INFINITY, 1.0, 3e200, 3e-200, Double.NaN, 0.5},
            {4e200, 4e-200, 1.0, 0.0, 0.0, 4e200, 4e-200, 2.0, -0.5}};
        double[] params = {0.5, -0.5};
        double[] vectorSum = new double[2];
        double[] scalarSum = new double[2];
        assertEquals(3, vector.clippedGradientSumInto(params, columns, clipNorm, vectorSum), "skipped by the vector kernel");
        assertEquals(3, scalar.clippedGradientSumInto(params, columns, clipNorm, scalarSum), "skipped by the scalar kernel");
        for (int p = 0; p < 2; p++) {
            assertTrue(Double.isFinite(vectorSum[p]), "finite despite the NaN and infinite examples");
            assertEquals(scalarSum[p], vectorSum[p], 1e-15 * Math.abs(scalarSum[p]), "parameter " + p);
        }
        double expectedFirst = clipNorm == 1.0 ? 2 * 0.6 + 2 * 3e-200 + 1.0 + 0.5 : 2 * 0.6e-250 + 2 * 0.6e-250 + 1e-250 + 0.7071e-250;
        assertEquals(expectedFirst, vectorSum[0], clipNorm == 1.0 ? 1e-12 : 1e-4 * 1e-250, "w component");
    }

    @Test
    void keepsNanInfinityAndSignedZeroLikeTheScalarBackend() {
        String expression = "x > 0 ? w * x : Math.tanh(w * x) + Math.exp(y)";
        CompiledLoss vector = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.VECTOR);
        CompiledLoss scalar = BackendLosses.compile(expression, PARAMETERS, INPUTS, Backend.SCALAR);
        double[] x = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-300, 1e300, 3.0};
        double[] y = {0.0, Double.NEGATIVE_INFINITY, 1000.0, 1.0, Double.NaN, 0.0, -1.0, -800.0};
        double[][] columns = {x, y};
        double[] params = {1.0, 0.0};
        double[] expected = scalar.perExampleLosses(params, columns);
        double[] actual = vector.perExampleLosses(params, columns);
        for (int i = 0; i < x.length; i++) {
            if (expected[i] == 0 || Double.isNaN(expected[i]) || Double.isInfinite(expected[i])) {
                assertEquals(Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(Double.NaN)
                        || Double.isNaN(expected[i]) ? Double.NaN : expected[i], actual[i], 0.0, "example " + i);
                assertEquals(Math.copySign(1.0, expected[i]), Math.copySign(1.0, actual[i]), "sign of example " + i);
            }
        }
        assertEquals(Math.tanh(-0.0), vector.perExampleLosses(new double[] {1, 0},
                new double[][] {{-0.0}, {Double.NEGATIVE_INFINITY}})[0], 0.0);
    }

    private static void assertClose(double[] expected, double[] actual, String expression) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                assertEquals(e, a, 0.0, expression + " at " + i);
                continue;
            }
            // A few ulp per function, compounded through the expression (chain rule factors).
            double tolerance = 64 * Math.ulp(Math.max(Math.abs(e), 1.0));
            int index = i;
            assertEquals(e, a, tolerance, () -> expression + " at example " + index);
        }
    }

    /** The bound on two summation orders of the same terms, plus per-term rounding differences. */
    private static double sumBound(double[] terms) {
        double magnitude = 0;
        for (double term : terms) {
            magnitude += Math.abs(term);
        }
        return 2 * (terms.length + 1) * 0x1p-53 * magnitude + 64 * Math.ulp(Math.max(magnitude, 1.0));
    }
}
