package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.ClippedGradientImplementation;
import dev.symgrad.benchmarks.Digits;
import dev.symgrad.benchmarks.DigitsModel;

import java.util.Arrays;

/**
 * W6-W8 written the way a person writes backprop first: a method that computes one example's gradient into a
 * vector of P entries (the forward pass, the softmax error {@code δ_k = exp(z_k)/Σ exp(z) - y_k}, then the
 * chain rule layer by layer), and every operation a loop over the examples around it. Route (b) is route (a)
 * summed, as in {@link StraightforwardLoops}; the clipped sum and the norms take {@code ‖g‖} from that vector.
 *
 * <p>Instances keep their scratch arrays in fields, so one instance serves one thread at a time.
 */
public final class StraightforwardDigitsLoops {

    private StraightforwardDigitsLoops() {
    }

    public static ClippedGradientImplementation forModel(DigitsModel model) {
        return model.hidden() == 0 ? new SoftmaxRegression() : new Network(model.hidden());
    }

    /** The five operations, over one example's gradient at a time. */
    private abstract static class PerExample implements ClippedGradientImplementation {

        private final double[] gradient;

        PerExample(int parameterCount) {
            gradient = new double[parameterCount];
        }

        /** Writes the gradient of example i into {@code g}, one entry per parameter. */
        abstract void exampleGradient(double[] params, double[][] columns, int i, double[] g);

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            for (int i = 0; i < columns[0].length; i++) {
                exampleGradient(params, columns, i, gradient);
                for (int p = 0; p < gradient.length; p++) {
                    out[p][i] = gradient[p];
                }
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            Arrays.fill(out, 0.0);
            for (int i = 0; i < columns[0].length; i++) {
                exampleGradient(params, columns, i, gradient);
                for (int p = 0; p < gradient.length; p++) {
                    out[p] += gradient[p];
                }
            }
        }

        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }

        @Override
        public void clippedGradientSum(double[] params, double[][] columns, double clipNorm, double[] out) {
            Arrays.fill(out, 0.0);
            for (int i = 0; i < columns[0].length; i++) {
                exampleGradient(params, columns, i, gradient);
                double norm = norm(gradient);
                if (!Double.isFinite(norm)) {
                    continue;
                }
                double factor = Math.min(1.0, clipNorm / norm);
                for (int p = 0; p < gradient.length; p++) {
                    out[p] += gradient[p] * factor;
                }
            }
        }

        @Override
        public void perExampleGradientNorms(double[] params, double[][] columns, double[] out) {
            for (int i = 0; i < columns[0].length; i++) {
                exampleGradient(params, columns, i, gradient);
                out[i] = norm(gradient);
            }
        }

        private static double norm(double[] g) {
            double squares = 0;
            for (double value : g) {
                squares += value * value;
            }
            return Math.sqrt(squares);
        }
    }

    /** W6: {@code ∂/∂W[k][j] = δ_k x_j}, {@code ∂/∂b_k = δ_k}. */
    static final class SoftmaxRegression extends PerExample {

        private static final int B = Digits.CLASSES * Digits.PIXELS;

        private final double[] x = new double[Digits.PIXELS];
        private final double[] exp = new double[Digits.CLASSES];

        SoftmaxRegression() {
            super(DigitsModel.W6.parameterCount());
        }

        @Override
        void exampleGradient(double[] params, double[][] columns, int i, double[] g) {
            for (int j = 0; j < Digits.PIXELS; j++) {
                x[j] = columns[j][i];
            }
            double sumExp = 0;
            for (int k = 0; k < Digits.CLASSES; k++) {
                double z = params[B + k];
                for (int j = 0; j < Digits.PIXELS; j++) {
                    z += params[k * Digits.PIXELS + j] * x[j];
                }
                exp[k] = Math.exp(z);
                sumExp += exp[k];
            }
            for (int k = 0; k < Digits.CLASSES; k++) {
                double delta = exp[k] / sumExp - columns[Digits.PIXELS + k][i];
                for (int j = 0; j < Digits.PIXELS; j++) {
                    g[k * Digits.PIXELS + j] = delta * x[j];
                }
                g[B + k] = delta;
            }
        }
    }

    /**
     * W7 and W8: {@code h = tanh(V x + c)}, {@code z = W h + b}; {@code ∂/∂W[k][m] = δ_k h_m}, {@code ∂/∂b_k = δ_k},
     * {@code ε_m = (1 - h_m²) Σ_k W[k][m] δ_k}, {@code ∂/∂V[m][j] = ε_m x_j}, {@code ∂/∂c_m = ε_m}.
     */
    static final class Network extends PerExample {

        private final int hidden;
        private final int c;
        private final int w;
        private final int b;
        private final double[] x = new double[Digits.PIXELS];
        private final double[] h;
        private final double[] exp = new double[Digits.CLASSES];
        private final double[] delta = new double[Digits.CLASSES];

        Network(int hidden) {
            super(hidden * (Digits.PIXELS + 1) + Digits.CLASSES * (hidden + 1));
            this.hidden = hidden;
            c = hidden * Digits.PIXELS;
            w = c + hidden;
            b = w + Digits.CLASSES * hidden;
            h = new double[hidden];
        }

        @Override
        void exampleGradient(double[] params, double[][] columns, int i, double[] g) {
            for (int j = 0; j < Digits.PIXELS; j++) {
                x[j] = columns[j][i];
            }
            for (int m = 0; m < hidden; m++) {
                double a = params[c + m];
                for (int j = 0; j < Digits.PIXELS; j++) {
                    a += params[m * Digits.PIXELS + j] * x[j];
                }
                h[m] = Math.tanh(a);
            }
            double sumExp = 0;
            for (int k = 0; k < Digits.CLASSES; k++) {
                double z = params[b + k];
                for (int m = 0; m < hidden; m++) {
                    z += params[w + k * hidden + m] * h[m];
                }
                exp[k] = Math.exp(z);
                sumExp += exp[k];
            }
            for (int k = 0; k < Digits.CLASSES; k++) {
                delta[k] = exp[k] / sumExp - columns[Digits.PIXELS + k][i];
                for (int m = 0; m < hidden; m++) {
                    g[w + k * hidden + m] = delta[k] * h[m];
                }
                g[b + k] = delta[k];
            }
            for (int m = 0; m < hidden; m++) {
                double back = 0;
                for (int k = 0; k < Digits.CLASSES; k++) {
                    back += params[w + k * hidden + m] * delta[k];
                }
                double epsilon = back * (1 - h[m] * h[m]);
                for (int j = 0; j < Digits.PIXELS; j++) {
                    g[m * Digits.PIXELS + j] = epsilon * x[j];
                }
                g[c + m] = epsilon;
            }
        }
    }
}
