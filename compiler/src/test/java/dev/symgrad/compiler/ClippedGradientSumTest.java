package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused DP-SGD clipping, {@code Σ g_i·min(1, C/‖g_i‖₂)} in one pass, against clipping the
 * materialized per-example gradients: the same formula and the same lane order give the same bits.
 */
class ClippedGradientSumTest {

    private static final List<String> LOSSES = List.of(
            "(w * x + b - y) * (w * x + b - y)",
            "Math.log1p(Math.exp(-y * (w * x + b)))",
            "x > 0 ? Math.tanh(w * x + b) * y : w * w * x - b");

    /**
     * The kernel computes each example's norm scaled by its largest component (so it cannot overflow or
     * underflow) and scales a clipped gradient as {@code (g·r)·(C/s)}: each term within a few ulps of the
     * plain formula {@code g·min(1, C/sqrt(Σg²))}, summed in the same lane order.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 257, 1000})
    void equalsClippingTheMaterializedGradientsUpToRounding(int n) {
        for (String expression : LOSSES) {
            CompiledLoss loss = Symgrad.compile(expression, List.of("w", "b"), List.of("x", "y"));
            double[] params = {0.8, -0.4};
            double[][] columns = columns(n);
            double[][] perExample = loss.perExampleGradients(params, columns);
            for (double clipNorm : new double[] {0.05, 1.0, 100.0}) {
                double[] expected = new double[2];
                double[] magnitude = new double[2];
                for (int p = 0; p < 2; p++) {
                    double[] clipped = new double[n];
                    for (int i = 0; i < n; i++) {
                        double norm = Math.sqrt(perExample[0][i] * perExample[0][i] + perExample[1][i] * perExample[1][i]);
                        clipped[i] = perExample[p][i] * Math.min(1.0, clipNorm / norm);
                        magnitude[p] += Math.abs(clipped[i]);
                    }
                    expected[p] = LaneOrderSum.of(clipped, 0, n);
                }
                double[] actual = loss.clippedGradientSum(params, columns, clipNorm);
                for (int p = 0; p < 2; p++) {
                    // Each term: the scaled norm within 4 ulp of the plain one, the factor (g·r)·(C/s) 3 roundings.
                    double bound = 8 * 0x1p-52 * magnitude[p];
                    assertEquals(expected[p], actual[p], bound,
                            expression + ", C = " + clipNorm + ", parameter " + p + ": " + expected[p] + " vs " + actual[p]);
                }
                double bound = n * clipNorm * (1 + 1e-12);
                assertTrue(Math.hypot(actual[0], actual[1]) <= bound, "no more than N·C in norm");
            }
        }
    }

    @Test
    void lossesTooLargeForInlineKernelsClipToo() {
        StringBuilder expression = new StringBuilder("b * y");
        for (int k = 0; k < 500; k++) {
            expression.append(" + Math.tanh(w * x + ").append(k).append(".0e-3 * b) * ").append(k + 1).append(".0e-3");
        }
        CompiledLoss loss = Symgrad.compile(expression.toString(), List.of("w", "b"), List.of("x", "y"));
        double[] params = {0.8, -0.4};
        double[][] columns = columns(600);
        double[][] perExample = loss.perExampleGradients(params, columns);
        double[] norms = loss.perExampleGradientNorms(params, columns);
        double[] expected = new double[2];
        for (int i = 0; i < 600; i++) {
            double norm = Math.sqrt(perExample[0][i] * perExample[0][i] + perExample[1][i] * perExample[1][i]);
            // The scaled norm rounds r = 1/M, each g·r, its square, the sum, sqrt and M·s: within 4 ulp.
            assertEquals(norm, norms[i], 4 * Math.ulp(norm));
            for (int p = 0; p < 2; p++) {
                expected[p] += perExample[p][i] * Math.min(1.0, 0.5 / norm);
            }
        }
        assertArrayEquals(expected, loss.clippedGradientSum(params, columns, 0.5), 1e-12 * 600);
        GeneratedClassVerifier.verify(Symgrad.generateClass(expression.toString(), List.of("w", "b"), List.of("x", "y"),
                "test/LargeClipped"));
    }

    @Test
    void normsAreTheEuclideanNormsOfThePerExampleGradients() {
        CompiledLoss loss = Symgrad.compile(LOSSES.get(1), List.of("w", "b"), List.of("x", "y"));
        double[] params = {0.8, -0.4};
        double[][] columns = columns(300);
        double[][] perExample = loss.perExampleGradients(params, columns);
        double[] norms = loss.perExampleGradientNorms(params, columns);
        for (int i = 0; i < 300; i++) {
            double norm = Math.hypot(perExample[0][i], perExample[1][i]); // within 1 ulp of the exact norm
            assertEquals(norm, norms[i], 4 * Math.ulp(norm));
        }
    }

    /**
     * The gradient of {@code w * x + b * y} is the example (x, y): huge and tiny gradients are clipped to
     * norm C (the plain {@code sqrt(Σg²)} overflows to ∞ for the first, which zeroed it, and underflows to
     * 0 for the second, which left it unclipped), and a NaN or infinite gradient adds nothing.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1e-250})
    void hugeAndTinyGradientsAreClippedAndNonFiniteOnesSkipped(double clipNorm) {
        CompiledLoss loss = Symgrad.compile("w * x + b * y", List.of("w", "b"), List.of("x", "y"));
        double[][] columns = {{3e200, 3e-200, Double.NaN, Double.POSITIVE_INFINITY, 1.0},
            {4e200, 4e-200, 1.0, 0.0, 0.0}};
        double[] expected = clipNorm == 1.0
                ? new double[] {0.6 + 3e-200 + 1.0, 0.8 + 4e-200}
                : new double[] {0.6e-250 + 0.6e-250 + 1e-250, 0.8e-250 + 0.8e-250};
        double[] actual = loss.clippedGradientSum(new double[] {0.5, -0.5}, columns, clipNorm);
        assertArrayEquals(expected, actual, 1e-15 * Math.max(clipNorm, 1e-250 * 3));
        double[] into = new double[2];
        assertEquals(2, loss.clippedGradientSumInto(new double[] {0.5, -0.5}, columns, clipNorm, into), "skipped");
        assertArrayEquals(actual, into);
        assertArrayEquals(actual, loss.clippedGradientSum(new double[] {0.5, -0.5}, columns, clipNorm, 2),
                1e-15 * Math.max(clipNorm, 1e-250 * 3));
        double[] norms = loss.perExampleGradientNorms(new double[] {0.5, -0.5}, columns);
        double[] expectedNorms = {5e200, 5e-200, Double.NaN, Double.POSITIVE_INFINITY, 1.0};
        for (int i = 0; i < norms.length; i++) {
            double tolerance = Double.isFinite(expectedNorms[i]) ? 4 * Math.ulp(expectedNorms[i]) : 0;
            assertEquals(expectedNorms[i], norms[i], tolerance, "norm of example " + i);
        }
    }

    @Test
    void anInfiniteClipNormClipsNothing() {
        CompiledLoss loss = Symgrad.compile(LOSSES.get(0), List.of("w", "b"), List.of("x", "y"));
        double[] params = {0.8, -0.4};
        double[][] columns = columns(1001);
        assertArrayEquals(loss.sumOfPerExampleGradients(params, columns),
                loss.clippedGradientSum(params, columns, Double.POSITIVE_INFINITY));
    }

    @Test
    void aSplitBatchAddsTheSlicesInOrder() {
        CompiledLoss loss = Symgrad.compile(LOSSES.get(1), List.of("w", "b"), List.of("x", "y"));
        double[] params = {0.8, -0.4};
        double[][] columns = columns(2000);
        double[] split = loss.clippedGradientSum(params, columns, 0.1, 2);
        double[] first = loss.clippedGradientSum(params, slice(columns, 0, 1000), 0.1);
        double[] second = loss.clippedGradientSum(params, slice(columns, 1000, 2000), 0.1);
        assertArrayEquals(new double[] {first[0] + second[0], first[1] + second[1]}, split);
    }

    @Test
    void theClipNormMustBePositive() {
        CompiledLoss loss = Symgrad.compile(LOSSES.get(0), List.of("w", "b"), List.of("x", "y"));
        double[][] columns = columns(3);
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.clippedGradientSum(new double[] {1, 2}, columns, bad));
            assertTrue(e.getMessage().contains("clipNorm"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> loss.clippedGradientSum(new double[] {1}, columns, 1.0));
        assertThrows(IllegalArgumentException.class, () -> loss.perExampleGradientNormsInto(new double[] {1, 2}, columns,
                new double[2]));
    }

    @Test
    void generatedClassesWithTheClippingKernelsVerify() {
        for (String expression : LOSSES) {
            GeneratedClassVerifier.verify(Symgrad.generateClass(expression, List.of("w", "b"), List.of("x", "y"),
                    "test/Clipped"));
        }
    }

    private static double[][] slice(double[][] columns, int from, int to) {
        double[][] slice = new double[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            slice[c] = java.util.Arrays.copyOfRange(columns[c], from, to);
        }
        return slice;
    }

    private static double[][] columns(int n) {
        SplittableRandom random = new SplittableRandom(n + 17);
        double[][] columns = new double[2][n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = random.nextDouble(-3, 3);
            columns[1][i] = random.nextBoolean() ? 1.0 : -1.0;
        }
        return columns;
    }
}
