package dev.symgrad.compiler.parse;

/**
 * Loss methods over arrays whose loops lower over an index. javac compiles them with the tests, so they
 * run as ordinary Java (the oracle), and {@link IndexedLoweringTest} reads this very file as the build
 * plugin would. Shapes are given with each test.
 */
final class IndexedLosses {

    private IndexedLosses() {
    }

    /** A 64-32-10 network with softmax cross-entropy; V=32x64, c=32, W=10x32, b=10, x=64, y=10. */
    static double mlp(double[][] V, double[] c, double[][] W, double[] b, double[] x, double[] y) {
        double[] h = new double[32];
        for (int m = 0; m < 32; m++) {
            double a = c[m];
            for (int j = 0; j < 64; j++) a += V[m][j] * x[j];
            h[m] = Math.tanh(a);
        }
        double sumExp = 0, dot = 0;
        for (int k = 0; k < 10; k++) {
            double z = b[k];
            for (int m = 0; m < 32; m++) z += W[k][m] * h[m];
            sumExp += Math.exp(z);
            dot += y[k] * z;               // y one-hot
        }
        return Math.log(sumExp) - dot;
    }

    /** Logistic regression over d features; w=d, z=d. */
    static double logistic(double[] w, double b, double[] z, double s) {
        double t = b;
        for (int j = 0; j < z.length; j++) t += w[j] * z[j];
        return Math.log1p(Math.exp(-s * t));
    }

    /**
     * A 2-D local array written by a loop nest and read transposed, bounds from the arrays, {@code -=},
     * {@code acc = acc + e}, {@code ++j}, {@code j += 1}, a constant position and a helper with a loop of
     * its own; A=3x4, x=4.
     */
    static double matrices(double[][] A, double[] x) {
        double[][] B = new double[4][3];
        for (int i = 0; i < A.length; ++i) {
            for (int j = 0; j < A[i].length; j += 1) {
                double e = A[i][j] * x[j];
                e = e * e;
                B[j][i] = Math.sin(e) + A[0][j];
            }
        }
        double total = 0;
        for (int j = 0; j < 4; j++) {
            double r = 1;
            for (int i = 0; i < 3; i++) {
                r = r + B[j][i];
            }
            total -= halves(r, x[j]);
        }
        return total;
    }

    /** A helper with its own index loop, inlined into a caller's index loop. */
    static double halves(double a, double b) {
        double sum = 0;
        for (int i = 0; i < 2; i++) sum += a * b * 0.5;
        return sum;
    }

    /**
     * Loops that stay unrolled inside and around index loops: an {@code if} in the body, the loop
     * variable as a number, {@code x[j + 1]}, an accumulator read in the body, a step of 2, a for-each,
     * and a local array written element by element; w=6, x=6.
     */
    static double mixed(double[] w, double[] x) {
        double branchy = 0;
        for (int j = 0; j < 6; j++) {
            if (x[j] > 0) {
                branchy += w[j];
            }
        }
        double weighted = 0;
        for (int j = 0; j < 6; j++) weighted += (j + 1) * w[j];
        double shifted = 0;
        for (int j = 0; j < 5; j++) shifted += w[j] * x[j + 1];
        double running = 0;
        for (int j = 0; j < 6; j++) running += running * 0.5 + w[j];
        double strided = 0;
        for (int j = 0; j < 6; j += 2) strided += w[j] * w[j + 1];
        double squares = 0;
        for (double v : w) squares += v * v;
        double[] g = new double[6];
        for (int j = 0; j < 6; j++) g[j] = j < 3 ? x[j] : -x[j];
        double inner = 0;
        for (int k = 0; k < 2; k++) {
            if (k == 1) {
                inner = inner * 2;
            }
            for (int j = 0; j < 3; j++) inner += g[k * 3 + j] * w[j];
        }
        double elementwise = 0;
        for (int j = 0; j < 6; j++) elementwise += g[j] * w[j];
        return branchy + weighted + shifted + running + strided + squares + inner + elementwise + square(w[3]);
    }

    /**
     * An {@code if} that returns: what follows it is lowered once per path, each writing its own copy of
     * the local array; w=3, x=2.
     */
    static double paths(double[] w, double[] x) {
        double[] h = new double[2];
        if (x[0] > 0) {
            if (x[1] > 0) {
                return w[0];
            }
        }
        h[0] = w[1];
        for (int j = 0; j < 1; j++) h[1] = w[2] * x[j];
        return h[0] * h[1];
    }

    static double square(double a) {
        return a * a;
    }
}
