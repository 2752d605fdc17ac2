package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import dev.symgrad.runtime.optimize.HessianVectorProduct;
import dev.symgrad.runtime.optimize.Objective;

import java.util.Arrays;

/**
 * A loss with its second derivatives: Hessian-vector products of the summed loss over a batch, and the
 * Hessian of one example. Both come from a second generated class, the auxiliary loss
 * {@code s(w, v; x) = Σ_p v_p·∂f/∂w_p} ({@link LossCompiler#compileHessianVectorProduct}): its gradient with
 * respect to w is {@code ∇²f·v}, so one route (b) pass over the batch gives {@code Σ_i ∇²f(w; x_i)·v}.
 *
 * <pre>{@code
 * SecondOrderLoss loss = Symgrad.compileSecondOrder("Math.log1p(Math.exp(-y * (w0*x0 + w1*x1 + b)))",
 *         List.of("w0", "w1", "b"), List.of("x0", "x1", "y"));
 * double[] hv = loss.hessianVectorProduct(params, columns, v);
 * OptimizationResult r = NewtonCg.builder().build()
 *         .minimize(loss.objective(columns), loss.hessianVectorProduct(columns), start);
 * }</pre>
 */
public final class SecondOrderLoss {

    private final CompiledLoss loss;
    private final CompiledLoss directional;
    private final int parameterCount;

    SecondOrderLoss(CompiledLoss loss, CompiledLoss directional) {
        this.loss = loss;
        this.directional = directional;
        this.parameterCount = loss.parameters().size();
    }

    /** The loss itself, with its gradient and batch routes. */
    public CompiledLoss loss() {
        return loss;
    }

    /** {@code Σ_i ∇²f(params; x_i)·v} over the batch in {@code columns}, written to {@code out} (length P). */
    public void hessianVectorProductInto(double[] params, double[][] columns, double[] v, double[] out) {
        double[] joined = joined(params, v);
        double[] both = new double[2 * parameterCount];
        directional.gradientOfSumInto(joined, columns, both);
        System.arraycopy(both, 0, out, 0, parameterCount);
    }

    /** {@code Σ_i ∇²f(params; x_i)·v} over the batch in {@code columns}. */
    public double[] hessianVectorProduct(double[] params, double[][] columns, double[] v) {
        double[] out = new double[parameterCount];
        hessianVectorProductInto(params, columns, v, out);
        return out;
    }

    /**
     * {@link #hessianVectorProduct(double[], double[][], double[])} with the batch split across threads, as
     * {@link CompiledLoss#gradientOfSum(double[], double[][], int)} splits route (b).
     */
    public double[] hessianVectorProduct(double[] params, double[][] columns, double[] v, int parallelism) {
        return Arrays.copyOf(directional.gradientOfSum(joined(params, v), columns, parallelism), parameterCount);
    }

    /**
     * The Jacobian-vector product of the per-example losses: {@code (∇f(params; x_i)·v)_i}, each example's
     * directional derivative along v, one entry per example. It is the auxiliary loss's own per-example value
     * ({@code Σ_p v_p·∂f/∂w_p}), so it costs one forward pass of that class.
     */
    public double[] jacobianVectorProduct(double[] params, double[][] columns, double[] v) {
        return directional.perExampleLosses(joined(params, v), columns);
    }

    /** {@code ∇²f(params; example)}, the Hessian of one example's loss, as P rows (symmetric up to rounding). */
    public double[][] hessian(double[] params, double[] example) {
        double[][] rows = new double[parameterCount][];
        double[] unit = new double[parameterCount];
        double[] both = new double[2 * parameterCount];
        for (int p = 0; p < parameterCount; p++) {
            unit[p] = 1;
            directional.gradientInto(joined(params, unit), example, both);
            rows[p] = Arrays.copyOf(both, parameterCount);
            unit[p] = 0;
        }
        return rows;
    }

    /** The summed loss over {@code columns} as an optimizer's objective (value and route (b) in one call). */
    public Objective objective(double[][] columns) {
        return (x, gradient) -> {
            loss.gradientOfSumInto(x, columns, gradient);
            return loss.totalLoss(x, columns);
        };
    }

    /** The summed loss's Hessian-vector product over {@code columns}, for {@code NewtonCg}. */
    public HessianVectorProduct hessianVectorProduct(double[][] columns) {
        return (x, v, out) -> hessianVectorProductInto(x, columns, v, out);
    }

    private double[] joined(double[] params, double[] v) {
        if (params.length != parameterCount || v.length != parameterCount) {
            throw new IllegalArgumentException("expected " + parameterCount + " parameters and direction entries, got "
                    + params.length + " and " + v.length);
        }
        double[] joined = Arrays.copyOf(params, 2 * parameterCount);
        System.arraycopy(v, 0, joined, parameterCount, parameterCount);
        return joined;
    }
}
