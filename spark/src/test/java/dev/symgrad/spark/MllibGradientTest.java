package dev.symgrad.spark;

import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MLlib's own L-BFGS trains a compiled loss through {@link MllibGradient}, to where route (b) is zero. */
class MllibGradientTest {

    private final SparkSession spark = LocalSpark.session();

    @Test
    void eachRowAddsItsGradientAndReturnsItsLoss() {
        double[] params = {0.5, -1, 2, 0.25, 1.5, -0.3};
        double[] example = {1, 2, -1, 0.5, 3, -1};
        double[] cumulative = {1, 1, 1, 1, 1, 1};
        double value = new MllibGradient(SparkLossTest.DEFINITION).compute(Vectors.dense(example), 0.0,
                Vectors.dense(params), Vectors.dense(cumulative));
        var local = SparkLossTest.DEFINITION.compile();
        assertEquals(local.loss(params, example), value, 0.0);
        double[] gradient = local.gradient(params, example);
        for (int k = 0; k < params.length; k++) {
            assertEquals(1 + gradient[k], cumulative[k], 0.0, "entry " + k);
        }
    }

    @Test
    void mllibsLbfgsFindsTheMinimumOfTheCompiledLoss() {
        // Noisy labels, so that the logistic loss has a finite minimum.
        Random random = new Random(12);
        int n = 400;
        double[][] columns = new double[SparkLossTest.D + 1][n];
        for (int i = 0; i < n; i++) {
            double margin = 0;
            for (int j = 0; j < SparkLossTest.D; j++) {
                columns[j][i] = random.nextGaussian();
                margin += (j + 1) * 0.3 * columns[j][i];
            }
            columns[SparkLossTest.D][i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : -1;
        }
        try (SparkLoss loss = SparkLoss.of(new SparkLossTest.Table(columns).frame(spark).repartition(3),
                SparkLossTest.DEFINITION, ColumnMapping.byName())) {
            double[] start = new double[loss.parameterCount()];
            Tuple2<Vector, double[]> fit = LBFGS.runLBFGS(loss.mllibData().rdd(),
                    new MllibGradient(loss.definition()), new SimpleUpdater(), 10, 1e-12, 100, 0.0, Vectors.dense(start));
            double[] optimum = fit._1().toArray();
            double[] history = fit._2();
            // MLlib's history is the mean loss per iteration: it starts at log 2 (all parameters zero).
            assertEquals(Math.log(2), history[0], 1e-12);
            assertTrue(history[history.length - 1] < history[0] - 0.1, "the loss fell: " + history[history.length - 1]);
            double[] gradient = loss.gradientOfSum(optimum);
            double norm = 0;
            for (double g : gradient) {
                norm += (g / n) * (g / n);
            }
            assertTrue(Math.sqrt(norm) < 1e-5, "the mean gradient's norm at the optimum: " + Math.sqrt(norm));
        }
    }
}
