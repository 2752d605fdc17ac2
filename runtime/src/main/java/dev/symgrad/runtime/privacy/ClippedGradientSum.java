package dev.symgrad.runtime.privacy;

import dev.symgrad.runtime.CompiledLoss;

/**
 * The sum over a batch of the per-example gradients, each first scaled down to an L2 norm of at most C:
 * {@code Σ_i g_i · min(1, C / ‖g_i‖₂)}, the quantity DP-SGD adds noise to.
 *
 * <p>{@link DpSgd} takes this interface rather than a {@link CompiledLoss}, so that a fused implementation
 * that never materializes the per-example gradients can be passed as a method reference; the reference
 * implementation {@link #fromPerExampleGradients(CompiledLoss)} materializes them with route (a).
 *
 * <p>Implementations must not modify {@code params} or {@code columns}, must return a new array with one
 * entry per parameter, and must bound each example's contribution by {@code clipNorm}: the privacy
 * guarantee computed by the accountant rests on that bound.
 */
@FunctionalInterface
public interface ClippedGradientSum {

    /**
     * The clipped per-example gradients of the batch, summed.
     *
     * @param params the parameters, one value per differentiated parameter
     * @param columns the batch, one column per input, all of the same length N (N may be 0)
     * @param clipNorm C, greater than 0
     */
    double[] clippedSum(double[] params, double[][] columns, double clipNorm);

    /**
     * The reference implementation on a compiled loss: computes route (a),
     * {@link CompiledLoss#perExampleGradients(double[], double[][])}, then clips and sums it with
     * {@link #sumClipped(double[][], double)}. It allocates the {@code [P][N]} gradients on every call.
     */
    static ClippedGradientSum fromPerExampleGradients(CompiledLoss loss) {
        if (loss == null) {
            throw new IllegalArgumentException("loss is null");
        }
        return (params, columns, clipNorm) -> {
            checkClipNorm(clipNorm);
            return sumClipped(loss.perExampleGradients(params, columns), clipNorm);
        };
    }

    /**
     * Clips and sums per-example gradients laid out as {@link CompiledLoss#perExampleGradients} returns
     * them, {@code [parameter][example]}: example i's gradient is {@code g[0][i], g[1][i], …}. Each is
     * multiplied by {@code min(1, C / ‖g_i‖₂)} (a zero gradient stays zero), then the examples are added
     * in index order. The norm is rescaled where its square would overflow, so huge gradients are clipped
     * to norm C rather than zeroed. Unlike Opacus, no 10⁻⁶ is added to the norm: the factor is exactly
     * {@code C / ‖g_i‖₂}, as in JAX's DP-SGD example.
     *
     * @param perExampleGradients {@code [P][N]}, every row of the same length
     * @param clipNorm C, greater than 0 ({@code +∞} means no clipping)
     * @return the clipped sum, one entry per parameter
     */
    static double[] sumClipped(double[][] perExampleGradients, double clipNorm) {
        checkClipNorm(clipNorm);
        if (perExampleGradients == null) {
            throw new IllegalArgumentException("perExampleGradients is null");
        }
        int parameterCount = perExampleGradients.length;
        int exampleCount = parameterCount == 0 ? 0 : lengthOf(perExampleGradients[0], 0);
        for (int p = 1; p < parameterCount; p++) {
            if (lengthOf(perExampleGradients[p], p) != exampleCount) {
                throw new IllegalArgumentException("perExampleGradients[" + p + "] has "
                        + perExampleGradients[p].length + " examples but perExampleGradients[0] has " + exampleCount);
            }
        }
        double[] sum = new double[parameterCount];
        for (int i = 0; i < exampleCount; i++) {
            double scale = Math.min(1.0, clipNorm / norm(perExampleGradients, i));
            for (int p = 0; p < parameterCount; p++) {
                sum[p] += perExampleGradients[p][i] * scale;
            }
        }
        return sum;
    }

    private static double norm(double[][] gradients, int example) {
        double squares = 0.0;
        for (double[] row : gradients) {
            squares += row[example] * row[example];
        }
        if (!Double.isInfinite(squares)) {
            return Math.sqrt(squares);
        }
        double largest = 0.0;
        for (double[] row : gradients) {
            largest = Math.max(largest, Math.abs(row[example]));
        }
        if (Double.isInfinite(largest)) {
            return Double.POSITIVE_INFINITY;
        }
        double scaledSquares = 0.0;
        for (double[] row : gradients) {
            double scaled = row[example] / largest;
            scaledSquares += scaled * scaled;
        }
        return largest * Math.sqrt(scaledSquares);
    }

    private static int lengthOf(double[] row, int p) {
        if (row == null) {
            throw new IllegalArgumentException("perExampleGradients[" + p + "] is null");
        }
        return row.length;
    }

    private static void checkClipNorm(double clipNorm) {
        if (!(clipNorm > 0.0)) {
            throw new IllegalArgumentException("clip norm must be greater than 0, got " + clipNorm);
        }
    }
}
