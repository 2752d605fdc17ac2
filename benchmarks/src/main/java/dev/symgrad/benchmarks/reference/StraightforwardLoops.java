package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.GradientImplementation;
import dev.symgrad.benchmarks.Workload;

/**
 * Hand-differentiated loops as a competent engineer writes them first: one loop per route, one
 * accumulator per parameter, the chain rule written out per example, features and hidden units as
 * inner loops over the parameter array.
 *
 * <p>Nothing is hoisted or factored out of the sums, so route (b) is the same loop as route (a)
 * summed: by linearity the gradient of the sum is the sum of the gradients, and without factoring
 * parameter-only terms out of the sum there is nothing else to write. {@link BestLoops} does the
 * factoring.
 */
public final class StraightforwardLoops {

    private StraightforwardLoops() {
    }

    /** The straightforward loops for {@code workload}; there are none for {@link Workload#W5}. */
    public static GradientImplementation forWorkload(Workload workload) {
        return switch (workload) {
            case W1 -> new SquaredProduct();
            case W2 -> new LinearRegression();
            case W3 -> new LogisticRegression();
            case W4 -> new TanhNetwork();
            case W5 -> throw new IllegalArgumentException(
                    "no hand-written reference for W5: its 600-term loss exists to measure compile time");
        };
    }

    /** W1, {@code f = (w x)²}: {@code ∂f/∂w = 2 w x²}. */
    static final class SquaredProduct implements GradientImplementation {

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            double w = params[0];
            double[] x = columns[0];
            for (int i = 0; i < x.length; i++) {
                out[0][i] = 2 * w * x[i] * x[i];
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            double w = params[0];
            double[] x = columns[0];
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += 2 * w * x[i] * x[i];
            }
            out[0] = sum;
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
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
            for (int i = 0; i < x.length; i++) {
                double r = w * x[i] + b - y[i];
                out[0][i] = 2 * r * x[i];
                out[1][i] = 2 * r;
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            double w = params[0];
            double b = params[1];
            double[] x = columns[0];
            double[] y = columns[1];
            double sumW = 0;
            double sumB = 0;
            for (int i = 0; i < x.length; i++) {
                double r = w * x[i] + b - y[i];
                sumW += 2 * r * x[i];
                sumB += 2 * r;
            }
            out[0] = sumW;
            out[1] = sumB;
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }
    }

    /**
     * W3, {@code f = log1p(exp(m))} with {@code m = -y (Σ w_j x_j + b)}: with
     * {@code g = -y exp(m) / (1 + exp(m))}, {@code ∂f/∂w_j = g x_j} and {@code ∂f/∂b = g}.
     */
    static final class LogisticRegression implements GradientImplementation {

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            int features = params.length - 1;
            double[] y = columns[features];
            for (int i = 0; i < y.length; i++) {
                double g = outerDerivative(params, columns, i);
                for (int j = 0; j < features; j++) {
                    out[j][i] = g * columns[j][i];
                }
                out[features][i] = g;
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            int features = params.length - 1;
            double[] y = columns[features];
            double[] sums = new double[params.length];
            for (int i = 0; i < y.length; i++) {
                double g = outerDerivative(params, columns, i);
                for (int j = 0; j < features; j++) {
                    sums[j] += g * columns[j][i];
                }
                sums[features] += g;
            }
            System.arraycopy(sums, 0, out, 0, sums.length);
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }

        /** {@code ∂f/∂z} for example {@code i}, where z is the linear score. */
        private static double outerDerivative(double[] params, double[][] columns, int i) {
            int features = params.length - 1;
            double z = 0;
            for (int j = 0; j < features; j++) {
                z += params[j] * columns[j][i];
            }
            z += params[features];
            double y = columns[features][i];
            double e = Math.exp(-y * z);
            return -y * e / (1 + e);
        }
    }

    /**
     * W4, {@code f = r²} with {@code r = Σ v_k h_k + d - y} and {@code h_k = tanh(a_k x + c_k)}:
     * {@code ∂f/∂v_k = 2 r h_k}, {@code ∂f/∂c_k = 2 r v_k (1 - h_k²)}, {@code ∂f/∂a_k = ∂f/∂c_k · x},
     * {@code ∂f/∂d = 2 r}. Parameters are ordered v, a, c, d.
     */
    static final class TanhNetwork implements GradientImplementation {

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            int hidden = (params.length - 1) / 3;
            double d = params[3 * hidden];
            double[] x = columns[0];
            double[] y = columns[1];
            double[] h = new double[hidden];
            for (int i = 0; i < x.length; i++) {
                double output = 0;
                for (int k = 0; k < hidden; k++) {
                    h[k] = Math.tanh(params[hidden + k] * x[i] + params[2 * hidden + k]);
                    output += params[k] * h[k];
                }
                double r = output + d - y[i];
                for (int k = 0; k < hidden; k++) {
                    double preActivation = 2 * r * params[k] * (1 - h[k] * h[k]);
                    out[k][i] = 2 * r * h[k];
                    out[hidden + k][i] = preActivation * x[i];
                    out[2 * hidden + k][i] = preActivation;
                }
                out[3 * hidden][i] = 2 * r;
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            int hidden = (params.length - 1) / 3;
            double d = params[3 * hidden];
            double[] x = columns[0];
            double[] y = columns[1];
            double[] h = new double[hidden];
            double[] sums = new double[params.length];
            for (int i = 0; i < x.length; i++) {
                double output = 0;
                for (int k = 0; k < hidden; k++) {
                    h[k] = Math.tanh(params[hidden + k] * x[i] + params[2 * hidden + k]);
                    output += params[k] * h[k];
                }
                double r = output + d - y[i];
                for (int k = 0; k < hidden; k++) {
                    double preActivation = 2 * r * params[k] * (1 - h[k] * h[k]);
                    sums[k] += 2 * r * h[k];
                    sums[hidden + k] += preActivation * x[i];
                    sums[2 * hidden + k] += preActivation;
                }
                sums[3 * hidden] += 2 * r;
            }
            System.arraycopy(sums, 0, out, 0, sums.length);
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }
    }
}
