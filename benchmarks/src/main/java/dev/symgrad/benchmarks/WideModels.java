package dev.symgrad.benchmarks;

import java.util.List;
import java.util.Map;

/** The method sources of the wide-model benchmarks, as a Java developer writes them. */
final class WideModels {

    private WideModels() {
    }

    /** Logistic loss over d features: {@code log1p(exp(-s·(b + Σ_j w[j]·z[j])))}. */
    static final String LOGISTIC = """
            class Wide {
                static double logistic(double[] w, double b, double[] z, double s) {
                    double t = b;
                    for (int j = 0; j < z.length; j++) {
                        t += w[j] * z[j];
                    }
                    return Math.log1p(Math.exp(-s * t));
                }
            }
            """;

    static Map<String, List<Integer>> logisticShapes(int d) {
        return Map.of("w", List.of(d), "z", List.of(d));
    }

    /** The 64→hidden→10 tanh network with softmax cross-entropy, hidden set by the caller. */
    static String network(int hidden) {
        return """
                class Network {
                    static double mlp(double[][] V, double[] c, double[][] W, double[] b, double[] x, double[] y) {
                        double[] h = new double[HIDDEN];
                        for (int m = 0; m < HIDDEN; m++) {
                            double a = c[m];
                            for (int j = 0; j < 64; j++) a += V[m][j] * x[j];
                            h[m] = Math.tanh(a);
                        }
                        double sumExp = 0, dot = 0;
                        for (int k = 0; k < 10; k++) {
                            double z = b[k];
                            for (int m = 0; m < HIDDEN; m++) z += W[k][m] * h[m];
                            sumExp += Math.exp(z);
                            dot += y[k] * z;
                        }
                        return Math.log(sumExp) - dot;
                    }
                }
                """.replace("HIDDEN", Integer.toString(hidden));
    }

    static Map<String, List<Integer>> networkShapes(int hidden) {
        return Map.of("V", List.of(hidden, 64), "c", List.of(hidden), "W", List.of(10, hidden), "b", List.of(10),
                "x", List.of(64), "y", List.of(10));
    }

    static final List<String> NETWORK_PARAMETERS = List.of("V", "c", "W", "b");
}
