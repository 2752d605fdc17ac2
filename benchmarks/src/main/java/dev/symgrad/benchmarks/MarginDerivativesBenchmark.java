package dev.symgrad.benchmarks;

import dev.symgrad.compiler.MarginDerivatives;
import dev.symgrad.compiler.Symgrad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 20's per-round cost of a custom objective: the first and second derivatives with respect to the
 * margins for N examples, from symgrad's generated class ({@code symgrad}) against the loop a user writes by
 * hand ({@code handWritten}). Losses: {@code logistic}, {@code log(1 + e^m) - y·m} for y in {0, 1}, whose
 * hand-written form is {@code p = 1/(1 + e^-m)}, {@code g = p - y}, {@code h = p(1 - p)}; {@code softmax10},
 * cross-entropy over 10 margins, by hand the softmax from the largest margin, {@code g_k = p_k - [y = k]},
 * {@code h_k = p_k(1 - p_k)}. Both write double arrays; converting XGBoost's floats is the same for both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class MarginDerivativesBenchmark {

    @Param({"logistic", "softmax10"})
    public String loss;

    @Param({"10000"})
    public int n;

    private MarginDerivatives derivatives;
    private double[][] columns;
    private double[][] gradient;
    private double[][] hessian;
    private double[] scratch;

    @Setup
    public void setUp() {
        int classes = loss.equals("logistic") ? 1 : 10;
        derivatives = compile(loss);
        Random random = new Random(20);
        columns = new double[classes + 1][n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                columns[c][i] = 2 * random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            columns[classes][i] = random.nextInt(classes == 1 ? 2 : classes);
        }
        gradient = new double[classes][n];
        hessian = new double[classes][n];
        scratch = new double[classes];
    }

    static MarginDerivatives compile(String loss) {
        if (loss.equals("logistic")) {
            return Symgrad.compileMarginDerivatives("Math.log1p(Math.exp(m)) - y * m", List.of("m"), List.of("y"));
        }
        List<String> margins = new ArrayList<>();
        StringBuilder sum = new StringBuilder();
        StringBuilder picked = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            margins.add("m" + k);
            sum.append(k == 0 ? "" : " + ").append("Math.exp(m").append(k).append(")");
            picked.append(k < 9 ? "y == " + k + " ? m" + k + " : " : "m9");
        }
        return Symgrad.compileMarginDerivatives("Math.log(" + sum + ") - (" + picked + ")", margins, List.of("y"));
    }

    @Benchmark
    public double[][] symgrad() {
        derivatives.derivativesInto(columns, gradient, hessian);
        return hessian;
    }

    @Benchmark
    public double[][] handWritten() {
        if (gradient.length == 1) {
            logistic(columns[0], columns[1], gradient[0], hessian[0]);
        } else {
            softmax(columns, gradient, hessian, scratch);
        }
        return hessian;
    }

    static void logistic(double[] m, double[] y, double[] g, double[] h) {
        for (int i = 0; i < m.length; i++) {
            double p = 1 / (1 + Math.exp(-m[i]));
            g[i] = p - y[i];
            h[i] = p * (1 - p);
        }
    }

    static void softmax(double[][] columns, double[][] g, double[][] h, double[] e) {
        int classes = g.length;
        double[] y = columns[classes];
        for (int i = 0; i < y.length; i++) {
            double largest = columns[0][i];
            for (int k = 1; k < classes; k++) {
                largest = Math.max(largest, columns[k][i]);
            }
            double total = 0;
            for (int k = 0; k < classes; k++) {
                e[k] = Math.exp(columns[k][i] - largest);
                total += e[k];
            }
            for (int k = 0; k < classes; k++) {
                double p = e[k] / total;
                g[k][i] = p - (y[i] == k ? 1 : 0);
                h[k][i] = p * (1 - p);
            }
        }
    }
}
