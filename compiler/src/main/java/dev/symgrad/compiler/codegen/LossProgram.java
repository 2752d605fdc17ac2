package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.JavaPrinter;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the generator needs for one loss, already differentiated and simplified: the per-example
 * loss and gradient, and the batch-level forms, each built on first use. Most of a small loss's front end
 * is simplifying route (b)'s sums and building DP-SGD's; a run-time loss whose batch kernels are generated
 * on first use builds a kernel's forms only when that kernel is generated.
 *
 * <p>Thread-safe: each form is built once, under this object's lock (the expression factory that builds
 * them is not thread-safe, and nothing else uses it by then).
 */
public final class LossProgram {

    /**
     * How the batch-level forms are built; each method is called at most once.
     */
    public interface BatchForms {

        /** The batch-level sum of the loss (contains batch sums). */
        Expr totalLoss();

        /** Route (a) summed: {@code Σ g_p} per parameter, not simplified, so the loop adds exactly the per-example gradients. */
        List<Expr> sumOfPerExampleGradients();

        /** Route (b): the batch-level gradient of the summed loss, one per parameter. */
        List<Expr> gradientOfSum();

        /**
         * {@code Σ g_p·min(1, C/‖g‖₂)} per parameter, for DP-SGD, with the norm formed as {@code sqrt(Σ g²)},
         * then the number of examples for which that norm cannot be trusted (P + 1 sums; the runtime then
         * clips the batch exactly); C is the parameter variable with index {@code parameters().size()}.
         */
        List<Expr> clippedGradientSum();

        /** The per-example {@code ‖g‖₂}, without overflow or underflow in between. */
        Expr gradientNorm();
    }

    private final List<String> parameters;
    private final List<String> inputs;
    private final Expr loss;
    private final List<Expr> gradient;
    private final BatchForms build;
    private Expr totalLoss;
    private List<Expr> sumOfPerExampleGradients;
    private List<Expr> gradientOfSum;
    private List<Expr> clippedGradientSum;
    private Expr gradientNorm;
    private int perExampleSize = -1;

    /**
     * @param parameters parameter names, in order
     * @param inputs     input names, in order
     * @param loss       the per-example loss
     * @param gradient   the per-example partial derivatives, one per parameter
     * @param batchForms builds the batch-level forms, each at most once
     */
    public LossProgram(List<String> parameters, List<String> inputs, Expr loss, List<Expr> gradient,
                       BatchForms batchForms) {
        this.parameters = List.copyOf(parameters);
        this.inputs = List.copyOf(inputs);
        this.loss = loss;
        this.gradient = List.copyOf(gradient);
        this.build = batchForms;
        if (this.gradient.size() != this.parameters.size()) {
            throw new IllegalArgumentException("one derivative per parameter expected");
        }
    }

    public List<String> parameters() {
        return parameters;
    }

    public List<String> inputs() {
        return inputs;
    }

    public Expr loss() {
        return loss;
    }

    public List<Expr> gradient() {
        return gradient;
    }

    /** The distinct nodes of the per-example loss and gradient together, counted once. */
    public synchronized int perExampleSize() {
        if (perExampleSize < 0) {
            List<Expr> roots = new ArrayList<>(gradient);
            roots.add(loss);
            perExampleSize = Graph.size(roots);
        }
        return perExampleSize;
    }

    /** Builds every batch-level form now (for a loss generated as one class: errors surface at compile). */
    public void buildBatchForms() {
        totalLoss();
        sumOfPerExampleGradients();
        gradientOfSum();
        clippedGradientSum();
        gradientNorm();
    }

    public synchronized Expr totalLoss() {
        if (totalLoss == null) {
            totalLoss = build.totalLoss();
        }
        return totalLoss;
    }

    public synchronized List<Expr> sumOfPerExampleGradients() {
        if (sumOfPerExampleGradients == null) {
            sumOfPerExampleGradients = perParameter(build.sumOfPerExampleGradients(), 0);
        }
        return sumOfPerExampleGradients;
    }

    public synchronized List<Expr> gradientOfSum() {
        if (gradientOfSum == null) {
            gradientOfSum = perParameter(build.gradientOfSum(), 0);
        }
        return gradientOfSum;
    }

    public synchronized List<Expr> clippedGradientSum() {
        if (clippedGradientSum == null) {
            clippedGradientSum = perParameter(build.clippedGradientSum(), 1);
        }
        return clippedGradientSum;
    }

    public synchronized Expr gradientNorm() {
        if (gradientNorm == null) {
            gradientNorm = build.gradientNorm();
        }
        return gradientNorm;
    }

    private List<Expr> perParameter(List<Expr> forms, int extra) {
        if (forms.size() != parameters.size() + extra) {
            throw new IllegalArgumentException("expected " + (parameters.size() + extra) + " batch forms, got "
                    + forms.size());
        }
        return List.copyOf(forms);
    }

    /** The loss in Java syntax, printed on each call (printing is most of a small loss's compile). */
    public String printedLoss() {
        return JavaPrinter.print(loss);
    }

    /** The partial derivative with respect to parameter {@code p} in Java syntax, printed on each call. */
    public String printedDerivative(int p) {
        return JavaPrinter.print(gradient.get(p));
    }

    /** Every partial derivative in Java syntax, printed. */
    public List<String> printedDerivatives() {
        List<String> printed = new ArrayList<>();
        for (Expr partial : gradient) {
            printed.add(JavaPrinter.print(partial));
        }
        return printed;
    }
}
