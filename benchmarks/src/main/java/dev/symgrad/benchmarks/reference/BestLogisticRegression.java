package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.GradientImplementation;

/**
 * W3 for {@link BestLoops}: {@code f = log1p(exp(m))} with {@code m = -y (Σ w_j x_j + b)} over 8
 * features. With {@code g = -y exp(m) / (1 + exp(m))}, {@code ∂f/∂w_j = g x_j} and {@code ∂f/∂b = g}.
 *
 * <p>The one {@code Math.exp} per example never vectorizes, and a loop that calls it must spill
 * every live accumulator, weight and column around the call. So the work runs in three passes: m (a
 * vectorized map), g (the exp loop, with almost nothing live), then the gradient columns or sums
 * (call-free). At N=1024 this took 20-24 instead of 31 ns/example for route (a) materialized and
 * 21-26 instead of 35-41 for the sums, on JDK 17 and 25. The sums go block by block through a
 * small scratch array for g, so the inputs are still in cache for the third pass; route (a)
 * materialized keeps g in the b column, over the whole batch (blocking it measured slower).
 *
 * <p>Nothing parameter-only can be factored out of the sums (g depends on every parameter), so
 * route (b) is the same computation as route (a) summed.
 *
 * <p>{@code exp(m) / (1 + exp(m))} is NaN from m = 710 on. The {@linkplain #BestLogisticRegression(boolean)
 * stable} variant computes the sigmoid as {@code StableMath.sigmoid} does, as symgrad's code for this loss
 * does since issue 19, and measures what that costs a hand-written loop.
 */
final class BestLogisticRegression implements GradientImplementation {

    private static final int BLOCK = 128;

    private final boolean stable;

    /** With {@code stable}, the sigmoid is finite for every finite margin. */
    BestLogisticRegression(boolean stable) {
        this.stable = stable;
    }

    @Override
    public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        double[] x0 = columns[0];
        double[] x1 = columns[1];
        double[] x2 = columns[2];
        double[] x3 = columns[3];
        double[] x4 = columns[4];
        double[] x5 = columns[5];
        double[] x6 = columns[6];
        double[] x7 = columns[7];
        double[] d0 = out[0];
        double[] d1 = out[1];
        double[] d2 = out[2];
        double[] d3 = out[3];
        double[] d4 = out[4];
        double[] d5 = out[5];
        double[] d6 = out[6];
        double[] d7 = out[7];
        double[] db = out[8];
        int n = x0.length;
        // ∂f/∂b = g, so the b column doubles as the scratch for g.
        outerDerivatives(params, columns, 0, n, db, 0);
        for (int i = 0; i < n; i++) {
            // All loads before the first store. Under G1, large columns are humongous objects that start
            // on region boundaries, so x_j[i] and d_j[i] share their low 12 address bits, and a load
            // issued after a store with the same low bits waits for it (4K aliasing). Storing d0[i]
            // before loading x1[i] made this loop 3 times slower at N=131072.
            double g = db[i];
            double g0 = g * x0[i];
            double g1 = g * x1[i];
            double g2 = g * x2[i];
            double g3 = g * x3[i];
            double g4 = g * x4[i];
            double g5 = g * x5[i];
            double g6 = g * x6[i];
            double g7 = g * x7[i];
            d0[i] = g0;
            d1[i] = g1;
            d2[i] = g2;
            d3[i] = g3;
            d4[i] = g4;
            d5[i] = g5;
            d6[i] = g6;
            d7[i] = g7;
        }
    }

    @Override
    public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
        double[] x0 = columns[0];
        double[] x1 = columns[1];
        double[] x2 = columns[2];
        double[] x3 = columns[3];
        double[] x4 = columns[4];
        double[] x5 = columns[5];
        double[] x6 = columns[6];
        double[] x7 = columns[7];
        int n = x0.length;
        double[] g = new double[Math.min(n, BLOCK)];
        // Two accumulators per parameter: even examples into the first, odd ones into the second.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        double sb = 0;
        double t0 = 0;
        double t1 = 0;
        double t2 = 0;
        double t3 = 0;
        double t4 = 0;
        double t5 = 0;
        double t6 = 0;
        double t7 = 0;
        double tb = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            outerDerivatives(params, columns, from, to, g, -from);
            int i = from;
            for (; i < to - 1; i += 2) {
                double ge = g[i - from];
                double go = g[i + 1 - from];
                s0 += ge * x0[i];
                s1 += ge * x1[i];
                s2 += ge * x2[i];
                s3 += ge * x3[i];
                s4 += ge * x4[i];
                s5 += ge * x5[i];
                s6 += ge * x6[i];
                s7 += ge * x7[i];
                sb += ge;
                t0 += go * x0[i + 1];
                t1 += go * x1[i + 1];
                t2 += go * x2[i + 1];
                t3 += go * x3[i + 1];
                t4 += go * x4[i + 1];
                t5 += go * x5[i + 1];
                t6 += go * x6[i + 1];
                t7 += go * x7[i + 1];
                tb += go;
            }
            if (i < to) {
                double ge = g[i - from];
                s0 += ge * x0[i];
                s1 += ge * x1[i];
                s2 += ge * x2[i];
                s3 += ge * x3[i];
                s4 += ge * x4[i];
                s5 += ge * x5[i];
                s6 += ge * x6[i];
                s7 += ge * x7[i];
                sb += ge;
            }
        }
        out[0] = s0 + t0;
        out[1] = s1 + t1;
        out[2] = s2 + t2;
        out[3] = s3 + t3;
        out[4] = s4 + t4;
        out[5] = s5 + t5;
        out[6] = s6 + t6;
        out[7] = s7 + t7;
        out[8] = sb + tb;
    }

    @Override
    public void gradientOfSum(double[] params, double[][] columns, double[] out) {
        sumOfPerExampleGradients(params, columns, out);
    }

    /**
     * Writes {@code g = ∂f/∂z} (z the linear score) of examples {@code from} to {@code to - 1} into
     * {@code g[i + shift]}, in two passes: m, vectorized, then the exp loop.
     */
    private void outerDerivatives(double[] params, double[][] columns, int from, int to,
                                         double[] g, int shift) {
        double w0 = params[0];
        double w1 = params[1];
        double w2 = params[2];
        double w3 = params[3];
        double w4 = params[4];
        double w5 = params[5];
        double w6 = params[6];
        double w7 = params[7];
        double b = params[8];
        double[] x0 = columns[0];
        double[] x1 = columns[1];
        double[] x2 = columns[2];
        double[] x3 = columns[3];
        double[] x4 = columns[4];
        double[] x5 = columns[5];
        double[] x6 = columns[6];
        double[] x7 = columns[7];
        double[] y = columns[8];
        for (int i = from; i < to; i++) {
            g[i + shift] = -y[i] * (w0 * x0[i] + w1 * x1[i] + w2 * x2[i] + w3 * x3[i]
                    + w4 * x4[i] + w5 * x5[i] + w6 * x6[i] + w7 * x7[i] + b);
        }
        if (stable) {
            for (int i = from; i < to; i++) {
                double m = g[i + shift];
                double e = Math.exp(-Math.abs(m));
                g[i + shift] = -y[i] * (m >= 0 ? 1 / (1 + e) : e / (1 + e));
            }
        } else {
            for (int i = from; i < to; i++) {
                double e = Math.exp(g[i + shift]);
                g[i + shift] = -y[i] * e / (1 + e);
            }
        }
    }
}
