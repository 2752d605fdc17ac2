package dev.symgrad.runtime.optimize;

/**
 * The settings {@link Lbfgs} and {@link NewtonCg} share, for their builders: when to stop (the gradient's
 * Euclidean norm, and the iteration and evaluation limits), validated as they are set.
 *
 * @param <B> the builder itself, so that the setters chain
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B>> {

    double gradientTolerance = 1e-8;
    int maxIterations;
    int maxEvaluations = 10_000;

    OptimizerBuilder(int maxIterations) {
        this.maxIterations = maxIterations;
    }

    abstract B self();

    /** Stop when ‖∇f‖₂ is at most this (default 1e-8). */
    public B gradientTolerance(double gradientTolerance) {
        if (!(gradientTolerance >= 0)) {
            throw new IllegalArgumentException("gradientTolerance must be at least 0: " + gradientTolerance);
        }
        this.gradientTolerance = gradientTolerance;
        return self();
    }

    /** Most accepted steps. */
    public B maxIterations(int maxIterations) {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations must be at least 0: " + maxIterations);
        }
        this.maxIterations = maxIterations;
        return self();
    }

    /** Most calls of the objective (default 10,000); a line search may pass it by its own trials. */
    public B maxEvaluations(int maxEvaluations) {
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be at least 1: " + maxEvaluations);
        }
        this.maxEvaluations = maxEvaluations;
        return self();
    }

    Stopping stopping() {
        return new Stopping(gradientTolerance, maxIterations, maxEvaluations);
    }
}
