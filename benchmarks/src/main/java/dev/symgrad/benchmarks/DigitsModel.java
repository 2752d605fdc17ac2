package dev.symgrad.benchmarks;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 15's models on {@link Digits}, each a Java method compiled with {@code Symgrad.compileMethod}. Parameters
 * are flattened in the order of {@link #wrt()}, matrices row-major; inputs are {@code x[0..63]}, then {@code y[0..9]}.
 */
public enum DigitsModel {

    /** Softmax regression, 650 parameters: {@code W[10][64]} at {@code 64k + j}, then {@code b[10]} at 640. */
    W6(0, 4.0),

    /** The 64→32→10 tanh network of {@link WideModels#network}, 2,410 parameters. */
    W7(32, 4.0),

    /** The 64→256→10 tanh network, 19,210 parameters. */
    W8(256, 7.0);

    static final String SOFTMAX_REGRESSION = """
            class Softmax {
                static double softmax(double[][] W, double[] b, double[] x, double[] y) {
                    double sumExp = 0, dot = 0;
                    for (int k = 0; k < 10; k++) {
                        double z = b[k];
                        for (int j = 0; j < 64; j++) z += W[k][j] * x[j];
                        sumExp += Math.exp(z);
                        dot += y[k] * z;
                    }
                    return Math.log(sumExp) - dot;
                }
            }
            """;

    private final int hidden;
    private final double clipNorm;

    DigitsModel(int hidden, double clipNorm) {
        this.hidden = hidden;
        this.clipNorm = clipNorm;
    }

    /**
     * Hidden tanh units, 0 for softmax regression. A network's parameters are {@code V[hidden][64]} at
     * {@code 64m + j}, {@code c[hidden]} at {@code 64·hidden + m}, {@code W[10][hidden]} at
     * {@code 65·hidden + k·hidden + m} and {@code b[10]} at {@code 75·hidden + k}.
     */
    public int hidden() {
        return hidden;
    }

    /**
     * C for the clipped sum: about the median gradient norm over the digits at {@link #parameterValues()}
     * (3.9, 4.1 and 7.0), so that about half the examples are clipped.
     */
    public double clipNorm() {
        return clipNorm;
    }

    public int parameterCount() {
        return hidden == 0 ? Digits.CLASSES * (Digits.PIXELS + 1) : hidden * (Digits.PIXELS + 1)
                + Digits.CLASSES * (hidden + 1);
    }

    public String source() {
        return hidden == 0 ? SOFTMAX_REGRESSION : WideModels.network(hidden);
    }

    public String methodName() {
        return hidden == 0 ? "softmax" : "mlp";
    }

    public List<String> wrt() {
        return hidden == 0 ? List.of("W", "b") : WideModels.NETWORK_PARAMETERS;
    }

    public Map<String, List<Integer>> shapes() {
        return hidden == 0
                ? Map.of("W", List.of(Digits.CLASSES, Digits.PIXELS), "b", List.of(Digits.CLASSES),
                        "x", List.of(Digits.PIXELS), "y", List.of(Digits.CLASSES))
                : WideModels.networkShapes(hidden);
    }

    public CompiledLoss compile() {
        return Symgrad.compileMethod(source(), methodName(), wrt(), shapes());
    }

    /**
     * Fixed random parameters of the usual initial scale: weights Gaussian with variance 1 / fan-in, biases
     * Gaussian with standard deviation 0.1.
     */
    public double[] parameterValues() {
        Random random = new Random(600 + ordinal());
        double[] values = new double[parameterCount()];
        int p = 0;
        if (hidden > 0) {
            p = fill(values, p, hidden * Digits.PIXELS, 1 / Math.sqrt(Digits.PIXELS), random);
            p = fill(values, p, hidden, 0.1, random);
        }
        int fanIn = hidden == 0 ? Digits.PIXELS : hidden;
        p = fill(values, p, Digits.CLASSES * fanIn, 1 / Math.sqrt(fanIn), random);
        fill(values, p, Digits.CLASSES, 0.1, random);
        return values;
    }

    private static int fill(double[] values, int from, int count, double scale, Random random) {
        for (int p = from; p < from + count; p++) {
            values[p] = scale * random.nextGaussian();
        }
        return from + count;
    }
}
