package dev.symgrad.runtime.privacy;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference clipped sum: each example's gradient scaled to norm at most C, then summed. */
class ClippedGradientSumTest {

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
        assertArrayEquals(new double[] {0.3 - 0.1, 0.4 + 0.2}, ClippedGradientSum.sumClipped(gradients, 1.0), 1e-15);
    }

    @Test
    void largerGradientsAreScaledToTheClipNorm() {
        double[][] gradients = {{3.0}, {4.0}}; // norm 5
        assertArrayEquals(new double[] {0.6, 0.8}, ClippedGradientSum.sumClipped(gradients, 1.0), 1e-15);
    }

    @Test
    void eachExampleContributesAtMostTheClipNorm() {
        double clipNorm = 0.7;
        double[][] gradients = {{1e-3, 5.0, -2e9, 0.69, 3.0}, {2.0, -1e-300, 7e8, 0.0, 4.0}};
        double[] sumOfAll = ClippedGradientSum.sumClipped(gradients, clipNorm);
        for (int i = 0; i < gradients[0].length; i++) {
            double[] alone = ClippedGradientSum.sumClipped(new double[][] {{gradients[0][i]}, {gradients[1][i]}}, clipNorm);
            assertTrue(norm(alone) <= clipNorm * (1 + 1e-15), "example " + i + " has norm " + norm(alone));
            double[][] without = {remove(gradients[0], i), remove(gradients[1], i)};
            double[] sumOfOthers = ClippedGradientSum.sumClipped(without, clipNorm);
            double change = norm(sumOfAll[0] - sumOfOthers[0], sumOfAll[1] - sumOfOthers[1]);
            assertTrue(change <= clipNorm * (1 + 1e-12), "removing example " + i + " changes the sum by " + change);
        }
    }

    @Test
    void hugeGradientsAreClippedNotZeroed() {
        double[] sum = ClippedGradientSum.sumClipped(new double[][] {{3e200}, {4e200}}, 1.0); // squares overflow
        assertArrayEquals(new double[] {0.6, 0.8}, sum, 1e-15);
    }

    @Test
    void infiniteClipNormClipsNothing() {
        assertArrayEquals(new double[] {7.0}, ClippedGradientSum.sumClipped(new double[][] {{3.0, 4.0, 0.0}},
                Double.POSITIVE_INFINITY));
    }

    @Test
    void emptyBatchSumsToZero() {
        assertArrayEquals(new double[] {0.0, 0.0}, ClippedGradientSum.sumClipped(new double[][] {{}, {}}, 1.0));
    }

    @Test
    void referenceImplementationClipsRouteA() {
        double[][] perExample = {{3.0, 0.1, -6.0}, {4.0, 0.2, 8.0}};
        ClippedGradientSum clipped = ClippedGradientSum.fromPerExampleGradients(lossWithPerExampleGradients(perExample));
        double[] sum = clipped.clippedSum(new double[] {0, 0}, new double[][] {{1, 2, 3}}, 1.0);
        assertArrayEquals(new double[] {0.6 + 0.1 - 0.6, 0.8 + 0.2 + 0.8}, sum, 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ClippedGradientSum.sumClipped(new double[][] {{1.0}}, 0.0));
        assertEquals("clip norm must be greater than 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClippedGradientSum.sumClipped(new double[][] {{1.0}}, Double.NaN));
        e = assertThrows(IllegalArgumentException.class,
                () -> ClippedGradientSum.sumClipped(new double[][] {{1.0, 2.0}, {1.0}}, 1.0));
        assertEquals("perExampleGradients[1] has 1 examples but perExampleGradients[0] has 2", e.getMessage());
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
