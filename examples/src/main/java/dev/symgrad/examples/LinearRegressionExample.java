package dev.symgrad.examples;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;

import java.util.Random;

/**
 * Linear regression {@code (w*x + b - y)²} fitted by full-batch gradient descent, with the gradient of
 * the summed loss (route (b)) computed by generated code. The data are synthetic, {@code y = 3x + 2}
 * plus Gaussian noise, from a fixed seed, so the run is deterministic; the fit is compared with the
 * closed-form least-squares solution.
 */
public final class LinearRegressionExample {

    /** The fitted line and how training went. */
    public record Fit(double w, double b, double meanSquaredError, int steps) {
    }

    private static final CompiledLoss LOSS = Symgrad.compile("(w * x + b - y) * (w * x + b - y)",
            java.util.List.of("w", "b"), java.util.List.of("x", "y"));

    private LinearRegressionExample() {
    }

    /** {@code n} points with x uniform in [-2, 2) and {@code y = 3x + 2 + noise}; returns {@code {x, y}}. */
    public static double[][] syntheticData(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * random.nextDouble() - 2;
            y[i] = 3 * x[i] + 2 + 0.5 * random.nextGaussian();
        }
        return new double[][] {x, y};
    }

    /** Gradient descent on the mean loss until the gradient is tiny or {@code maxSteps} is reached. */
    public static Fit train(double[][] columns, double learningRate, int maxSteps) {
        int n = columns[0].length;
        double[] params = {0.0, 0.0};
        double[] gradient = new double[2];
        int step = 0;
        for (; step < maxSteps; step++) {
            LOSS.gradientOfSumInto(params, columns, gradient);
            double gw = gradient[0] / n;
            double gb = gradient[1] / n;
            if (Math.hypot(gw, gb) < 1e-12) {
                break;
            }
            params[0] -= learningRate * gw;
            params[1] -= learningRate * gb;
        }
        return new Fit(params[0], params[1], LOSS.totalLoss(params, columns) / n, step);
    }

    /** The closed-form least-squares line {@code {w, b}}, for comparison. */
    public static double[] leastSquares(double[][] columns) {
        double[] x = columns[0];
        double[] y = columns[1];
        int n = x.length;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i] / n;
            meanY += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }
        double w = sxy / sxx;
        return new double[] {w, meanY - w * meanX};
    }

    public static void main(String[] args) {
        double[][] data = syntheticData(1000, 42);
        Fit fit = train(data, 0.1, 10_000);
        double[] exact = leastSquares(data);
        System.out.println("linear regression, loss " + LOSS.expression());
        System.out.println("  d/dw = " + LOSS.derivative("w"));
        System.out.println("  d/db = " + LOSS.derivative("b"));
        System.out.printf("  gradient descent (route b): w = %.6f, b = %.6f, MSE = %.6f after %d steps%n",
                fit.w(), fit.b(), fit.meanSquaredError(), fit.steps());
        System.out.printf("  closed-form least squares:  w = %.6f, b = %.6f%n", exact[0], exact[1]);
    }
}
