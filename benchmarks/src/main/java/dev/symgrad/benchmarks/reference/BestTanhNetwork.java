package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.GradientImplementation;

/**
 * W4 for {@link BestLoops}: {@code f = r²} with {@code r = Σ v_k h_k + d - y} and
 * {@code h_k = tanh(a_k x + c_k)}, 4 hidden units, parameters ordered v, a, c, d.
 * {@code ∂f/∂v_k = 2r h_k}, {@code ∂f/∂c_k = 2r v_k (1 - h_k²)}, {@code ∂f/∂a_k = ∂f/∂c_k · x},
 * {@code ∂f/∂d = 2r}. Route (b) factors 2 and v_k out: {@code ∂/∂c_k Σf = 2 v_k Σ r (1 - h_k²)}.
 *
 * <p>The four {@code Math.tanh} calls per example dominate (a native {@code StrictMath} call on JDK
 * 17, a scalar intrinsic stub on JDK 25). A loop that calls tanh spills everything live around each
 * call, so the sums go block by block: first the tanh values into small scratch arrays, in a loop
 * that does nothing else, then a call-free loop. This saved 5-20% over one fused loop, at N=1024
 * and N=131072, on JDK 17 and 25. Route (a) materialized stays fused (see there). One accumulator
 * per parameter is enough here: 13 independent chains, each advancing once per example, with tens
 * of flops per example between their adds, are far from the add-latency bound.
 */
final class BestTanhNetwork implements GradientImplementation {

    private static final int BLOCK = 128;

