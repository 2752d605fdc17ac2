package dev.symgrad.spark;

import dev.symgrad.runtime.CompiledLoss;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.optimization.Gradient;

import java.util.Objects;

/**
 * A compiled loss as Spark MLlib's {@link Gradient}, so that MLlib's own optimizers ({@code LBFGS.runLBFGS},
 * {@code GradientDescent.runMiniBatchSGD}) train it:
 *
 * <pre>{@code
 * Tuple2<Vector, double[]> fit = LBFGS.runLBFGS(loss.mllibData().rdd(), new MllibGradient(loss.definition()),
 *         new SimpleUpdater(), 10, 1e-9, 100, 0.0, Vectors.dense(initialParams));
 * }</pre>
 *
 * MLlib calls it once per row, with the row's inputs as the features vector ({@link SparkLoss#mllibData}, in
 * the order of the loss's {@code inputs()}); the label is not used. Each call runs the compiled single-example
 * kernels; the class itself is compiled once per executor ({@link LossDefinition#compile}). MLlib's L-BFGS
 * minimizes the mean of the losses, as {@link SparkLoss#lossAndGradient} divided by the count.
 */
public final class MllibGradient extends Gradient {

    private static final long serialVersionUID = 1L;

    private final LossDefinition definition;

    public MllibGradient(LossDefinition definition) {
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    /** Adds the row's gradient to {@code cumGradient} (a dense vector, as MLlib's optimizers pass) and returns its loss. */
    @Override
    public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
        CompiledLoss loss = definition.compile();
        double[] params = weights.toArray();
        double[] example = data.toArray();
        double[] gradient = loss.gradient(params, example);
        double[] sum = ((DenseVector) cumGradient).values();
        for (int k = 0; k < gradient.length; k++) {
            sum[k] += gradient[k];
        }
        return loss.loss(params, example);
    }
}
