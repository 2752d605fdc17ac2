package dev.symgrad.benchmarks;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.codehaus.janino.SimpleCompiler;
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
 * Warm compile latency: string to loaded, callable class, after the compiler itself is JIT-compiled
 * ({@code symgrad}, which calls the one-example loss once), and with a first route (b) call
 * ({@code symgradThenRouteB}), which generates route (b)'s kernel class.
 * {@link ColdCompileBenchmark} measures the first compile in a fresh JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
// Without the compile cache: with it, every call after the first would return the cached loss.
@Fork(value = 1, jvmArgsAppend = {"-Dsymgrad.cache.size=0", "-Xss16m"}) // -Xss: see ColdCompileBenchmark
public class CompileLatencyBenchmark {

    @Param({"W1", "W2", "W3", "W4", "W5"})
    public Workload workload;

    private String janinoSource;
    private double[][] batch;
    private final double[] params = new double[64];
    private final double[] example = new double[64];

    @Setup
    public void setUp() {
        janinoSource = JaninoSource.of(workload);
        batch = workload.columns(16);
    }

    @Benchmark
    public double symgrad() {
        CompiledLoss loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        // Call it once, so the class is linked and initialized as it would be for real use.
        return loss.loss(java.util.Arrays.copyOf(params, workload.parameters().size()),
                java.util.Arrays.copyOf(example, workload.inputs().size()));
    }

    /**
     * The compile and a first route (b) call on 16 examples: batch kernels are generated when first called
     * (each in a class of its own), so this is what a user who compiles and then trains pays before the
     * loop runs.
     */
    @Benchmark
    public double symgradThenRouteB() {
        CompiledLoss loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        return loss.gradientOfSum(java.util.Arrays.copyOf(params, workload.parameters().size()), batch)[0];
    }

    @Benchmark
    public double janino() throws Exception {
        return compileWithJanino(janinoSource, workload);
    }

    static double compileWithJanino(String source, Workload workload) throws Exception {
        SimpleCompiler compiler = new SimpleCompiler();
        compiler.cook(source);
        Class<?> loss = compiler.getClassLoader().loadClass("Loss");
        return (double) loss.getMethod("loss", double[].class, double[].class).invoke(null,
                new double[workload.parameters().size()], new double[workload.inputs().size()]);
    }
}
