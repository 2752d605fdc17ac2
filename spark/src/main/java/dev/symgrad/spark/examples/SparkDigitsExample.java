package dev.symgrad.spark.examples;

import dev.symgrad.runtime.privacy.DpSgd;
import dev.symgrad.spark.ColumnMapping;
import dev.symgrad.spark.LossDefinition;
import dev.symgrad.spark.SparkLoss;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Softmax regression on the handwritten digits (1,797 rows of 8×8 pixels, ten classes; 650 parameters),
 * read with Spark's CSV reader: pixels scaled to [0, 1] and the label one-hot encoded as columns by Spark
 * SQL, then mini-batch-free gradient descent on route (b) and DP-SGD, both on the cluster.
 */
public final class SparkDigitsExample {

    static final String SOURCE = """
            class Digits {
                static double softmax(double[][] W, double[] b, double[] x, double[] y) {
                    double sumExp = 0, dot = 0;
                    for (int k = 0; k < 10; k++) {
                        double z = b[k];
                        for (int j = 0; j < 64; j++) z += W[k][j] * x[j];
                        sumExp += Math.exp(z);
                        dot += y[k] * z;
                    }
                    return Math.log(sumExp) - dot;
                }
            }
            """;
    static final int PIXELS = 64;
    static final int CLASSES = 10;

    private SparkDigitsExample() {
    }

    public static void main(String[] args) {
        SparkExamples.inLocalSession("symgrad digits", SparkDigitsExample::run);
    }

    /** Test accuracies of the two runs, and the ε of the private one. */
    record Outcome(double accuracy, double privateAccuracy, double epsilon) {
    }

    static Outcome run(SparkSession spark) {
        Dataset<Row> table = SparkExamples.csv(spark, "digits.csv");
        List<String> pixels = new ArrayList<>();
        for (String column : table.columns()) {
            if (!column.equals("digit")) {
                pixels.add(column);
                table = table.withColumn(column, functions.col(column).divide(16.0));
            }
        }
        List<String> oneHot = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            oneHot.add("y" + k);
            table = table.withColumn("y" + k, functions.when(functions.col("digit").equalTo(k), 1.0).otherwise(0.0));
        }
        Dataset<Row>[] split = table.randomSplit(new double[] {0.8, 0.2}, 7);
        Dataset<Row> train = split[0].repartition(2).cache();
        List<Row> testRows = split[1].select(functions.col("digit"),
                functions.array(pixels.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new))).collectAsList();

        LossDefinition softmax = LossDefinition.method(SOURCE, "softmax", List.of("W", "b"),
                Map.of("W", List.of(CLASSES, PIXELS), "b", List.of(CLASSES), "x", List.of(PIXELS), "y", List.of(CLASSES)));
        try (SparkLoss loss = SparkLoss.of(train, softmax, ColumnMapping.byName().input("x", pixels).input("y", oneHot))) {
            long n = loss.count();
            System.out.printf("digits on Spark (local[2]): %d training rows, %d test rows, softmax regression, %d parameters%n",
                    n, testRows.size(), loss.parameterCount());
            long start = System.nanoTime();
            double[] params = new double[loss.parameterCount()];
            int steps = 150;
            for (int step = 0; step < steps; step++) {
                double[] gradient = loss.gradientOfSum(params);
                for (int k = 0; k < params.length; k++) {
                    params[k] -= 2.0 * gradient[k] / n;
                }
            }
            System.out.printf("  gradient descent, route (b), %d steps in %.1f s: test accuracy %.3f%n", steps,
                    (System.nanoTime() - start) / 1e9, accuracy(testRows, params));

            start = System.nanoTime();
            DpSgd dpSgd = DpSgd.builder().learningRate(2.0).noiseMultiplier(1.0).clipNorm(1.0).expectedBatchSize(128)
                    .epochs(8).delta(1e-5).seed(42).build();
            DpSgd.Result result = dpSgd.train(loss::clippedSumOfSample, new double[loss.parameterCount()], n);
            System.out.printf("  DP-SGD, batches drawn on the executors, %d steps in %.1f s: test accuracy %.3f, "
                            + "epsilon %.2f at delta 1e-5%n", result.steps(), (System.nanoTime() - start) / 1e9,
                    accuracy(testRows, result.params()), result.privacySpent().epsilon());
            System.out.println("    noise from the public seed 42: reproducible, NOT private (anyone can remove it)");
            return new Outcome(accuracy(testRows, params), accuracy(testRows, result.params()),
                    result.privacySpent().epsilon());
        }
    }

    /** The fraction of test rows whose largest logit {@code W·x + b} is their digit. */
    static double accuracy(List<Row> rows, double[] params) {
        int right = 0;
        for (Row row : rows) {
            List<Object> x = row.getList(1);
            int best = 0;
            double bestLogit = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < CLASSES; k++) {
                double z = params[CLASSES * PIXELS + k];
                for (int j = 0; j < PIXELS; j++) {
                    z += params[k * PIXELS + j] * ((Number) x.get(j)).doubleValue();
                }
                if (z > bestLogit) {
                    bestLogit = z;
                    best = k;
                }
            }
            right += best == row.getInt(0) ? 1 : 0;
        }
        return (double) right / rows.size();
    }
}
