package dev.symgrad.runtime.privacy;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference clipped sum: each example's gradient scaled to norm at most C, then summed. */
class ClippedGradientSumTest {

    /** The clipped sum, checking that no example was skipped. */
    private static double[] sumClipped(double[][] perExampleGradients, double clipNorm) {
        double[] out = new double[perExampleGradients.length];
        assertEquals(0, ClippedGradientSum.sumClippedInto(perExampleGradients, clipNorm, out), "skipped examples");
        return out;
    }

    private static double norm(double... vector) {
        double squares = 0;
        for (double v : vector) {
            squares += v * v;
        }
        return Math.sqrt(squares);
    }

    @Test
    void gradientsWithinTheClipNormAreSummedUnchanged() {
        double[][] gradients = {{0.3, -0.1, 0.0}, {0.4, 0.2, 0.0}}; // norms 0.5, 0.22…, 0
        assertArrayEquals(new double[] {0.3 - 0.1, 0.4 + 0.2}, sumClipped(gradients, 1.0), 1e-15);
    }

    @Test
    void largerGradientsAreScaledToTheClipNorm() {
        double[][] gradients = {{3.0}, {4.0}}; // norm 5
        assertArrayEquals(new double[] {0.6, 0.8}, sumClipped(gradients, 1.0), 1e-15);
    }

    @Test
    void eachExampleContributesAtMostTheClipNorm() {
        double clipNorm = 0.7;
        double[][] gradients = {{1e-3, 5.0, -2e9, 0.69, 3.0}, {2.0, -1e-300, 7e8, 0.0, 4.0}};
        double[] sumOfAll = sumClipped(gradients, clipNorm);
        for (int i = 0; i < gradients[0].length; i++) {
            double[] alone = sumClipped(new double[][] {{gradients[0][i]}, {gradients[1][i]}}, clipNorm);
            assertTrue(norm(alone) <= clipNorm * (1 + 1e-15), "example " + i + " has norm " + norm(alone));
            double[][] without = {remove(gradients[0], i), remove(gradients[1], i)};
            double[] sumOfOthers = sumClipped(without, clipNorm);
            double change = norm(sumOfAll[0] - sumOfOthers[0], sumOfAll[1] - sumOfOthers[1]);
            assertTrue(change <= clipNorm * (1 + 1e-12), "removing example " + i + " changes the sum by " + change);
        }
    }

    @Test
    void hugeGradientsAreClippedNotZeroed() {
        double[] sum = sumClipped(new double[][] {{3e200}, {4e200}}, 1.0); // squares overflow
        assertArrayEquals(new double[] {0.6, 0.8}, sum, 1e-15);
    }

    @Test
    void tinyGradientsAreClippedNotPassedUnclipped() {
        // The squares 9e-400 and 16e-400 underflow to 0, which would leave the norm at 0 and the gradient unclipped.
        double[] sum = sumClipped(new double[][] {{3e-200}, {4e-200}}, 1e-250);
        assertArrayEquals(new double[] {0.6e-250, 0.8e-250}, sum, 1e-265);
        assertEquals(1.0, norm(sum[0] / 1e-250, sum[1] / 1e-250), 1e-15);
    }

    @Test
    void gradientsNearTheLargestDoubleAreClippedNotZeroed() {
        // The norm itself, 1.7e308·√2, overflows; the clipped gradient is (1/√2, 1/√2).
        double[] sum = sumClipped(new double[][] {{1.7e308}, {-1.7e308}}, 1.0);
        assertArrayEquals(new double[] {Math.sqrt(0.5), -Math.sqrt(0.5)}, sum, 1e-15);
    }

    @Test
    void aTinyClipNormStillScalesHugeGradientsToIt() {
        // C / ‖g‖ = 1e-300 / 5e200 underflows to 0; the gradient must still come out with norm C.
        double[] sum = sumClipped(new double[][] {{3e200}, {4e200}}, 1e-300);
        assertArrayEquals(new double[] {0.6e-300, 0.8e-300}, sum, 1e-315);
    }

    @Test
    void infiniteClipNormClipsNothing() {
        assertArrayEquals(new double[] {7.0}, sumClipped(new double[][] {{3.0, 4.0, 0.0}},
                Double.POSITIVE_INFINITY));
    }

    @Test
    void emptyBatchSumsToZero() {
        assertArrayEquals(new double[] {0.0, 0.0}, sumClipped(new double[][] {{}, {}}, 1.0));
    }

