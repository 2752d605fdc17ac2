package dev.symgrad.compiler.source;

/**
 * Loss methods with {@code double[]} parameters and {@code for} loops. javac compiles them with the
 * tests, so they run as ordinary Java (the oracle), and {@link MethodVectorsTest} reads this very file
 * as symgrad's build plugin would. Lengths: {@code w} and {@code x} 3 unless a method says otherwise.
 */
final class VectorLosses {

    private VectorLosses() {
    }

    /** Logistic regression over 3 features: the margin summed by a loop. */
    static double logistic(double[] w, double b, double[] x, double y) {
        double z = 0;
        for (int j = 0; j < w.length; j++) {
            z += w[j] * x[j];
        }
        return Math.log1p(Math.exp(-y * (z + b)));
    }

    /** The same margin with an inclusive bound. */
    static double inclusiveBound(double[] w, double b, double[] x, double y) {
        double z = 0;
        for (int j = 0; j <= 2; j++) {
            z = z + w[j] * x[j];
        }
        return Math.log1p(Math.exp(-y * (z + b)));
    }

    /** Counting down adds the terms in the other order. */
    static double countingDown(double[] w, double b, double[] x, double y) {
        double z = 0;
        for (int j = w.length - 1; j >= 0; j--) {
            z += w[j] * x[j];
        }
        return Math.log1p(Math.exp(-y * (z + b)));
    }

    /** Two terms per iteration, a constant int local as the bound; lengths w=6, x=6. */
    static double strided(double[] w, double[] x, double y) {
        final int n = 6;
        int step = 2;
        double r = -y;
        for (int j = 0; n > j; j += step) {
            r += w[j] * x[j] + w[j + 1] * x[j + 1];
        }
        return r * r;
    }

    /** {@code ++j}, a for-each loop and the loop variable as a number; lengths w=3, x=3. */
    static double ridge(double[] w, double[] x, double y) {
        double r = -y;
        for (int j = 0; j < 3; ++j) {
            r += w[j] * x[j];
        }
        double penalty = 0;
        for (double v : w) {
            penalty += v * v;
        }
        double weighted = 0;
        for (int j = 0; j < 3; j++) {
            weighted += (j + 1) * 0.5 * w[j];
        }
        return r * r + 0.1 * penalty + 0.01 * weighted * weighted;
    }

    /** A network with 2 tanh units on 3 inputs: nested loops; lengths w=6 (row-major 2 x 3), v=2, x=3. */
    static double network(double[] w, double[] v, double[] x, double y) {
        double out = 0;
        for (int h = 0; h < 2; h++) {
            double a = 0;
            for (int j = 0; j < 3; j++) {
                a += w[h * 3 + j] * x[j];
            }
            out += v[h] * Math.tanh(a);
        }
        double r = out - y;
        return r * r;
    }

    /** Branches in the loop body: only positive features count fully. */
    static double asymmetric(double[] w, double b, double[] x, double y) {
        double z = b;
        for (int j = 0; j < 3; j++) {
            if (x[j] > 0) {
                z += w[j] * x[j];
            } else {
                z -= 0.5 * w[j] * x[j];
            }
        }
        return y * z > 1 ? 0.0 : square(1 - y * z);
    }

    static double square(double a) {
        return a * a;
    }
}
