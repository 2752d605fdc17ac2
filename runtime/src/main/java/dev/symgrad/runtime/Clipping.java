package dev.symgrad.runtime;

import java.util.Arrays;

/**
 * The reference arithmetic of DP-SGD's clipped sum over materialized per-example gradients, shared by
 * {@code ClippedGradientSum.sumClippedInto} and by the generated losses' exact path for the rare batches
 * whose fused kernel cannot form an example's norm directly.
 */
public final class Clipping {

    private Clipping() {
    }

    /**
     * Overwrites {@code out} with the clipped sum of examples {@code from..to-1} of {@code gradients}
     * ({@code [parameter][example]}), added in index order, and returns how many were skipped. An example
     * with a NaN or infinite component is skipped; a gradient whose norm exceeds C is scaled to norm C as
     * {@code (g / ‖g‖₂) · C}; the others are added unchanged. Where the sum of squares overflows or falls
     * below 10⁻²⁹⁰ (squares lose bits as subnormals, or vanish), the gradient is first divided by its
     * largest |component|. Arguments are not checked.
     */
    public static int sumClippedInto(double[][] gradients, int from, int to, double clipNorm, double[] out) {
        Arrays.fill(out, 0, gradients.length, 0.0);
        int skipped = 0;
        for (int i = from; i < to; i++) {
            if (!isFinite(gradients, i)) {
                skipped++;
                continue;
            }
            addClipped(gradients, i, clipNorm, out);
        }
        return skipped;
    }

    private static boolean isFinite(double[][] gradients, int example) {
        for (double[] row : gradients) {
            if (!Double.isFinite(row[example])) {
                return false;
            }
        }
        return true;
    }

    /** Adds example i's finite gradient, scaled to norm C if longer, computing with g / unit. */
    private static void addClipped(double[][] gradients, int example, double clipNorm, double[] out) {
        double unit = 1.0;
        double squares = sumOfSquares(gradients, example, unit);
        // Below 1e-290, squares may have lost bits as subnormals (under 2.2e-308) or vanished.
        if (Double.isInfinite(squares) || squares < 1e-290) {
            unit = 0.0;
            for (double[] row : gradients) {
                unit = Math.max(unit, Math.abs(row[example]));
            }
            if (unit == 0.0) {
                return; // a zero gradient adds zeros
            }
            squares = sumOfSquares(gradients, example, unit); // in [1, P]
        }
        double scaledNorm = Math.sqrt(squares); // ‖g‖ / unit
        if (unit * scaledNorm > clipNorm) {     // may overflow to +∞, which still compares right
            for (int p = 0; p < gradients.length; p++) {
                out[p] += gradients[p][example] / unit / scaledNorm * clipNorm;
            }
        } else {
            for (int p = 0; p < gradients.length; p++) {
                out[p] += gradients[p][example];
            }
        }
    }

    private static double sumOfSquares(double[][] gradients, int example, double unit) {
        double squares = 0.0;
        for (double[] row : gradients) {
            double scaled = row[example] / unit;
            squares += scaled * scaled;
        }
        return squares;
    }
}
