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
}
