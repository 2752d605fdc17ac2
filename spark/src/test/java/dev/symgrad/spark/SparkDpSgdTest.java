package dev.symgrad.spark;

import dev.symgrad.runtime.CompiledLoss;
import dev.symgrad.runtime.privacy.DpSgd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DP-SGD with the batches drawn on the executors ({@link SparkLoss#clippedSumOfSample}) and the noise added
 * on the driver: the same as the single-machine run where the sampling is the same (every row, no noise),
 * the same bits for the same seed and partitioning, and batches of the expected size.
 */
class SparkDpSgdTest {

    private final SparkSession spark = LocalSpark.session();

    @Test
    void withEveryRowAndNoNoiseItEqualsTheSingleMachineRun() {
        double[][] columns = columns(200, new Random(4));
        DpSgd dpSgd = DpSgd.builder().learningRate(0.5).noiseMultiplier(0).clipNorm(0.7).sampleRate(1.0).steps(5)
                .delta(1e-5).seed(11).build();
        double[] start = new double[SparkLossTest.D + 1];
        CompiledLoss local = SparkLossTest.DEFINITION.compile();
        DpSgd.Result expected = dpSgd.train(local::clippedGradientSumInto, start, columns);
        try (SparkLoss loss = SparkLoss.of(frame(columns).repartition(3), SparkLossTest.DEFINITION, ColumnMapping.byName())) {
            DpSgd.Result actual = dpSgd.train(loss::clippedSumOfSample, start, loss.count());
            assertEquals(expected.steps(), actual.steps());
            assertEquals(expected.privacySpent(), actual.privacySpent());
            // Five steps of sums in another order: the parameters agree to within a few units in the last place.
            assertArrayEquals(expected.params(), actual.params(), 1e-12);
            assertFalse(Arrays.equals(start, actual.params()), "the parameters moved");
        }
    }

    @Test
    void theSameSeedAndPartitioningGiveTheSameBits() {
        double[][] columns = columns(300, new Random(5));
        DpSgd.Builder builder = DpSgd.builder().learningRate(0.3).noiseMultiplier(1.1).clipNorm(1.0)
                .expectedBatchSize(60).steps(8).delta(1e-5);
        double[] start = new double[SparkLossTest.D + 1];
        try (SparkLoss loss = SparkLoss.of(frame(columns).repartition(4), SparkLossTest.DEFINITION, ColumnMapping.byName())) {
            double[] first = builder.seed(3).build().train(loss::clippedSumOfSample, start, loss.count()).params();
            double[] again = builder.seed(3).build().train(loss::clippedSumOfSample, start, loss.count()).params();
            double[] other = builder.seed(4).build().train(loss::clippedSumOfSample, start, loss.count()).params();
            assertArrayEquals(first, again, 0.0);
            assertFalse(Arrays.equals(first, other), "another seed, other batches and noise");
        }
    }

    @Test
    void eachPartitionSamplesItsRowsAtTheRate() {
        // With C infinite and a loss whose gradient with respect to b is 1 per row (w = 0, y = -1: the
        // derivative of log1p(exp(t)) at t = 0 is 1/2), the clipped sum's b entry counts the sampled rows / 2.
        double[][] columns = columns(1000, new Random(6));
        Arrays.fill(columns[SparkLossTest.D], -1);
        try (SparkLoss loss = SparkLoss.of(frame(columns).repartition(5), SparkLossTest.DEFINITION, ColumnMapping.byName())) {
            double[] params = new double[SparkLossTest.D + 1];
            double[] out = new double[params.length];
            double sampled = 0;
            int steps = 40;
            for (int step = 0; step < steps; step++) {
                loss.clippedSumOfSample(9, step, 0.2, params, Double.POSITIVE_INFINITY, out);
                sampled += 2 * out[SparkLossTest.D];
            }
            double mean = sampled / steps;
            // 200 expected per step; the mean of 40 binomial(1000, 0.2) draws has a standard deviation of 2.
            assertTrue(Math.abs(mean - 200) < 10, "mean batch size " + mean);
        }
    }

    private Dataset<Row> frame(double[][] columns) {
        return new SparkLossTest.Table(columns).frame(spark);
    }

    private static double[][] columns(int n, Random random) {
        double[][] columns = new double[SparkLossTest.D + 1][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < SparkLossTest.D; j++) {
                columns[j][i] = random.nextGaussian();
            }
            columns[SparkLossTest.D][i] = random.nextBoolean() ? 1 : -1;
        }
        return columns;
    }
}