    @Test
    void referenceImplementationClipsRouteA() {
        double[][] perExample = {{3.0, 0.1, -6.0}, {4.0, 0.2, 8.0}};
        ClippedGradientSum clipped = ClippedGradientSum.fromPerExampleGradients(lossWithPerExampleGradients(perExample));
        double[] sum = {Double.NaN, Double.NaN}; // overwritten
        assertEquals(0, clipped.clippedSumInto(new double[] {0, 0}, new double[][] {{1, 2, 3}}, 1.0, sum));
        assertArrayEquals(new double[] {0.6 + 0.1 - 0.6, 0.8 + 0.2 + 0.8}, sum, 1e-15);
    }

    @Nested
    class NonFiniteGradients {

        @Test
        void areSkippedAndCounted() {
            double nan = Double.NaN;
            double inf = Double.POSITIVE_INFINITY;
            // Examples: (3, 4) clipped to (0.6, 0.8); (NaN, 1); (1, +inf); (-inf, 0); (0.1, 0.2) unchanged.
            double[][] gradients = {{3.0, nan, 1.0, -inf, 0.1}, {4.0, 1.0, inf, 0.0, 0.2}};
            double[] out = new double[2];
            assertEquals(3, ClippedGradientSum.sumClippedInto(gradients, 1.0, out));
            assertArrayEquals(new double[] {0.6 + 0.1, 0.8 + 0.2}, out, 1e-15);
        }

        @Test
        void addNothingToTheSum() {
            double[][] withBadOne = {{0.3, Double.NaN, -0.5}, {0.4, 2.0, 0.1}};
            double[][] without = {{0.3, -0.5}, {0.4, 0.1}};
            double[] out = new double[2];
            assertEquals(1, ClippedGradientSum.sumClippedInto(withBadOne, 0.7, out));
            assertArrayEquals(sumClipped(without, 0.7), out);
        }

        @Test
        void areSkippedByTheReferenceImplementation() {
            double[][] perExample = {{3.0, Double.NaN, Double.NEGATIVE_INFINITY}, {4.0, 0.0, 1.0}};
            ClippedGradientSum clipped =
                    ClippedGradientSum.fromPerExampleGradients(lossWithPerExampleGradients(perExample));
            double[] sum = new double[2];
            assertEquals(2, clipped.clippedSumInto(new double[] {0, 0}, new double[][] {{1, 2, 3}}, 1.0, sum));
            assertArrayEquals(new double[] {0.6, 0.8}, sum, 1e-15);
        }

        @Test
        void areSkippedEvenWithoutClipping() {
            double[] out = new double[1];
            double[][] gradients = {{2.0, Double.NaN}};
            assertEquals(1, ClippedGradientSum.sumClippedInto(gradients, Double.POSITIVE_INFINITY, out));
            assertArrayEquals(new double[] {2.0}, out);
        }
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> sumClipped(new double[][] {{1.0}}, 0.0));
        assertEquals("clip norm must be greater than 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sumClipped(new double[][] {{1.0}}, Double.NaN));
        e = assertThrows(IllegalArgumentException.class,
                () -> sumClipped(new double[][] {{1.0, 2.0}, {1.0}}, 1.0));
        assertEquals("perExampleGradients[1] has 1 examples but perExampleGradients[0] has 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClippedGradientSum.sumClippedInto(new double[][] {{1.0}, {2.0}}, 1.0, new double[1]));
        assertEquals("out has length 1 but there are 2 parameters", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClippedGradientSum.fromPerExampleGradients(null));
        assertEquals("loss is null", e.getMessage());
    }

    private static double[] remove(double[] values, int index) {
        double[] rest = new double[values.length - 1];
        System.arraycopy(values, 0, rest, 0, index);
        System.arraycopy(values, index + 1, rest, index, values.length - index - 1);
        return rest;
    }

    /**
     * A {@link CompiledLoss} that only answers {@code perExampleGradients(params, columns)}, as a proxy so the
     * test does not break when the interface gains methods.
     */
    private static CompiledLoss lossWithPerExampleGradients(double[][] perExampleGradients) {
        return (CompiledLoss) Proxy.newProxyInstance(CompiledLoss.class.getClassLoader(), new Class<?>[] {CompiledLoss.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("perExampleGradients") && args.length == 2) {
                        return Arrays.stream(perExampleGradients).map(double[]::clone).toArray(double[][]::new);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
