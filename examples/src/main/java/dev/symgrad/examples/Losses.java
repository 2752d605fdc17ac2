package dev.symgrad.examples;

/**
 * Losses kept as ordinary Java code. The symgrad Maven plugin reads these methods at build time and
 * generates {@code LossesGradients} with their gradients and batch routes (see this module's pom.xml).
 * They are also plain methods: calling them computes the loss, as any Java code would.
 */
public final class Losses {

    private Losses() {
    }

    /** The reference example: {@code (w·x)²}. */
    static double perExampleLoss(double w, double x) {
        return (w * x) * (w * x);
    }

    /** Logistic loss of one example with label {@code y} in {-1, +1}: {@code log(1 + exp(-y (w·x + b)))}. */
    static double logistic(double w, double b, double x, double y) {
        double z = w * x + b;
        return Math.log1p(Math.exp(-y * z));
    }

    /**
     * Logistic loss of a linear model over the 30 features of the breast-cancer data, written with a loop:
     * {@code log(1 + exp(-s (w·x + b)))} with label {@code s} in {-1, +1}. The plugin configuration gives
     * the array lengths ({@code w=30,x=30}); the gradient has the 31 entries {@code w[0] ... w[29], b}.
     */
    static double logisticRegression(double[] w, double b, double[] x, double s) {
        double margin = b;
        for (int j = 0; j < w.length; j++) {
            margin += w[j] * x[j];
        }
        return Math.log1p(Math.exp(-s * margin));
    }
}
