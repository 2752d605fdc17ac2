package dev.symgrad.benchmarks;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.parse.Limits;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14's table: a logistic loss over d features, written as a Java method with a loop and compiled
 * at run time, at widths from 8 to 100,000, in the form the compiler chooses and as loops. {@code compile} is the warm
 * compile (source text to a loaded class, called once; cache off); {@code routeB} is the gradient of the
 * summed loss over N examples, {@code handWritten} the same gradient as the best loop a person writes:
 * feature-major {@code t_i += w_j·z_ij}, then the per-example factor, then {@code g_j = Σ_i f_i·z_ij}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dsymgrad.cache.size=0", "-Xmx8g"})
public class WideModelBenchmark {

    @Param({"8", "32", "128", "512", "1024", "10000", "100000"})
    public int d;

    @Param({"1000"})
    public int n;

    /** {@code chosen}: what {@code Symgrad.compileMethod} does (small widths unrolled); {@code loops}: always loops. */
    @Param({"chosen", "loops"})
    public String form;

    private CompiledLoss loss;
    private double[] params;
    private double[][] columns;
    private double[] gradient;
    private double[] t;
    private double[] factor;

    @Setup
    public void setUp() {
        loss = compileLogistic(d, form);
        Random random = new Random(42);
        params = new double[d + 1];
        for (int j = 0; j < params.length; j++) {
            params[j] = 0.1 * random.nextGaussian();
        }
        columns = new double[d + 1][n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                columns[j][i] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            columns[d][i] = random.nextBoolean() ? 1 : -1;
        }
        gradient = new double[d + 1];
        t = new double[n];
        factor = new double[n];
    }

    static CompiledLoss compileLogistic(int d, String form) {
        if (form.equals("chosen")) {
            return Symgrad.compileMethod(WideModels.LOGISTIC, "logistic", List.of("w", "b"), WideModels.logisticShapes(d));
        }
        return HiddenClassDefiner.define(new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0)
                .compileMethod(WideModels.LOGISTIC, "Wide.java", "logistic", List.of("w", "b"), WideModels.logisticShapes(d))
                .generateClass(HiddenClassDefiner.CLASS_NAME, "Wide.java", WideModels.LOGISTIC, Backend.SCALAR));
    }

    @Benchmark
    public double compile() {
        return compileLogistic(d, form).loss(params, new double[d + 1]);
    }

    @Benchmark
    public double[] routeB() {
        loss.gradientOfSumInto(params, columns, gradient);
        return gradient;
    }

    @Benchmark
    public double[] handWritten() {
        double b = params[d];
        java.util.Arrays.fill(t, b);
        for (int j = 0; j < d; j++) {
            double wj = params[j];
            double[] zj = columns[j];
            for (int i = 0; i < n; i++) {
                t[i] += wj * zj[i];
            }
        }
        double[] s = columns[d];
        double gb = 0;
        for (int i = 0; i < n; i++) {
            // d/dt log1p(exp(-s·t)) = -s·e/(1 + e), e = exp(-s·t)
            double e = Math.exp(-s[i] * t[i]);
            factor[i] = -s[i] * e / (1 + e);
            gb += factor[i];
        }
        for (int j = 0; j < d; j++) {
            double[] zj = columns[j];
            double g0 = 0;
            double g1 = 0;
            double g2 = 0;
            double g3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                g0 += factor[i] * zj[i];
                g1 += factor[i + 1] * zj[i + 1];
                g2 += factor[i + 2] * zj[i + 2];
                g3 += factor[i + 3] * zj[i + 3];
            }
            for (; i < n; i++) {
                g0 += factor[i] * zj[i];
            }
            gradient[j] = (g0 + g1) + (g2 + g3);
        }
        gradient[d] = gb;
        return gradient;
    }
}
