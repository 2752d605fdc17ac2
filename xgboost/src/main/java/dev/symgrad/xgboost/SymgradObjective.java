package dev.symgrad.xgboost;

import dev.symgrad.compiler.MarginDerivatives;
import dev.symgrad.compiler.Symgrad;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.util.Arrays;
import java.util.List;

/**
 * An XGBoost custom objective from a loss written in Java syntax: the per-example gradient and Hessian with
 * respect to the margin (XGBoost's raw prediction) come from symgrad's generated code, one pass over the
 * rows per boosting round, instead of derivatives worked out and typed in by hand.
 *
 * <pre>{@code
 * IObjective logistic = SymgradObjective.of("Math.log1p(Math.exp(m)) - y * m", "m", "y");
 * Booster booster = XGBoost.train(train, params, rounds, watches, logistic, null);
 * }</pre>
 *
 * <ul>
 *   <li><b>Margins.</b> One margin name for regression and binary losses; for a multi-class loss one per class
 *       ({@code List.of("m0", "m1", "m2")}, or a vector {@code "m[3]"}), in class order, with XGBoost's
 *       {@code num_class} set to their number. The gradient and Hessian are laid out row by row, class within
 *       row ({@code i·K + k}), as XGBoost reads them. The Hessian is its diagonal, {@code ∂²ℓ/∂m_k²}.
 *   <li><b>Label.</b> The loss names the row's label (XGBoost's {@code DMatrix} label) as one more input.
 *   <li><b>Weights.</b> Where the training matrix has weights, each row's gradient and Hessian are multiplied
 *       by its weight, as XGBoost's built-in objectives do.
 *   <li><b>Where the loss has no curvature.</b> A piecewise-linear loss (absolute error, pinball, hinge) has
 *       a second derivative of 0 (also at its kinks, as in JAX), and XGBoost grows no tree from a Hessian of
 *       0. {@link #withHessianAtLeast} raises each Hessian to a floor: with 1, each round fits the gradient,
 *       as LightGBM does for such losses.
 *   <li><b>Serialization.</b> An instance serializes as its text (the loss, the names and the floor), so it
 *       travels to executors, checkpoints and Spark tasks; the generated class is compiled again on first
 *       use after deserialization (once per JVM while symgrad's compile cache holds it).
 * </ul>
 *
 * The loss is checked when the objective is made: an invalid expression is a {@code CompileError} that
 * points at the spot. Instances are immutable and thread-safe.
 */
public final class SymgradObjective implements IObjective {

    private static final long serialVersionUID = 1L;

    private final String loss;
    private final List<String> margins;
    private final String label;
    private final double hessianFloor;
    private transient volatile MarginDerivatives derivatives;

    private SymgradObjective(String loss, List<String> margins, String label, double hessianFloor) {
        this.loss = loss;
        this.margins = List.copyOf(margins);
        this.label = label;
        this.hessianFloor = hessianFloor;
        this.derivatives = compile();
    }

    /**
     * The objective of {@code loss}, a function of the margin {@code margin} and the label {@code label}.
     *
     * @throws dev.symgrad.compiler.diagnostic.CompileError if the loss is not valid or does not use the margin
     * @throws IllegalArgumentException                     if the names are not distinct Java identifiers
     */
    public static SymgradObjective of(String loss, String margin, String label) {
        return of(loss, List.of(margin), label);
    }

    /**
     * The objective of {@code loss}, a function of several margins (one per class, in class order) and the
     * label {@code label}.
     *
     * @throws dev.symgrad.compiler.diagnostic.CompileError if the loss is not valid or does not use every margin
     * @throws IllegalArgumentException                     if the names are not distinct Java identifiers
     */
    public static SymgradObjective of(String loss, List<String> margins, String label) {
        if (loss == null || margins == null || label == null) {
            throw new IllegalArgumentException("the loss, the margins and the label must not be null");
        }
        return new SymgradObjective(loss, margins, label, 0);
    }

