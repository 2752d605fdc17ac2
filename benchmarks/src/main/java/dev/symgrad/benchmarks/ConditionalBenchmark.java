package dev.symgrad.benchmarks;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.CodeShape;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A loss with a data-dependent conditional: expectile regression, {@code r = y - (w x + b)} weighted
 * 0.9 above the fit and 0.1 below it. On random data the test is true for half the examples in no
 * pattern, so a jump mispredicts about every other example.
 *
 * <p>{@code symgrad} is the default generated code (bit-mask selection); {@code symgradJumps} is the
 * same loss generated with {@code -Dsymgrad.branchFreeConditionals=false}, i.e. the conditional as a
 * jump; {@code handWritten} is the loop a Java engineer would write, with {@code ?:}. The batches
 * rotate (64 different batches at N = 1,000) so that the branch predictor cannot learn the pattern of
 * one repeated batch, which it does for N = 1,000 and which would hide the cost being measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ConditionalBenchmark {

    public static final String EXPECTILE =
            "y - (w * x + b) > 0 ? 0.9 * (y - (w * x + b)) * (y - (w * x + b)) : 0.1 * (y - (w * x + b)) * (y - (w * x + b))";

    private static final int DISTINCT_EXAMPLES = 64_000;

    @Param({"symgrad", "symgradJumps", "handWritten"})
    public String implementation;

    @Param({"1000", "1000000"})
    public int n;

    private CompiledLoss loss;
    private final double[] params = {0.5, 0.1};
    private double[][][] batches;
    private double[][] perExample;
    private final double[] sum = new double[2];
    private int next;

    @Setup
    public void setUp() {
        String previous = System.getProperty(CodeShape.BRANCH_FREE_PROPERTY);
        System.setProperty(CodeShape.BRANCH_FREE_PROPERTY, Boolean.toString(!implementation.equals("symgradJumps")));
        try {
            loss = Symgrad.compile(EXPECTILE, List.of("w", "b"), List.of("x", "y"));
        } finally {
            if (previous == null) {
                System.clearProperty(CodeShape.BRANCH_FREE_PROPERTY);
            } else {
                System.setProperty(CodeShape.BRANCH_FREE_PROPERTY, previous);
            }
        }
        batches = batches(n);
        perExample = new double[2][n];
    }

    /** Enough different batches of {@code n} examples for 64,000 distinct examples, at least one. */
    static double[][][] batches(int n) {
        SplittableRandom random = new SplittableRandom(7);
        double[][][] batches = new double[Math.max(1, DISTINCT_EXAMPLES / n)][2][n];
        for (double[][] batch : batches) {
            for (int i = 0; i < n; i++) {
                batch[0][i] = random.nextDouble(-1, 1);
                batch[1][i] = 0.5 * batch[0][i] + 0.1 + random.nextDouble(-1, 1);
            }
        }
        return batches;
    }

    private double[][] nextBatch() {
        double[][] batch = batches[next];
        next = next + 1 == batches.length ? 0 : next + 1;
        return batch;
    }

    @Benchmark
    public double[][] perExampleGradients() {
        double[][] columns = nextBatch();
        if (implementation.equals("handWritten")) {
            handWrittenPerExample(params, columns, perExample);
        } else {
            loss.perExampleGradientsInto(params, columns, perExample);
        }
        return perExample;
    }

    @Benchmark
    public double[] gradientOfSum() {
        double[][] columns = nextBatch();
        if (implementation.equals("handWritten")) {
            handWrittenGradientOfSum(params, columns, sum);
        } else {
            loss.gradientOfSumInto(params, columns, sum);
        }
        return sum;
    }

    /** ∂/∂w = -2 k r x and ∂/∂b = -2 k r with k = 0.9 above the fit, 0.1 below. */
    static void handWrittenPerExample(double[] params, double[][] columns, double[][] out) {
        double w = params[0];
        double b = params[1];
        double[] x = columns[0];
        double[] y = columns[1];
        double[] dw = out[0];
        double[] db = out[1];
        for (int i = 0; i < x.length; i++) {
            double r = y[i] - (w * x[i] + b);
            double g = r > 0 ? -1.8 * r : -0.2 * r;
            dw[i] = g * x[i];
            db[i] = g;
        }
    }

    static void handWrittenGradientOfSum(double[] params, double[][] columns, double[] out) {
        double w = params[0];
        double b = params[1];
        double[] x = columns[0];
        double[] y = columns[1];
        double sw = 0;
        double sb = 0;
        for (int i = 0; i < x.length; i++) {
            double r = y[i] - (w * x[i] + b);
            double g = r > 0 ? -1.8 * r : -0.2 * r;
            sw += g * x[i];
            sb += g;
        }
        out[0] = sw;
        out[1] = sb;
    }
}
