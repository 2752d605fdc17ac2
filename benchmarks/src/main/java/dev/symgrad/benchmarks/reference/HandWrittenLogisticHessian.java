package dev.symgrad.benchmarks.reference;

/**
 * The Hessian-vector product of the summed logistic loss {@code f = log1p(exp(-s (w·x + b)))}, written by
 * hand as {@link HandWrittenLogistic} writes the gradient: with {@code t = w·x + b} and
 * {@code e = exp(-s t)}, {@code ∂²f/∂t² = s² e / (1 + e)²}, so
 * {@code H v = Σ_i ∂²f/∂t²(t_i)·(v_w·x_i + v_b)·(x_i, 1)}. Per block of examples: the margins and the
 * directional margins {@code v_w·x_i + v_b} feature by feature, one {@code exp} per example, then the
 * feature-by-feature dot products with four accumulators. Columns {@code x_0 .. x_{P-2}, s}; parameters
 * and directions {@code w_0 .. w_{P-2}, b}.
 */
public final class HandWrittenLogisticHessian {

    private static final int BLOCK = 256;

    private HandWrittenLogisticHessian() {
    }

    /** Writes {@code Σ_i ∇²f(params; x_i)·v} into {@code out}. */
    public static void hessianVectorProduct(double[] params, double[][] columns, double[] v, double[] out) {
        int features = columns.length - 1;
        int n = columns[0].length;
        double[] s = columns[features];
        double[] t = new double[BLOCK];
        double[] u = new double[BLOCK];
        java.util.Arrays.fill(out, 0);
        for (int from = 0; from < n; from += BLOCK) {
            int length = Math.min(BLOCK, n - from);
            java.util.Arrays.fill(t, 0, length, params[features]);
            java.util.Arrays.fill(u, 0, length, v[features]);
            for (int j = 0; j < features; j++) {
                double w = params[j];
                double vj = v[j];
                double[] x = columns[j];
                for (int k = 0; k < length; k++) {
                    t[k] += w * x[from + k];
                    u[k] += vj * x[from + k];
                }
            }
            double sum = 0;
            for (int k = 0; k < length; k++) {
                double sk = s[from + k];
                double e = Math.exp(-sk * t[k]);
                double onePlus = 1 + e;
                u[k] *= sk * sk * e / (onePlus * onePlus);
                sum += u[k];
            }
            out[features] += sum;
            for (int j = 0; j < features; j++) {
                double[] x = columns[j];
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                int k = 0;
                for (; k + 3 < length; k += 4) {
                    a0 += u[k] * x[from + k];
                    a1 += u[k + 1] * x[from + k + 1];
                    a2 += u[k + 2] * x[from + k + 2];
                    a3 += u[k + 3] * x[from + k + 3];
                }
                for (; k < length; k++) {
                    a0 += u[k] * x[from + k];
                }
                out[j] += (a0 + a1) + (a2 + a3);
            }
        }
    }
}
