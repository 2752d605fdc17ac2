package dev.symgrad.benchmarks.reference;

import dev.symgrad.compiler.SecondOrderLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written Hessian-vector product of the second-order benchmark computes the generated one, on
 * batches that leave a partial block and a tail after its four-example steps.
 */
class HandWrittenLogisticHessianTest {

    private static final int FEATURES = 30;

    @ParameterizedTest(name = "N={0}")
    @ValueSource(ints = {0, 1, 7, 257, 1000})
    void itComputesTheGeneratedHessianVectorProduct(int n) {
        SecondOrderLoss loss = dev.symgrad.benchmarks.SecondOrderBenchmarkModels.compile("logistic");
        Random random = new Random(n);
        double[] params = new double[FEATURES + 1];
        double[] v = new double[FEATURES + 1];
        for (int j = 0; j <= FEATURES; j++) {
            params[j] = 0.3 * random.nextGaussian();
            v[j] = random.nextGaussian();
        }
        double[][] columns = new double[FEATURES + 1][n];
        for (int j = 0; j < FEATURES; j++) {
            for (int i = 0; i < n; i++) {
                columns[j][i] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            columns[FEATURES][i] = random.nextBoolean() ? 1 : -1;
        }
        double[] expected = loss.hessianVectorProduct(params, columns, v);
        double[] actual = new double[FEATURES + 1];
        HandWrittenLogisticHessian.hessianVectorProduct(params, columns, v, actual);
        for (int j = 0; j <= FEATURES; j++) {
            assertEquals(expected[j], actual[j], 1e-12 * Math.max(1, n), "entry " + j);
        }
    }
}
