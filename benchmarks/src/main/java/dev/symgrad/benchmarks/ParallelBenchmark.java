package dev.symgrad.benchmarks;

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

import java.util.concurrent.TimeUnit;

/** Route (b) on N = 10,000,000 with the batch split across 1 or 2 threads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ParallelBenchmark {

    @Param({"W1", "W2", "W3", "W4"})
    public Workload workload;

    @Param({"1", "2"})
    public int parallelism;

    @Param({"10000000"})
    public int n;

    private CompiledLoss loss;
    private double[] params;
    private double[][] columns;

    @Setup
    public void setUp() {
        loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        params = workload.parameterValues();
        columns = workload.columns(n);
    }

    @Benchmark
    public double[] gradientOfSum() {
        return loss.gradientOfSum(params, columns, parallelism);
    }
}