    /**
     * This objective with every Hessian raised to at least {@code floor} (after weighting), for losses whose
     * second derivative is 0 or tiny where XGBoost needs curvature to grow a tree.
     *
     * @throws IllegalArgumentException if {@code floor} is negative or not finite
     */
    public SymgradObjective withHessianAtLeast(double floor) {
        if (!(floor >= 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("the Hessian floor must be finite and at least 0, got " + floor);
        }
        return new SymgradObjective(loss, margins, label, floor);
    }

    /** The loss as written. */
    public String loss() {
        return loss;
    }

    /** The margins' names, one per class, in class order (a declared vector as its elements). */
    public List<String> margins() {
        return derivatives().margins();
    }

    /** The label's name. */
    public String label() {
        return label;
    }

    /** The simplified first derivative with respect to {@code margin}, in Java syntax. */
    public String printedGradient(String margin) {
        return derivatives().printedFirstDerivative(margin);
    }

    /** The simplified second derivative with respect to {@code margin}, in Java syntax. */
    public String printedHessian(String margin) {
        return derivatives().printedSecondDerivative(margin);
    }

    /**
     * XGBoost's call: the gradient and Hessian of every row, flattened row by row ({@code i·K + k}), for the
     * margins {@code predicts[i][k]} and the labels and weights of {@code dtrain}.
     *
     * @throws IllegalArgumentException if the rows do not have one margin per declared margin, or the labels
     *                                  are not one per row
     */
    @Override
    public List<float[]> getGradient(float[][] predicts, DMatrix dtrain) {
        float[] labels;
        float[] weights;
        try {
            labels = dtrain.getLabel();
            weights = dtrain.getWeight();
        } catch (XGBoostError e) {
            throw new IllegalStateException("could not read the training matrix's labels and weights: "
                    + e.getMessage(), e);
        }
        return gradientAndHessian(predicts, labels, weights);
    }

    /**
     * {@link #getGradient} for margins, labels and weights (empty for none) given as arrays: the gradient,
     * then the Hessian, each of {@code predicts.length · K} values, row by row.
     */
    public List<float[]> gradientAndHessian(float[][] predicts, float[] labels, float[] weights) {
        MarginDerivatives d = derivatives();
        int k = d.margins().size();
        int n = predicts.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("the training matrix has " + labels.length + " labels for " + n
                    + " rows; the objective takes one label per row");
        }
        if (weights.length != 0 && weights.length != n) {
            throw new IllegalArgumentException("the training matrix has " + weights.length + " weights for " + n
                    + " rows");
        }
        double[][] columns = new double[k + 1][n];
        for (int i = 0; i < n; i++) {
            if (predicts[i].length != k) {
                throw new IllegalArgumentException("XGBoost predicts " + predicts[i].length + " margins per row but"
                        + " the objective has " + k + " " + d.margins() + (k > 1 ? "; set num_class = " + k : ""));
            }
            for (int c = 0; c < k; c++) {
                columns[c][i] = predicts[i][c];
            }
            columns[k][i] = labels[i];
        }
        MarginDerivatives.Batch batch = d.derivatives(columns);
        float[] gradient = new float[n * k];
        float[] hessian = new float[n * k];
        for (int i = 0; i < n; i++) {
            double weight = weights.length == 0 ? 1 : weights[i];
            for (int c = 0; c < k; c++) {
                gradient[i * k + c] = (float) (weight * batch.gradient()[c][i]);
                hessian[i * k + c] = (float) Math.max(hessianFloor, weight * batch.hessian()[c][i]);
            }
        }
        return Arrays.asList(gradient, hessian);
    }

    private MarginDerivatives derivatives() {
        MarginDerivatives compiled = derivatives;
        if (compiled == null) {
            compiled = compile();
            derivatives = compiled;
        }
        return compiled;
    }

    private MarginDerivatives compile() {
        return Symgrad.compileMarginDerivatives(loss, margins, List.of(label));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (loss == null || margins == null || label == null || !(hessianFloor >= 0)) {
            throw new InvalidObjectException("a SymgradObjective needs its loss, margins, label and a Hessian floor"
                    + " of at least 0");
        }
    }

    @Override
    public String toString() {
        return "SymgradObjective[" + loss + "; margins " + margins + ", label " + label
                + (hessianFloor > 0 ? ", Hessian at least " + hessianFloor : "") + "]";
    }
}
