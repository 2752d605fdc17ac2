package dev.symgrad.benchmarks;

import dev.symgrad.benchmarks.reference.HandWrittenLogisticHessian;
import dev.symgrad.compiler.SecondOrderLoss;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Issue 17's costs: a Hessian-vector product of the summed loss ({@code hessianVectorProduct}) against
 * route (b) of the same loss ({@code routeB}), against what a JVM user does without it (central
 * differences of two route (b) calls, {@code centralDifferences}), and, for the logistic loss, against
 * the product written by hand ({@code handWritten}, {@link HandWrittenLogisticHessian}) and the generated
 * diagonal of the Hessian ({@code diagonal}). Models: {@code logistic}, the 30-feature logistic loss as an
 * expression string (31 parameters, the breast-cancer shape); {@code network}, the 64→32→10 tanh network
 * as a Java method (2,410 parameters, loops kept). N = 1,000 examples.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class SecondOrderBenchmark {

    @Param({"logistic", "network"})
    public String model;

    @Param({"1000"})
    public int n;

    private SecondOrderLoss loss;
    private double[] params;
    private double[] v;
    private double[][] columns;
    private double[] out;
    private double[] up;
    private double[] down;
    private double[] gUp;
    private double[] gDown;

    @Setup
    public void setUp() {
        loss = SecondOrderBenchmarkModels.compile(model);
        int p = loss.loss().parameters().size();
        int inputs = loss.loss().inputs().size();
        Random random = new Random(17);
        params = new double[p];
        v = new double[p];
        for (int j = 0; j < p; j++) {
            params[j] = 0.1 * random.nextGaussian();
            v[j] = random.nextGaussian();
        }
        columns = new double[inputs][n];
        for (int c = 0; c < inputs; c++) {
            for (int i = 0; i < n; i++) {
                columns[c][i] = random.nextGaussian();
            }
        }
        if (model.equals("logistic")) {
            for (int i = 0; i < n; i++) {
                columns[SecondOrderBenchmarkModels.FEATURES][i] = random.nextBoolean() ? 1 : -1;
            }
        }
        out = new double[p];
        up = new double[p];
        down = new double[p];
        gUp = new double[p];
        gDown = new double[p];
    }

    @Benchmark
    public double[] routeB() {
        loss.loss().gradientOfSumInto(params, columns, out);
        return out;
    }

    @Benchmark
    public double[] hessianVectorProduct() {
        loss.hessianVectorProductInto(params, columns, v, out);
        return out;
    }

    /** {@code (∇F(w + h v) − ∇F(w − h v)) / 2h}: two route (b) passes and a truncation error of order h². */
    @Benchmark
    public double[] centralDifferences() {
        double h = 1e-5;
        for (int j = 0; j < params.length; j++) {
            up[j] = params[j] + h * v[j];
            down[j] = params[j] - h * v[j];
        }
        loss.loss().gradientOfSumInto(up, columns, gUp);
        loss.loss().gradientOfSumInto(down, columns, gDown);
        for (int j = 0; j < params.length; j++) {
            out[j] = (gUp[j] - gDown[j]) / (2 * h);
        }
        return out;
    }

    /** The logistic loss only (the network has no generated diagonal, being a method): NaN there. */
    @Benchmark
    public double[] diagonal() {
        if (!loss.hasHessianDiagonal()) {
            out[0] = Double.NaN;
            return out;
        }
        loss.hessianDiagonalInto(params, columns, out);
        return out;
    }

    /** The logistic loss only: NaN for the network. */
    @Benchmark
    public double[] handWritten() {
        if (!model.equals("logistic")) {
            out[0] = Double.NaN;
            return out;
        }
        HandWrittenLogisticHessian.hessianVectorProduct(params, columns, v, out);
        return out;
    }
}
