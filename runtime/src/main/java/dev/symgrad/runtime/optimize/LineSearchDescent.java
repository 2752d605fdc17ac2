package dev.symgrad.runtime.optimize;

/**
 * The loop {@link Lbfgs} and {@link NewtonCg} share (Nocedal and Wright's line-search methods): evaluate f
 * and ∇f at the start, then until {@link Stopping} says so, take the method's search direction, fall back to
 * −∇f where it is not a descent direction, and step along it to a point satisfying the strong Wolfe
 * conditions ({@link StrongWolfeLineSearch}).
 */
final class LineSearchDescent {

    /** What a line-search method contributes: its directions, its first trial step, what it learns per step. */
    interface Method {
        /** Writes the search direction at x to {@code direction}. */
        void direction(double[] x, double[] gradient, double gradientNorm, double[] direction);

        /** Called when the direction was not a descent direction and −∇f is taken instead. */
        void restart();

        /** The first step length to try along the direction. */
        double initialStep(double gradientNorm);

        /** Called after each accepted step {@code s = α·d}, with the gradient's change {@code y}. */
        void accepted(double[] s, double[] y);
    }

    private LineSearchDescent() {
    }

    static OptimizationResult minimize(Objective objective, double[] start, Stopping stopping, Method method) {
        int n = start.length;
        double[] x = start.clone();
        double[] gradient = new double[n];
        double value = objective.valueAndGradient(x.clone(), gradient);
        int evaluations = 1;
        if (!Double.isFinite(value) || !Vectors.allFinite(gradient)) {
            return new OptimizationResult(x, value, gradient, 0, evaluations, StopReason.NOT_FINITE);
        }
        double[] direction = new double[n];
        for (int iteration = 0; ; iteration++) {
            OptimizationResult done = stopping.check(x, value, gradient, iteration, evaluations);
            if (done != null) {
                return done;
            }
            double norm = Vectors.norm(gradient);
            method.direction(x, gradient, norm, direction);
            double derivative = Vectors.dot(gradient, direction);
            if (!(derivative < 0)) {
                // Not a descent direction (rounding, or negative curvature): steepest descent this time.
                method.restart();
                for (int k = 0; k < n; k++) {
                    direction[k] = -gradient[k];
                }
                derivative = Vectors.dot(gradient, direction);
            }
            StrongWolfeLineSearch search = new StrongWolfeLineSearch(objective, x, value, derivative, direction);
            StrongWolfeLineSearch.Trial step = search.search(method.initialStep(norm));
            evaluations += search.evaluations();
            if (step == null) {
                return new OptimizationResult(x, value, gradient, iteration, evaluations, StopReason.LINE_SEARCH_FAILED);
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int k = 0; k < n; k++) {
                s[k] = step.alpha() * direction[k];
                y[k] = step.gradient()[k] - gradient[k];
                x[k] += s[k];
            }
            value = step.value();
            gradient = step.gradient();
            method.accepted(s, y);
        }
    }
}
