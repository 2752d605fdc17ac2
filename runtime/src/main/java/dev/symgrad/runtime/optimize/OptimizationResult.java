package dev.symgrad.runtime.optimize;

/**
 * Where a minimization ended.
 *
 * @param x           the last accepted point (a fresh array)
 * @param value       f(x)
 * @param gradient    ∇f(x) (a fresh array)
 * @param iterations  accepted steps taken
 * @param evaluations calls of the objective
 * @param reason      why it stopped
 */
public record OptimizationResult(double[] x, double value, double[] gradient, int iterations, int evaluations,
                                 StopReason reason) {

    /** The Euclidean norm of {@link #gradient}. */
    public double gradientNorm() {
        return Vectors.norm(gradient);
    }
}
