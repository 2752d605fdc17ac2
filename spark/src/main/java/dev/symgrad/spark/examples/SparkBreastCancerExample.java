package dev.symgrad.spark.examples;

import dev.symgrad.runtime.privacy.DpSgd;
import dev.symgrad.spark.ColumnMapping;
import dev.symgrad.spark.LossDefinition;
import dev.symgrad.spark.SparkLoss;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Logistic regression on the breast-cancer table (569 rows, 30 features), read with Spark's CSV reader and
 * trained in {@code local[2]}: full-batch gradient descent on route (b), then DP-SGD with the batches drawn
 * on the executors and the fused clipped sum. The loss is a Java method over arrays; its 30 features come
 * from 30 CSV columns ({@link ColumnMapping#input(String, List)}).
 *
 * <p>The DP-SGD run draws its batches and noise from a public seed, so that its output can be reproduced:
 * a demonstration, not a private release (without {@code .seed(..)} each run is seeded from SecureRandom).
 */
public final class SparkBreastCancerExample {

    static final String SOURCE = """
            class Losses {
                static double logistic(double[] w, double b, double[] x, double s) {
                    double t = b;
                    for (int j = 0; j < x.length; j++) t += w[j] * x[j];
                    return Math.log1p(Math.exp(-s * t));
                }
            }
            """;
    static final int FEATURES = 30;

    private SparkBreastCancerExample() {
    }

    /** The fraction of rows on the right side of {@code w·x + b = 0}, counted by Spark. */
    static double accuracy(Dataset<Row> table, List<String> features, double[] params) {
        Column margin = functions.lit(params[FEATURES]);
        for (int j = 0; j < FEATURES; j++) {
            margin = margin.plus(functions.col(features.get(j)).multiply(params[j]));
        }
        return (double) table.filter(margin.multiply(functions.col("s")).gt(0)).count() / table.count();
    }

    public static void main(String[] args) {
        SparkExamples.inLocalSession("symgrad breast cancer", SparkBreastCancerExample::run);
    }

    /** Test accuracies of the two runs, and the ε of the private one. */
    record Outcome(double accuracy, double privateAccuracy, double epsilon) {
    }

    static Outcome run(SparkSession spark) {
        {
            Dataset<Row> table = SparkExamples.csv(spark, "breast_cancer.csv")
                    .withColumn("s", functions.col("malignant").multiply(2).minus(1));
            List<String> features = new ArrayList<>(Arrays.asList(table.columns()));
            features.removeAll(List.of("malignant", "s"));
            Dataset<Row>[] split = table.randomSplit(new double[] {0.8, 0.2}, 7);
            Dataset<Row>[] standard = SparkExamples.standardized(split[0], split[1], features);
            Dataset<Row> train = standard[0].repartition(2).cache();
            Dataset<Row> test = standard[1].cache();

            LossDefinition logistic = LossDefinition.method(SOURCE, "logistic", List.of("w", "b"),
                    Map.of("w", List.of(FEATURES), "x", List.of(FEATURES)));
            try (SparkLoss loss = SparkLoss.of(train, logistic, ColumnMapping.byName().input("x", features))) {
                long n = loss.count();
                System.out.printf("breast cancer on Spark (local[2], %d partitions): %d training rows, %d test rows, %d features%n",
                        train.rdd().getNumPartitions(), n, test.count(), FEATURES);
                long start = System.nanoTime();
                double[] params = new double[FEATURES + 1];
                int steps = 100;
                for (int step = 0; step < steps; step++) {
                    double[] gradient = loss.gradientOfSum(params);
                    for (int k = 0; k < params.length; k++) {
                        params[k] -= 1.0 * gradient[k] / n;
                    }
                }
                System.out.printf("  gradient descent, route (b), %d steps in %.1f s: train accuracy %.3f, test accuracy %.3f%n",
                        steps, (System.nanoTime() - start) / 1e9, accuracy(train, features, params),
                        accuracy(test, features, params));

                start = System.nanoTime();
                DpSgd dpSgd = DpSgd.builder().learningRate(0.5).noiseMultiplier(2.0).clipNorm(1.0).expectedBatchSize(32)
                        .epochs(10).delta(1e-5).seed(42).build();
                DpSgd.Result result = dpSgd.train(loss::clippedSumOfSample, new double[FEATURES + 1], n);
                System.out.printf("  DP-SGD, batches drawn on the executors, %d steps in %.1f s: test accuracy %.3f, "
                                + "epsilon %.2f at delta 1e-5%n", result.steps(), (System.nanoTime() - start) / 1e9,
                        accuracy(test, features, result.params()), result.privacySpent().epsilon());
                System.out.println("    noise from the public seed 42: reproducible, NOT private (anyone can remove it)");
                return new Outcome(accuracy(test, features, params), accuracy(test, features, result.params()),
                        result.privacySpent().epsilon());
            }
        }
    }
}
