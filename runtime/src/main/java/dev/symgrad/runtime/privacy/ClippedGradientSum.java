package dev.symgrad.runtime.privacy;

import dev.symgrad.runtime.Clipping;
import dev.symgrad.runtime.CompiledLoss;


/**
 * The sum over a batch of the per-example gradients, each first scaled down to an L2 norm of at most C:
 * {@code Σ_i g_i · min(1, C / ‖g_i‖₂)}, the quantity DP-SGD adds noise to. An example whose gradient has a
 * NaN or infinite component is <em>skipped</em>: it contributes zero and is counted.
 *
 * <p>{@link DpSgd} takes this interface rather than a {@link CompiledLoss}, so that a fused implementation
 * that never materializes the per-example gradients can be passed as a method reference,
 * {@code loss::clippedGradientSumInto}; the reference implementation {@link #fromPerExampleGradients}
 * materializes them with route (a).
 *
 * <p>Implementations must not modify {@code params} or {@code columns}, must overwrite the P entries of
 * {@code out}, and must bound each example's contribution by {@code clipNorm}: the privacy guarantee
 * computed by the accountant rests on that bound. That is why a non-finite gradient contributes zero: no
 * scaling bounds a NaN, and one NaN in the sum would make every parameter DP-SGD releases NaN.
 */
@FunctionalInterface
public interface ClippedGradientSum {

    /**
     * Writes the clipped per-example gradients of the batch, summed, into {@code out}, and returns how
     * many examples were skipped because their gradient has a NaN or infinite component.
     *
     * @param params the parameters, one value per differentiated parameter
     * @param columns the batch, one column per input, all of the same length N (N may be 0)
     * @param clipNorm C, greater than 0
     * @param out the clipped sum, one entry per parameter (overwritten)
     * @return the number of skipped examples, from 0 to N
     */
    int clippedSumInto(double[] params, double[][] columns, double clipNorm, double[] out);

    /**
     * The reference implementation on a compiled loss: computes route (a),
     * {@link CompiledLoss#perExampleGradients(double[], double[][])}, then clips and sums it with
     * {@link #sumClippedInto}. It allocates the {@code [P][N]} gradients on every call.
     */
    static ClippedGradientSum fromPerExampleGradients(CompiledLoss loss) {
        if (loss == null) {
            throw new IllegalArgumentException("loss is null");
        }
        return (params, columns, clipNorm, out) -> {
            checkClipNorm(clipNorm);
            return sumClippedInto(loss.perExampleGradients(params, columns), clipNorm, out);
        };
    }

    /**
     * Clips and sums per-example gradients laid out as {@link CompiledLoss#perExampleGradients} returns
     * them, {@code [parameter][example]}: example i's gradient is {@code g[0][i], g[1][i], …}. An example
     * with a NaN or infinite component is skipped (it adds nothing) and counted. Every other gradient whose
     * norm exceeds C is scaled to norm C, as {@code (g_i / ‖g_i‖₂) · C}; the others are added unchanged (a
     * zero gradient adds zeros). Examples are added in index order.
     *
     * <p>Where the sum of squares overflows, or falls below 10⁻²⁹⁰ where squares lose their precision in
     * the subnormal range (or vanish), the gradient is first divided by its largest |component|, so huge
     * gradients are clipped to norm C rather than zeroed and tiny ones are clipped rather than passed
     * unclipped. Unlike Opacus, no 10⁻⁶ is added to the norm: the factor is exactly {@code C / ‖g_i‖₂}, as in
     * JAX's DP-SGD example.
     *
     * @param perExampleGradients {@code [P][N]}, every row of the same length
     * @param clipNorm C, greater than 0 ({@code +∞} means no clipping)
     * @param out the clipped sum, one entry per parameter (overwritten)
     * @return the number of skipped examples
     */
    static int sumClippedInto(double[][] perExampleGradients, double clipNorm, double[] out) {
        checkClipNorm(clipNorm);
        if (perExampleGradients == null) {
            throw new IllegalArgumentException("perExampleGradients is null");
        }
        int parameterCount = perExampleGradients.length;
        if (out == null || out.length != parameterCount) {
            throw new IllegalArgumentException(out == null ? "out is null"
                    : "out has length " + out.length + " but there are " + parameterCount + " parameters");
        }
        int exampleCount = parameterCount == 0 ? 0 : lengthOf(perExampleGradients[0], 0);
        for (int p = 1; p < parameterCount; p++) {
            if (lengthOf(perExampleGradients[p], p) != exampleCount) {
                throw new IllegalArgumentException("perExampleGradients[" + p + "] has "
                        + perExampleGradients[p].length + " examples but perExampleGradients[0] has " + exampleCount);
            }
        }
        return Clipping.sumClippedInto(perExampleGradients, 0, exampleCount, clipNorm, out);
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