    /**
     * One fused loop. Computing the tanh values first (into scratch blocks or into the v_k columns)
     * and then running a vectorizable loop was 8-15% faster at N=1024 but 11-60% slower at N=131072,
     * where the 13 output columns, all aligned alike (see {@link BestLogisticRegression}), are
     * written in a burst instead of one example per four tanh calls.
     */
    @Override
    public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        double v0 = params[0];
        double v1 = params[1];
        double v2 = params[2];
        double v3 = params[3];
        double a0 = params[4];
        double a1 = params[5];
        double a2 = params[6];
        double a3 = params[7];
        double c0 = params[8];
        double c1 = params[9];
        double c2 = params[10];
        double c3 = params[11];
        double d = params[12];
        double[] x = columns[0];
        double[] y = columns[1];
        double[] dv0 = out[0];
        double[] dv1 = out[1];
        double[] dv2 = out[2];
        double[] dv3 = out[3];
        double[] da0 = out[4];
        double[] da1 = out[5];
        double[] da2 = out[6];
        double[] da3 = out[7];
        double[] dc0 = out[8];
        double[] dc1 = out[9];
        double[] dc2 = out[10];
        double[] dc3 = out[11];
        double[] dd = out[12];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double h0 = Math.tanh(a0 * xi + c0);
            double h1 = Math.tanh(a1 * xi + c1);
            double h2 = Math.tanh(a2 * xi + c2);
            double h3 = Math.tanh(a3 * xi + c3);
            double twoR = 2 * (v0 * h0 + v1 * h1 + v2 * h2 + v3 * h3 + d - y[i]);
            double pre0 = twoR * v0 * (1 - h0 * h0);
            double pre1 = twoR * v1 * (1 - h1 * h1);
            double pre2 = twoR * v2 * (1 - h2 * h2);
            double pre3 = twoR * v3 * (1 - h3 * h3);
            dv0[i] = twoR * h0;
            dv1[i] = twoR * h1;
            dv2[i] = twoR * h2;
            dv3[i] = twoR * h3;
            da0[i] = pre0 * xi;
            da1[i] = pre1 * xi;
            da2[i] = pre2 * xi;
            da3[i] = pre3 * xi;
            dc0[i] = pre0;
            dc1[i] = pre1;
            dc2[i] = pre2;
            dc3[i] = pre3;
            dd[i] = twoR;
        }
    }

    @Override
    public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
        double v0 = params[0];
        double v1 = params[1];
        double v2 = params[2];
        double v3 = params[3];
        double d = params[12];
        double[] x = columns[0];
        double[] y = columns[1];
        int n = x.length;
        double[] h0s = new double[Math.min(n, BLOCK)];
        double[] h1s = new double[h0s.length];
        double[] h2s = new double[h0s.length];
        double[] h3s = new double[h0s.length];
        double sv0 = 0;
        double sv1 = 0;
        double sv2 = 0;
        double sv3 = 0;
        double sa0 = 0;
        double sa1 = 0;
        double sa2 = 0;
        double sa3 = 0;
        double sc0 = 0;
        double sc1 = 0;
        double sc2 = 0;
        double sc3 = 0;
        double sd = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            activations(params, x, from, to, h0s, h1s, h2s, h3s, -from);
            for (int i = from; i < to; i++) {
                double h0 = h0s[i - from];
                double h1 = h1s[i - from];
                double h2 = h2s[i - from];
                double h3 = h3s[i - from];
                double twoR = 2 * (v0 * h0 + v1 * h1 + v2 * h2 + v3 * h3 + d - y[i]);
                double pre0 = twoR * v0 * (1 - h0 * h0);
                double pre1 = twoR * v1 * (1 - h1 * h1);
                double pre2 = twoR * v2 * (1 - h2 * h2);
                double pre3 = twoR * v3 * (1 - h3 * h3);
                sv0 += twoR * h0;
                sv1 += twoR * h1;
                sv2 += twoR * h2;
                sv3 += twoR * h3;
                sa0 += pre0 * x[i];
                sa1 += pre1 * x[i];
                sa2 += pre2 * x[i];
                sa3 += pre3 * x[i];
                sc0 += pre0;
                sc1 += pre1;
                sc2 += pre2;
                sc3 += pre3;
                sd += twoR;
            }
        }
        out[0] = sv0;
        out[1] = sv1;
        out[2] = sv2;
        out[3] = sv3;
        out[4] = sa0;
        out[5] = sa1;
        out[6] = sa2;
        out[7] = sa3;
        out[8] = sc0;
        out[9] = sc1;
        out[10] = sc2;
        out[11] = sc3;
        out[12] = sd;
    }

    @Override
    public void gradientOfSum(double[] params, double[][] columns, double[] out) {
        double v0 = params[0];
        double v1 = params[1];
        double v2 = params[2];
        double v3 = params[3];
        double d = params[12];
        double[] x = columns[0];
        double[] y = columns[1];
        int n = x.length;
        double[] h0s = new double[Math.min(n, BLOCK)];
        double[] h1s = new double[h0s.length];
        double[] h2s = new double[h0s.length];
        double[] h3s = new double[h0s.length];
        // Σ r h_k, Σ r (1 - h_k²) x, Σ r (1 - h_k²) and Σ r; the factors 2 and v_k are applied once.
        double rh0 = 0;
        double rh1 = 0;
        double rh2 = 0;
        double rh3 = 0;
        double rsx0 = 0;
        double rsx1 = 0;
        double rsx2 = 0;
        double rsx3 = 0;
        double rs0 = 0;
        double rs1 = 0;
        double rs2 = 0;
        double rs3 = 0;
        double sr = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            activations(params, x, from, to, h0s, h1s, h2s, h3s, -from);
            for (int i = from; i < to; i++) {
                double h0 = h0s[i - from];
                double h1 = h1s[i - from];
                double h2 = h2s[i - from];
                double h3 = h3s[i - from];
                double r = v0 * h0 + v1 * h1 + v2 * h2 + v3 * h3 + d - y[i];
                double rs0i = r * (1 - h0 * h0);
                double rs1i = r * (1 - h1 * h1);
                double rs2i = r * (1 - h2 * h2);
                double rs3i = r * (1 - h3 * h3);
                rh0 += r * h0;
                rh1 += r * h1;
                rh2 += r * h2;
                rh3 += r * h3;
                rsx0 += rs0i * x[i];
                rsx1 += rs1i * x[i];
                rsx2 += rs2i * x[i];
                rsx3 += rs3i * x[i];
                rs0 += rs0i;
                rs1 += rs1i;
                rs2 += rs2i;
                rs3 += rs3i;
                sr += r;
            }
        }
        out[0] = 2 * rh0;
        out[1] = 2 * rh1;
        out[2] = 2 * rh2;
        out[3] = 2 * rh3;
        out[4] = 2 * v0 * rsx0;
        out[5] = 2 * v1 * rsx1;
        out[6] = 2 * v2 * rsx2;
        out[7] = 2 * v3 * rsx3;
        out[8] = 2 * v0 * rs0;
        out[9] = 2 * v1 * rs1;
        out[10] = 2 * v2 * rs2;
        out[11] = 2 * v3 * rs3;
        out[12] = 2 * sr;
    }

    /** Writes {@code h_k} of examples {@code from} to {@code to - 1} into {@code hk[i + shift]}. */
    private static void activations(double[] params, double[] x, int from, int to,
                                    double[] h0, double[] h1, double[] h2, double[] h3, int shift) {
        double a0 = params[4];
        double a1 = params[5];
        double a2 = params[6];
        double a3 = params[7];
        double c0 = params[8];
        double c1 = params[9];
        double c2 = params[10];
        double c3 = params[11];
        for (int i = from; i < to; i++) {
            double xi = x[i];
            h0[i + shift] = Math.tanh(a0 * xi + c0);
            h1[i + shift] = Math.tanh(a1 * xi + c1);
            h2[i + shift] = Math.tanh(a2 * xi + c2);
            h3[i + shift] = Math.tanh(a3 * xi + c3);
        }
    }
}
