package dev.symgrad.benchmarks;

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

import java.util.concurrent.TimeUnit;

/**
 * The three batch routes of W1-W4 for every implementation. Scores are nanoseconds per batch; the
 * report divides by N for nanoseconds per example.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RouteBenchmark {

    @Param({"W1", "W2", "W3", "W4"})
    public Workload workload;

    @Param({"1000", "1000000"})
    public int n;

    @Param({Implementations.SYMGRAD_RUNTIME, Implementations.SYMGRAD_BUILD_TIME, Implementations.STRAIGHTFORWARD,
            Implementations.BEST, Implementations.HIPPARCHUS_GRADIENT, Implementations.HIPPARCHUS_DERIVATIVE_STRUCTURE,
            Implementations.INTERPRETER})
    public String implementation;

    private GradientImplementation gradients;
    private double[] params;
    private double[][] columns;
    private double[][] perExample;
    private double[] sum;

    @Setup
    public void setUp() {
        gradients = Implementations.create(implementation, workload);
        params = workload.parameterValues();
        columns = workload.columns(n);
        perExample = new double[params.length][n];
        sum = new double[params.length];
    }

    @Benchmark
    public double[][] perExampleGradients() {
        gradients.perExampleGradients(params, columns, perExample);
        return perExample;
    }

    @Benchmark
    public double[] sumOfPerExampleGradients() {
        gradients.sumOfPerExampleGradients(params, columns, sum);
        return sum;
    }

    @Benchmark
    public double[] gradientOfSum() {
        gradients.gradientOfSum(params, columns, sum);
        return sum;
    }
}
