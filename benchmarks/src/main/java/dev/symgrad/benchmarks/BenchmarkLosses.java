package dev.symgrad.benchmarks;

/**
 * Workloads W1-W4 written as ordinary static methods; the symgrad Maven plugin generates
 * {@code BenchmarkLossesGradients} from them at build time (see this module's pom.xml), which the
 * benchmarks compare with the same losses compiled from strings at run time.
 */
public final class BenchmarkLosses {

    private BenchmarkLosses() {
    }

    static double w1(double w, double x) {
        return (w * x) * (w * x);
    }

    static double w2(double w, double b, double x, double y) {
        return (w * x + b - y) * (w * x + b - y);
    }

    static double w3(double w0, double w1, double w2, double w3, double w4, double w5, double w6, double w7, double b,
                     double x0, double x1, double x2, double x3, double x4, double x5, double x6, double x7, double y) {
        return Math.log1p(Math.exp(-y * (w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + w5 * x5 + w6 * x6 + w7 * x7 + b)));
    }

    static double w4(double v0, double v1, double v2, double v3, double a0, double a1, double a2, double a3,
                     double c0, double c1, double c2, double c3, double d, double x, double y) {
        return (v0 * Math.tanh(a0 * x + c0) + v1 * Math.tanh(a1 * x + c1) + v2 * Math.tanh(a2 * x + c2)
                + v3 * Math.tanh(a3 * x + c3) + d - y)
                * (v0 * Math.tanh(a0 * x + c0) + v1 * Math.tanh(a1 * x + c1) + v2 * Math.tanh(a2 * x + c2)
                + v3 * Math.tanh(a3 * x + c3) + d - y);
    }
}
