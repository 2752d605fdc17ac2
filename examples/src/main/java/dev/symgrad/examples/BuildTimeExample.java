package dev.symgrad.examples;

import java.util.Arrays;
import java.util.Random;

/**
 * Uses the class the build generated from {@link Losses}: {@code LossesGradients} exists only after the
 * symgrad Maven plugin ran, and javac checks every call below against it. No compiler runs at run time.
 */
public final class BuildTimeExample {

    private BuildTimeExample() {
    }

    /** The seed's {@code [wayA, wayB]}, from build-time generated code. */
    public static double[] equivalentTwoWays(double w, double[] xBatch) {
        return LossesGradients.perExampleLossEquivalentTwoWays(w, xBatch);
    }

    /** Labels in {-1, +1} from a noisy threshold on x, from a fixed seed; returns {@code {x, y}}. */
    public static double[][] syntheticLabels(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * random.nextDouble() - 2;
            y[i] = x[i] + 0.5 + 0.7 * random.nextGaussian() > 0 ? 1 : -1;
        }
        return new double[][] {x, y};
    }

    /** Full-batch gradient descent on the mean logistic loss, route (b); returns {@code {w, b}}. */
    public static double[] trainLogistic(double[] x, double[] y, double learningRate, int steps) {
        double w = 0;
        double b = 0;
        for (int step = 0; step < steps; step++) {
            double[] gradient = LossesGradients.logisticGradientOfSum(w, b, x, y);
            w -= learningRate * gradient[0] / x.length;
            b -= learningRate * gradient[1] / x.length;
        }
        return new double[] {w, b};
    }

    /** The fraction of examples whose label has the sign of {@code w·x + b}. */
    public static double accuracy(double[] params, double[] x, double[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            if ((params[0] * x[i] + params[1] > 0 ? 1 : -1) == y[i]) {
                correct++;
            }
        }
        return (double) correct / x.length;
    }

    public static void main(String[] args) {
        System.out.println("build-time generated (LossesGradients):");
        System.out.println("  perExampleLossEquivalentTwoWays(1.0, [1.0, 2.0]) = "
                + Arrays.toString(equivalentTwoWays(1.0, new double[] {1.0, 2.0})));
        double[][] data = syntheticLabels(2000, 3);
        double[] fit = trainLogistic(data[0], data[1], 0.5, 500);
        System.out.printf("  logistic regression (route b, 500 steps): w = %.4f, b = %.4f, mean loss = %.4f, accuracy = %.3f%n",
                fit[0], fit[1], LossesGradients.logisticTotalLoss(fit[0], fit[1], data[0], data[1]) / data[0].length,
                accuracy(fit, data[0], data[1]));
        System.out.println("  d/dw = " + LossesGradients.compiledLogistic().derivative("w"));
    }
}
