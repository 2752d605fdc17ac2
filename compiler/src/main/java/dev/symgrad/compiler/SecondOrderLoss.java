package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import dev.symgrad.runtime.optimize.HessianVectorProduct;
import dev.symgrad.runtime.optimize.Objective;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A loss with its second derivatives and the Jacobian products of its per-example losses, each from a
 * generated class that makes one pass over the batch:
 * <ul>
 *   <li>Hessian-vector products of the summed loss, and the Hessian of one example, from the auxiliary loss
 *       {@code s(w, v; x) = Σ_p v_p·∂f/∂w_p} ({@link LossCompiler#compileHessianVectorProduct}): its gradient
 *       with respect to w is {@code ∇²f·v}, so its route (b) gives {@code Σ_i ∇²f(w; x_i)·v}; its
 *       per-example values are the Jacobian-vector product {@code (∇f(w; x_i)·v)_i};
 *   <li>the diagonal of the summed loss's Hessian ({@link LossCompiler#compileHessianDiagonal}), for
 *       expression losses;
 *   <li>the vector-Jacobian product {@code Σ_i u_i·∇f(w; x_i)} from the weighted loss {@code u·f}
 *       ({@link LossCompiler#compileWeighted}).
 * </ul>
 * Instances are thread-safe; the diagonal's and the vector-Jacobian product's classes are compiled on
 * first use.
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
    private final Lazy diagonal;
    private final Lazy weighted;
    private final int parameterCount;

    /**
     * @param diagonal the class of {@link LossCompiler#compileHessianDiagonal}, or null where it is not generated
     * @param weighted the class of {@link LossCompiler#compileWeighted}
     */
    SecondOrderLoss(CompiledLoss loss, CompiledLoss directional, Supplier<CompiledLoss> diagonal,
                    Supplier<CompiledLoss> weighted) {
        this.loss = loss;
        this.directional = directional;
        this.diagonal = diagonal == null ? null : new Lazy(diagonal);
        this.weighted = new Lazy(weighted);
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

    /** As {@link #jacobianVectorProduct}, written to {@code out} (length N). */
    public void jacobianVectorProductInto(double[] params, double[][] columns, double[] v, double[] out) {
        directional.perExampleLossesInto(joined(params, v), columns, out);
    }

    /**
     * The vector-Jacobian product of the per-example losses: {@code Σ_i u_i·∇f(params; x_i)}, one entry per
     * parameter, for a weight {@code u_i} per example (JAX's {@code vjp} of {@code vmap(f)}). With all
     * weights 1 it is route (b). One pass over the batch; the per-example gradients are never stored.
     */
    public double[] vectorJacobianProduct(double[] params, double[][] columns, double[] u) {
        double[] out = new double[parameterCount];
        vectorJacobianProductInto(params, columns, u, out);
        return out;
    }

    /** As {@link #vectorJacobianProduct(double[], double[][], double[])}, written to {@code out} (length P). */
    public void vectorJacobianProductInto(double[] params, double[][] columns, double[] u, double[] out) {
        weighted.get().gradientOfSumInto(params, withWeights(columns, u), out);
    }

    /** {@link #vectorJacobianProduct(double[], double[][], double[])} with the batch split across threads. */
    public double[] vectorJacobianProduct(double[] params, double[][] columns, double[] u, int parallelism) {
        return weighted.get().gradientOfSum(params, withWeights(columns, u), parallelism);
    }

    /** Whether {@link #hessianDiagonal} is generated for this loss: for expression losses, not for methods. */
    public boolean hasHessianDiagonal() {
        return diagonal != null;
    }

    /**
     * The diagonal of the summed loss's Hessian, {@code Σ_i ∂²f(params; x_i)/∂w_p²} for each p, from
     * generated code for each {@code ∂²f/∂w_p²} in one pass over the batch (not P Hessian-vector products):
     * the preconditioner of diagonal Newton steps and of CG.
     *
     * @throws UnsupportedOperationException if {@link #hasHessianDiagonal()} is false
     */
    public double[] hessianDiagonal(double[] params, double[][] columns) {
        double[] out = new double[parameterCount];
        hessianDiagonalInto(params, columns, out);
        return out;
    }

    /** As {@link #hessianDiagonal(double[], double[][])}, written to {@code out} (length P). */
    public void hessianDiagonalInto(double[] params, double[][] columns, double[] out) {
        diagonal().gradientOfSumInto(params, columns, out);
    }

    /** {@link #hessianDiagonal(double[], double[][])} with the batch split across threads. */
    public double[] hessianDiagonal(double[] params, double[][] columns, int parallelism) {
        return diagonal().gradientOfSum(params, columns, parallelism);
    }

    /** The diagonal of one example's Hessian, as {@link #hessianDiagonal(double[], double[][])}. */
    public double[] hessianDiagonal(double[] params, double[] example) {
        return diagonal().gradient(params, example);
    }

    private CompiledLoss diagonal() {
        if (diagonal == null) {
            throw new UnsupportedOperationException("the Hessian's diagonal is generated for expression losses, not"
                    + " for methods; hessianVectorProduct gives any of its columns");
        }
        return diagonal.get();
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

    private static double[][] withWeights(double[][] columns, double[] u) {
        if (columns == null || u == null) {
            throw new IllegalArgumentException("columns and weights must not be null");
        }
        // Checked here so that the message names the weights, not the weighted class's extra input.
        if (columns.length > 0 && columns[0] != null && u.length != columns[0].length) {
            throw new IllegalArgumentException("u has " + u.length + " weights but the batch has " + columns[0].length
                    + " examples");
        }
        double[][] weightedColumns = Arrays.copyOf(columns, columns.length + 1);
        weightedColumns[columns.length] = u;
        return weightedColumns;
    }

    /** A class compiled on first use, once, whichever thread asks first. */
    private static final class Lazy {
        private final Supplier<CompiledLoss> compile;
        private volatile CompiledLoss compiled;

        Lazy(Supplier<CompiledLoss> compile) {
            this.compile = compile;
        }

        CompiledLoss get() {
            CompiledLoss result = compiled;
            if (result == null) {
                synchronized (this) {
                    result = compiled;
                    if (result == null) {
                        result = compile.get();
                        compiled = result;
                    }
                }
            }
            return result;
        }
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
