package dev.symgrad.benchmarks;

/**
 * A {@link GradientImplementation} that also computes DP-SGD's two per-example operations, as
 * {@link dev.symgrad.runtime.CompiledLoss} defines them.
 */
public interface ClippedGradientImplementation extends GradientImplementation {

    /**
     * {@code Σ_i g_i·min(1, C/‖g_i‖₂)} into {@code out} (length P); an example whose gradient norm is not finite
     * contributes zero.
     */
    void clippedGradientSum(double[] params, double[][] columns, double clipNorm, double[] out);

    /** {@code ‖g_i‖₂} of every example into {@code out} (length N). */
    void perExampleGradientNorms(double[] params, double[][] columns, double[] out);
}
