package dev.symgrad.benchmarks;

import dev.symgrad.benchmarks.reference.BestDigitsLoops;
import dev.symgrad.benchmarks.reference.StraightforwardDigitsLoops;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Issue 15's digits table: W6-W8 ({@link DigitsModel}) on all 1,797 rows of {@link Digits}, the five batch
 * operations of symgrad against the straightforward and the best hand-written Java
 * ({@link StraightforwardDigitsLoops}, {@link BestDigitsLoops}). Every call processes the whole data set and
 * counts as 1,797 operations, so scores are nanoseconds per example. {@code benchmarks/pytorch-digits.sh}
 * measures the same models in PyTorch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class DigitsModelBenchmark {

    @Param({"W6", "W7", "W8"})
    public DigitsModel model;

    @Param({"symgrad", "straightforward", "best"})
    public String implementation;

    private ClippedGradientImplementation gradients;
    private double[] params;
    private double[][] columns;
    private double[][] perExample;
    private double[] sum;
    private double[] norms;

    @Setup
    public void setUp() {
        gradients = create(implementation, model);
        params = model.parameterValues();
        columns = Digits.columns(Digits.ROWS);
        perExample = new double[params.length][Digits.ROWS];
        sum = new double[params.length];
        norms = new double[Digits.ROWS];
    }

    static ClippedGradientImplementation create(String implementation, DigitsModel model) {
        return switch (implementation) {
            case "symgrad" -> new CompiledLossImplementation(model.compile());
            case Implementations.STRAIGHTFORWARD -> StraightforwardDigitsLoops.forModel(model);
            case Implementations.BEST -> BestDigitsLoops.forModel(model);
            default -> throw new IllegalArgumentException("unknown implementation " + implementation);
        };
    }

    @Benchmark
    @OperationsPerInvocation(Digits.ROWS)
    public double[] gradientOfSum() {
        gradients.gradientOfSum(params, columns, sum);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(Digits.ROWS)
    public double[][] perExampleGradients() {
        gradients.perExampleGradients(params, columns, perExample);
        return perExample;
    }

    @Benchmark
    @OperationsPerInvocation(Digits.ROWS)
    public double[] sumOfPerExampleGradients() {
        gradients.sumOfPerExampleGradients(params, columns, sum);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(Digits.ROWS)
    public double[] clippedGradientSum() {
        gradients.clippedGradientSum(params, columns, model.clipNorm(), sum);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(Digits.ROWS)
    public double[] perExampleGradientNorms() {
        gradients.perExampleGradientNorms(params, columns, norms);
        return norms;
    }
}
