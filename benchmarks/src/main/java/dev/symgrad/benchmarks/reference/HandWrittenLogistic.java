package dev.symgrad.benchmarks.reference;

/**
 * Logistic regression with any number of features, {@code f = log1p(exp(-s (w·x + b)))}, differentiated
 * and written by hand the way {@link BestLogisticRegression} is (see there for why): the margins as a
 * feature-by-feature map, the one {@code exp} per example in a loop of its own, then feature-by-feature
 * dot products, block by block so that the block's columns are still in cache. With
 * {@code g = -s e / (1 + e)}, {@code e = exp(-s (w·x + b))}: {@code ∂f/∂w_j = g x_j}, {@code ∂f/∂b = g}.
 *
 * <p>Columns are {@code x_0 .. x_{P-2}, s}; parameters {@code w_0 .. w_{P-2}, b}. Clipping uses the
 * structure of this gradient, {@code ‖g_i‖ = |g_i| sqrt(1 + ‖x_i‖²)}, which generated code for a general
 * loss cannot know.
 */
public final class HandWrittenLogistic {

    private static final int BLOCK = 256;

    private HandWrittenLogistic() {
    }

    /** {@code g[k] = ∂f/∂b} of examples {@code from + k}, for {@code from <= i < to}. */
    private static void outerDerivatives(double[] params, double[][] columns, int from, int to, double[] g) {
        int features = columns.length - 1;
        double[] s = columns[features];
        double b = params[features];
        int length = to - from;
        for (int k = 0; k < length; k++) {
            g[k] = b;
        }
        for (int j = 0; j < features; j++) {
            double w = params[j];
            double[] x = columns[j];
            for (int k = 0; k < length; k++) {
                g[k] += w * x[from + k];
            }
        }
        for (int k = 0; k < length; k++) {
            double e = Math.exp(-s[from + k] * g[k]);
            g[k] = -s[from + k] * e / (1 + e);
        }
    }

    public static void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        int features = columns.length - 1;
        int n = columns[0].length;
        double[] g = out[features];
        outerDerivatives(params, columns, 0, n, g);
        for (int j = 0; j < features; j++) {
            double[] x = columns[j];
            double[] d = out[j];
            for (int i = 0; i < n; i++) {
                d[i] = g[i] * x[i];
            }
        }
    }

    /** Route (a) summed and route (b), which are the same computation for this loss. */
    public static void gradientSum(double[] params, double[][] columns, double[] out) {
        clippedOrPlainSum(params, columns, Double.NaN, out);
    }

    /** Σ g_i·min(1, C/‖g_i‖). */
    public static void clippedGradientSum(double[] params, double[][] columns, double clipNorm, double[] out) {
        clippedOrPlainSum(params, columns, clipNorm, out);
    }

    private static void clippedOrPlainSum(double[] params, double[][] columns, double clipNorm, double[] out) {
        int features = columns.length - 1;
        int n = columns[0].length;
        double[] g = new double[Math.min(n, BLOCK)];
        double[] squares = new double[g.length];
        java.util.Arrays.fill(out, 0.0);
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            int length = to - from;
            outerDerivatives(params, columns, from, to, g);
            if (!Double.isNaN(clipNorm)) {
                java.util.Arrays.fill(squares, 0, length, 1.0);
                for (int j = 0; j < features; j++) {
                    double[] x = columns[j];
                    for (int k = 0; k < length; k++) {
                        squares[k] += x[from + k] * x[from + k];
                    }
                }
                for (int k = 0; k < length; k++) {
                    g[k] *= Math.min(1.0, clipNorm / (Math.abs(g[k]) * Math.sqrt(squares[k])));
                }
            }
            for (int j = 0; j < features; j++) {
                out[j] += dot(g, columns[j], from, length);
            }
            double sb0 = 0;
            double sb1 = 0;
            int k = 0;
            for (; k < length - 1; k += 2) {
                sb0 += g[k];
                sb1 += g[k + 1];
            }
            if (k < length) {
                sb0 += g[k];
            }
            out[features] += sb0 + sb1;
        }
    }

    /** {@code Σ_k g[k] x[from + k]} with four accumulators. */
    private static double dot(double[] g, double[] x, int from, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k < length - 3; k += 4) {
            s0 += g[k] * x[from + k];
            s1 += g[k + 1] * x[from + k + 1];
            s2 += g[k + 2] * x[from + k + 2];
            s3 += g[k + 3] * x[from + k + 3];
        }
        for (; k < length; k++) {
            s0 += g[k] * x[from + k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
