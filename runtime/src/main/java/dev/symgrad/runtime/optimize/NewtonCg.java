package dev.symgrad.runtime.optimize;

/**
 * Line-search Newton-CG (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.1), as SciPy's
 * {@code minimize(method='Newton-CG')}: each iteration solves {@code ∇²f·p = -∇f} approximately by conjugate
 * gradients, using only Hessian-vector products, to the relative residual {@code min(0.5, √‖∇f‖)}
 * (superlinear convergence), stopping early at a direction of non-positive curvature (then the last
 * iterate, or −∇f on the first CG step); then a step along p satisfying the strong Wolfe conditions
 * ({@link StrongWolfeLineSearch}), trying 1 first.
 *
 * <pre>{@code
 * OptimizationResult r = NewtonCg.builder().gradientTolerance(1e-8).build().minimize(objective, hessianTimes, start);
 * }</pre>
 */
public final class NewtonCg {

    private final Stopping stopping;

    private NewtonCg(Builder builder) {
        this.stopping = builder.stopping();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Minimizes {@code objective} from {@code start} (not modified), with {@code hessian} its Hessian-vector
     * product. {@link OptimizationResult#evaluations()} counts calls of the objective; each CG step is one
     * Hessian-vector product, at most n per iteration.
     */
    public OptimizationResult minimize(Objective objective, HessianVectorProduct hessian, double[] start) {
        if (objective == null || hessian == null || start == null || start.length == 0) {
            throw new IllegalArgumentException("an objective, its Hessian-vector product and a non-empty start are required");
        }
        return LineSearchDescent.minimize(objective, start, stopping, new LineSearchDescent.Method() {
            @Override
            public void direction(double[] x, double[] gradient, double gradientNorm, double[] direction) {
                double[] p = newtonDirection(hessian, x, gradient, Math.min(0.5, Math.sqrt(gradientNorm)) * gradientNorm);
                System.arraycopy(p, 0, direction, 0, p.length);
            }

            @Override
            public void restart() {
            }

            @Override
            public double initialStep(double gradientNorm) {
                return 1;
            }

            @Override
            public void accepted(double[] s, double[] y) {
            }
        });
    }

    /**
     * Conjugate gradients on {@code ∇²f·p = -g} from p = 0 until the residual's norm is at most
     * {@code tolerance} (or n steps), stopping before a direction d with {@code dᵀ∇²f·d ≤ 0}: then the
     * iterate so far, or −g if that is still zero (Algorithm 7.1).
     */
    private static double[] newtonDirection(HessianVectorProduct hessian, double[] x, double[] g, double tolerance) {
        int n = g.length;
        double[] p = new double[n];
        double[] r = g.clone();        // residual ∇²f·p + g
        double[] d = new double[n];    // search direction
        for (int k = 0; k < n; k++) {
            d[k] = -r[k];
        }
        double[] hd = new double[n];
        double rr = Vectors.dot(r, r);
        for (int step = 0; step < n; step++) {
            hessian.apply(x, d, hd);
            double curvature = Vectors.dot(d, hd);
            if (!(curvature > 0)) {
                if (step == 0) {
                    for (int k = 0; k < n; k++) {
                        p[k] = -g[k];
                    }
                }
                return p;
            }
            double alpha = rr / curvature;
            for (int k = 0; k < n; k++) {
                p[k] += alpha * d[k];
                r[k] += alpha * hd[k];
            }
            double next = Vectors.dot(r, r);
            if (Math.sqrt(next) <= tolerance) {
                return p;
            }
            double beta = next / rr;
            for (int k = 0; k < n; k++) {
                d[k] = -r[k] + beta * d[k];
            }
            rr = next;
        }
        return p;
    }

    /** Settings; all have defaults (at most 200 iterations). */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private Builder() {
            super(200);
        }

        @Override
        Builder self() {
            return this;
        }

        public NewtonCg build() {
            return new NewtonCg(this);
        }
    }
}
