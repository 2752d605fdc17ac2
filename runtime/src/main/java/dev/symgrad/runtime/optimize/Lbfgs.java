package dev.symgrad.runtime.optimize;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.5): the search
 * direction from the last {@code m} steps and gradient changes by the two-loop recursion (Algorithm 7.4)
 * with the initial matrix {@code γI}, {@code γ = sᵀy / yᵀy}, and a step satisfying the strong Wolfe
 * conditions ({@link StrongWolfeLineSearch}: c₁ = 1e-4, c₂ = 0.9). The first step has length 1/‖∇f‖ along
 * −∇f; later steps try 1 first. A pair with {@code sᵀy ≤ 1e-10·yᵀy} (no positive curvature, possible only
 * where the line search stopped early) is not stored.
 *
 * <pre>{@code
 * OptimizationResult result = Lbfgs.builder().gradientTolerance(1e-8).build()
 *         .minimize((x, g) -> { loss.gradientOfSumInto(x, columns, g); return loss.totalLoss(x, columns); }, start);
 * }</pre>
 *
 * Stops when ‖∇f‖₂ ≤ the gradient tolerance (as SciPy's {@code gtol}, there with the ∞-norm), after the
 * iteration or evaluation limit, when the line search fails, or when f or ∇f is not finite at the start.
 */
public final class Lbfgs {

    private final int memory;
    private final Stopping stopping;

    private Lbfgs(Builder builder) {
        this.memory = builder.memory;
        this.stopping = builder.stopping();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Minimizes {@code objective} from {@code start} (not modified). */
    public OptimizationResult minimize(Objective objective, double[] start) {
        if (objective == null || start == null || start.length == 0) {
            throw new IllegalArgumentException("an objective and a non-empty start are required");
        }
        Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {1 / yᵀs}}, newest first
        return LineSearchDescent.minimize(objective, start, stopping, new LineSearchDescent.Method() {
            @Override
            public void direction(double[] x, double[] gradient, double gradientNorm, double[] direction) {
                twoLoop(pairs, gradient, direction);
            }

            @Override
            public void restart() {
                pairs.clear();
            }

            @Override
            public double initialStep(double gradientNorm) {
                return pairs.isEmpty() ? 1 / gradientNorm : 1;
            }

            @Override
            public void accepted(double[] s, double[] y) {
                double sy = Vectors.dot(s, y);
                if (sy > 1e-10 * Vectors.dot(y, y)) {
                    pairs.addFirst(new double[][] {s, y, {1 / sy}});
                    if (pairs.size() > memory) {
                        pairs.removeLast();
                    }
                }
            }
        });
    }

    /** {@code direction = -H·gradient} by Algorithm 7.4; steepest descent without pairs. */
    private static void twoLoop(Deque<double[][]> pairs, double[] gradient, double[] direction) {
        int n = gradient.length;
        double[] q = gradient.clone();
        double[] alphas = new double[pairs.size()];
        int i = 0;
        for (double[][] pair : pairs) {
            alphas[i] = pair[2][0] * Vectors.dot(pair[0], q);
            for (int k = 0; k < n; k++) {
                q[k] -= alphas[i] * pair[1][k];
            }
            i++;
        }
        double gamma = 1;
        if (!pairs.isEmpty()) {
            double[][] newest = pairs.peekFirst();
            gamma = 1 / (newest[2][0] * Vectors.dot(newest[1], newest[1]));
        }
        for (int k = 0; k < n; k++) {
            q[k] *= gamma;
        }
        Iterator<double[][]> oldestFirst = pairs.descendingIterator();
        i = pairs.size() - 1;
        while (oldestFirst.hasNext()) {
            double[][] pair = oldestFirst.next();
            double beta = pair[2][0] * Vectors.dot(pair[1], q);
            for (int k = 0; k < n; k++) {
                q[k] += pair[0][k] * (alphas[i] - beta);
            }
            i--;
        }
        for (int k = 0; k < n; k++) {
            direction[k] = -q[k];
        }
    }

    /** Settings; all have defaults (at most 1,000 iterations). */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private int memory = 10;

        private Builder() {
            super(1000);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Pairs kept, m (default 10, SciPy's default too). */
        public Builder memory(int memory) {
            if (memory < 1) {
                throw new IllegalArgumentException("memory must be at least 1: " + memory);
            }
            this.memory = memory;
            return this;
        }

        public Lbfgs build() {
            return new Lbfgs(this);
        }
    }
}
