package dev.symgrad.runtime.optimize;

/**
 * When an optimizer stops, the rules {@link Lbfgs} and {@link NewtonCg} share: the gradient's Euclidean norm at
 * most the tolerance, or the iteration or evaluation limit reached.
 */
record Stopping(double gradientTolerance, int maxIterations, int maxEvaluations) {

    /** The result to return before iteration {@code iteration}'s step, or null to go on. */
    OptimizationResult check(double[] x, double value, double[] gradient, int iteration, int evaluations) {
        if (Vectors.norm(gradient) <= gradientTolerance) {
            return new OptimizationResult(x, value, gradient, iteration, evaluations, StopReason.GRADIENT_TOLERANCE);
        }
        if (iteration >= maxIterations) {
            return new OptimizationResult(x, value, gradient, iteration, evaluations, StopReason.MAX_ITERATIONS);
        }
        if (evaluations >= maxEvaluations) {
            return new OptimizationResult(x, value, gradient, iteration, evaluations, StopReason.MAX_EVALUATIONS);
        }
        return null;
    }
}
