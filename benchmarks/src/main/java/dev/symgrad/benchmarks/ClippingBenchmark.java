package dev.symgrad.benchmarks;

import dev.symgrad.benchmarks.reference.HandWrittenLogistic;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The breast-cancer logistic loss (30 features, P = 31 parameters) on batches of its shape: the three
 * routes and DP-SGD's fused clipped sum, generated against hand-written Java
 * ({@link HandWrittenLogistic}). Features uniform in [-2, 2), labels ±1, from a fixed seed. The warm-up is
 * longer than the other benchmarks': C2 takes seconds to compile the 31-parameter kernels on this machine,
 * and half a second of warm-up measured tier-3 code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ClippingBenchmark {

    static final int FEATURES = 30;
    static final double CLIP_NORM = 1.0;

    @Param({"symgrad", "handWritten"})
    public String implementation;

    @Param({"1000", "1000000"})
    public int n;

    private CompiledLoss loss;
    private double[] params;
    private double[][] columns;
    private double[][] perExample;
    private final double[] sum = new double[FEATURES + 1];

    static String expression() {
        StringBuilder margin = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) {
            margin.append("w").append(j).append(" * x").append(j).append(" + ");
        }
        return "Math.log1p(Math.exp(-s * (" + margin + "b)))";
    }

    static List<String> names(String prefix, String last) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            names.add(prefix + j);
        }
        names.add(last);
        return names;
    }

    @Setup
    public void setUp() {
        loss = Symgrad.compile(expression(), names("w", "b"), names("x", "s"));
        SplittableRandom random = new SplittableRandom(31);
        params = new double[FEATURES + 1];
        for (int p = 0; p < params.length; p++) {
            params[p] = random.nextDouble(-0.3, 0.3);
        }
        columns = new double[FEATURES + 1][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                columns[j][i] = random.nextDouble(-2, 2);
            }
            columns[FEATURES][i] = random.nextBoolean() ? 1.0 : -1.0;
        }
        perExample = new double[FEATURES + 1][n];
    }

    private boolean handWritten() {
        return implementation.equals("handWritten");
    }

    @Benchmark
    public double[][] perExampleGradients() {
        if (handWritten()) {
            HandWrittenLogistic.perExampleGradients(params, columns, perExample);
        } else {
            loss.perExampleGradientsInto(params, columns, perExample);
        }
        return perExample;
    }

    @Benchmark
    public double[] sumOfPerExampleGradients() {
        if (handWritten()) {
            HandWrittenLogistic.gradientSum(params, columns, sum);
        } else {
            loss.sumOfPerExampleGradientsInto(params, columns, sum);
        }
        return sum;
    }

    @Benchmark
    public double[] gradientOfSum() {
        if (handWritten()) {
            HandWrittenLogistic.gradientSum(params, columns, sum);
        } else {
            loss.gradientOfSumInto(params, columns, sum);
        }
        return sum;
    }

    @Benchmark
    public double[] clippedGradientSum() {
        if (handWritten()) {
            HandWrittenLogistic.clippedGradientSum(params, columns, CLIP_NORM, sum);
        } else {
            loss.clippedGradientSumInto(params, columns, CLIP_NORM, sum);
        }
        return sum;
    }
}
