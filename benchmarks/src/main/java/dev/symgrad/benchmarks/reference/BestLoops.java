package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.GradientImplementation;
import dev.symgrad.benchmarks.Workload;

/**
 * The fastest hand-written loops we could make, the limit symgrad's generated code is measured
 * against. What makes them fast, following {@code JVM-NOTES.md} §0 and §2.7, and measured with a
 * small timing harness at N=1024 and N=131072 on JDK 17 and 25:
 *
 * <ul>
 *   <li>Parameter-only values are hoisted out of the loops, and features and hidden units are
 *       unrolled into locals, so the loop body reads each column once.
 *   <li>Map loops (route (a) materialized) are plain counted {@code int} loops with no calls but
 *       {@code Math} intrinsics, no branches and one store per output column, so C2 vectorizes
 *       them; each example's loads come before its first store (see
 *       {@link BestLogisticRegression} on 4K aliasing).
 *   <li>Sums use independent accumulators, combined at the end: four per parameter for W1 and W2,
 *       where C2 would otherwise keep one strictly sequential chain bound by add latency.
 *   <li>For W3 and W4, {@code exp} and {@code tanh} dominate and are calls, around which everything
 *       live is spilled; the calls run in a loop of their own and the rest call-free.
 *   <li>Route (b) factors parameter-only terms out of the sums where that saves work: W1 is
 *       {@code 2w Σx²}, W4 applies 2 and v_k once per sum. For W2 the fully factored form needs four
 *       data-only sums instead of two and measured slower; for W3 nothing can be factored. Route (a)
 *       summed never factors: it adds up the per-example gradients, as its name promises.
 * </ul>
 *
 * Several accumulators and factoring round differently from one accumulator, so results match the
 * straightforward loops to a few ulps, not bit for bit.
 */
public final class BestLoops {

    private BestLoops() {
    }

    /** The best loops for {@code workload}; there are none for {@link Workload#W5}. */
    public static GradientImplementation forWorkload(Workload workload) {
        return switch (workload) {
            case W1 -> new SquaredProduct();
            case W2 -> new LinearRegression();
            case W3 -> new BestLogisticRegression(false);
            case W4 -> new BestTanhNetwork();
            case W5 -> throw new IllegalArgumentException(
                    "no hand-written reference for W5: its 600-term loss exists to measure compile time");
        };
    }

    /**
     * The best loops computing what symgrad's code computes where that is more than the loss's text
     * says: W3's sigmoid as {@code StableMath.sigmoid}, finite for every margin. The others compute
     * the same as {@link #forWorkload}.
     */
    public static GradientImplementation stableForWorkload(Workload workload) {
        return workload == Workload.W3 ? new BestLogisticRegression(true) : forWorkload(workload);
    }

    /** W1, {@code f = (w x)²}: {@code ∂f/∂w = 2 w x²}; route (b) is {@code 2w Σx²}. */
    static final class SquaredProduct implements GradientImplementation {

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            double twoW = 2 * params[0];
            double[] x = columns[0];
            double[] dw = out[0];
            for (int i = 0; i < x.length; i++) {
                dw[i] = twoW * x[i] * x[i];
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            double twoW = 2 * params[0];
            double[] x = columns[0];
            int n = x.length;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i < n - 3; i += 4) {
                s0 += twoW * x[i] * x[i];
                s1 += twoW * x[i + 1] * x[i + 1];
                s2 += twoW * x[i + 2] * x[i + 2];
                s3 += twoW * x[i + 3] * x[i + 3];
            }
            for (; i < n; i++) {
                s0 += twoW * x[i] * x[i];
            }
            out[0] = (s0 + s1) + (s2 + s3);
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            out[0] = 2 * params[0] * sumOfSquares(columns[0]);
        }

        private static double sumOfSquares(double[] x) {
            int n = x.length;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i < n - 3; i += 4) {
                s0 += x[i] * x[i];
                s1 += x[i + 1] * x[i + 1];
                s2 += x[i + 2] * x[i + 2];
                s3 += x[i + 3] * x[i + 3];
            }
            for (; i < n; i++) {
                s0 += x[i] * x[i];
            }
            return (s0 + s1) + (s2 + s3);
        }
    }

    /** W2, {@code f = r²} with {@code r = w x + b - y}: {@code ∂f/∂w = 2 r x}, {@code ∂f/∂b = 2 r}. */
    static final class LinearRegression implements GradientImplementation {

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            double w = params[0];
            double b = params[1];
            double[] x = columns[0];
            double[] y = columns[1];
            double[] dw = out[0];
            double[] db = out[1];
            for (int i = 0; i < x.length; i++) {
                double twoR = 2 * (w * x[i] + b - y[i]);
                dw[i] = twoR * x[i];
                db[i] = twoR;
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            double w = params[0];
            double b = params[1];
            double[] x = columns[0];
            double[] y = columns[1];
            int n = x.length;
            double w0 = 0;
            double w1 = 0;
            double w2 = 0;
            double w3 = 0;
            double b0 = 0;
            double b1 = 0;
            double b2 = 0;
            double b3 = 0;
            int i = 0;
            for (; i < n - 3; i += 4) {
                double r0 = w * x[i] + b - y[i];
                double r1 = w * x[i + 1] + b - y[i + 1];
                double r2 = w * x[i + 2] + b - y[i + 2];
                double r3 = w * x[i + 3] + b - y[i + 3];
                w0 += r0 * x[i];
                w1 += r1 * x[i + 1];
                w2 += r2 * x[i + 2];
                w3 += r3 * x[i + 3];
                b0 += r0;
                b1 += r1;
                b2 += r2;
                b3 += r3;
            }
            for (; i < n; i++) {
                double r = w * x[i] + b - y[i];
                w0 += r * x[i];
                b0 += r;
            }
            // Multiplying by 2 is exact, so 2 Σ r x rounds exactly like Σ 2 r x.
            out[0] = 2 * ((w0 + w1) + (w2 + w3));
            out[1] = 2 * ((b0 + b1) + (b2 + b3));
        }

        /**
         * Not factored. Factoring would give {@code 2(w Σx² + b Σx - Σxy)} and {@code 2(w Σx + N b - Σy)}:
         * four data-only sums instead of two, as many flops per example, and measured slower (about
         * 1.1-1.2 ns/example fused in one loop, 1.5 in four loops, against 0.9 for the sums of
         * {@code r x} and {@code r}, at N=1024 on JDK 17 and 25).
         */
        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }
    }
}
