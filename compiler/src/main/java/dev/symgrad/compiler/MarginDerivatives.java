package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;

import java.util.Arrays;
import java.util.List;

/**
 * A loss's first and second derivatives with respect to its margins, per example: what a gradient-boosting
 * library asks a custom objective for. For a loss {@code f(m; y)} of margins {@code m_1..m_K} (the raw
 * scores the model predicts for an example) and per-example inputs such as the label, one pass over a batch
 * gives {@code g_k = ∂f/∂m_k} and {@code h_k = ∂²f/∂m_k²} for every example, from one generated class.
 *
 * <pre>{@code
 * MarginDerivatives logistic = Symgrad.compileMarginDerivatives("Math.log1p(Math.exp(-y * m))",
 *         List.of("m"), List.of("y"));
 * MarginDerivatives.Batch d = logistic.derivatives(new double[][] {margins, labels});
 * // d.gradient()[0][i] = -y_i·σ(-y_i·m_i), d.hessian()[0][i] = y_i²·σ(m_i y_i)·σ(-m_i y_i)
 * }</pre>
 *
 * Columns are the margins, in order, then the inputs, as {@link CompiledLoss} takes its inputs. Only the
 * diagonal of the Hessian over the margins is computed: it is what XGBoost and LightGBM take, also for
 * several margins (multi-class). Where the loss is not twice differentiable, h is the derivative of g's
 * expression under the rules g was derived with: a branch's derivative is the taken branch's, so the
 * second derivative of {@code Math.abs}, {@code Math.max}, {@code Math.min} and of a conditional with linear
 * branches is 0, at the kink too (as JAX's {@code hessian} gives). Instances are thread-safe.
 */
public final class MarginDerivatives {

    private final CompiledLoss kernels;
    private final List<String> margins;
    private final List<String> inputs;
    private final List<String> derivativeNames;
    private final double[] noParameters;

    /** @param kernels the class of {@link LossCompiler#compileMarginDerivatives}, margins first among its inputs */
    MarginDerivatives(CompiledLoss kernels, int marginCount) {
        this.kernels = kernels;
        List<String> columns = kernels.inputs();
        this.margins = List.copyOf(columns.subList(0, marginCount));
        this.inputs = List.copyOf(columns.subList(marginCount, columns.size()));
        this.derivativeNames = kernels.parameters();
        this.noParameters = new double[derivativeNames.size()];
    }

    /**
     * The first and second derivatives of a batch: {@code gradient[k][i] = ∂f/∂m_k} and
     * {@code hessian[k][i] = ∂²f/∂m_k²} of example i.
     */
    public record Batch(double[][] gradient, double[][] hessian) {
    }

    /** The margins' names, in column order (a declared vector {@code m[3]} as {@code m[0], m[1], m[2]}). */
    public List<String> margins() {
        return margins;
    }

    /** The other inputs' names, in column order after the margins. */
    public List<String> inputs() {
        return inputs;
    }

    /** The loss as written. */
    public String expression() {
        return kernels.expression();
    }

    /** The simplified {@code ∂f/∂margin} in Java syntax. */
    public String printedFirstDerivative(String margin) {
        return kernels.derivative(derivativeNames.get(marginIndex(margin)));
    }

    /** The simplified {@code ∂²f/∂margin²} in Java syntax. */
    public String printedSecondDerivative(String margin) {
        return kernels.derivative(derivativeNames.get(margins.size() + marginIndex(margin)));
    }

    /** The loss of each example in {@code columns} (margins, then inputs). */
    public double[] losses(double[][] columns) {
        return kernels.perExampleLosses(noParameters, columns);
    }

    /** The loss of one example ({@code example}: its margins, then its inputs). */
    public double loss(double[] example) {
        return kernels.loss(noParameters, example);
    }

    /** {@code [g_1..g_K, h_1..h_K]} of one example ({@code example}: its margins, then its inputs). */
    public double[] derivatives(double[] example) {
        return kernels.gradient(noParameters, example);
    }

    /** {@code g} and {@code h} of every example in {@code columns} (margins, then inputs), in one pass. */
    public Batch derivatives(double[][] columns) {
        int n = columns.length == 0 || columns[0] == null ? 0 : columns[0].length;
        Batch batch = new Batch(new double[margins.size()][n], new double[margins.size()][n]);
        derivativesInto(columns, batch.gradient(), batch.hessian());
        return batch;
    }

    /** As {@link #derivatives(double[][])}, split across {@code parallelism} threads. */
    public Batch derivatives(double[][] columns, int parallelism) {
        double[][] both = kernels.perExampleGradients(noParameters, columns, parallelism);
        int k = margins.size();
        return new Batch(Arrays.copyOfRange(both, 0, k), Arrays.copyOfRange(both, k, 2 * k));
    }

    /**
     * As {@link #derivatives(double[][])}, written to {@code gradient} and {@code hessian} (K arrays of N
     * each), which may be reused from batch to batch.
     */
    public void derivativesInto(double[][] columns, double[][] gradient, double[][] hessian) {
        int k = margins.size();
        if (gradient == null || hessian == null || gradient.length != k || hessian.length != k) {
            throw new IllegalArgumentException("gradient and hessian must each hold " + k + " arrays, one per margin");
        }
        double[][] out = new double[2 * k][];
        System.arraycopy(gradient, 0, out, 0, k);
        System.arraycopy(hessian, 0, out, k, k);
        kernels.perExampleGradientsInto(noParameters, columns, out);
    }

    private int marginIndex(String margin) {
        int index = margins.indexOf(margin);
        if (index < 0) {
            throw new IllegalArgumentException("'" + margin + "' is not a margin; the margins are " + margins);
        }
        return index;
    }
}
