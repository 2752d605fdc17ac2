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

/** The first compile in a fresh JVM (one shot per fork, ten forks): what a CLI call or a cold service pays. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = "-Xss16m") // Janino recurses over W5's long sums (see the benchmarks pom)
public class ColdCompileBenchmark {

    @Param({"W1", "W2", "W3", "W4", "W5"})
    public Workload workload;

    /**
     * The Janino source, built with symgrad's printer in set-up. A separate state, so that only the
     * Janino forks build it and the symgrad forks stay cold.
     */
    @State(Scope.Benchmark)
    public static class JaninoInput {
        String source;

        @Setup
        public void setUp(ColdCompileBenchmark benchmark) {
            source = JaninoSource.of(benchmark.workload);
        }
    }

    @Benchmark
    public double symgrad() {
        CompiledLoss loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        return loss.loss(new double[workload.parameters().size()], new double[workload.inputs().size()]);
    }

    @Benchmark
    public double janino(JaninoInput input) throws Exception {
        return CompileLatencyBenchmark.compileWithJanino(input.source, workload);
    }
}
