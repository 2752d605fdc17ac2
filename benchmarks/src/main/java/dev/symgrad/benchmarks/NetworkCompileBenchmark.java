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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Warm compile of the 64→32→10 and 64→256→10 tanh networks, written as one Java method. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dsymgrad.cache.size=0")
public class NetworkCompileBenchmark {

    @Param({"32", "256"})
    public int hidden;

    @Benchmark
    public double compile() {
        CompiledLoss loss = Symgrad.compileMethod(WideModels.network(hidden), "mlp", WideModels.NETWORK_PARAMETERS,
                WideModels.networkShapes(hidden));
        return loss.loss(new double[loss.parameters().size()], new double[loss.inputs().size()]);
    }
}
