package dev.symgrad.examples;

import dev.symgrad.examples.data.CsvTable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build-time generated LossesGradients, checked against the plain Java methods it was generated from. */
class BuildTimeExampleTest {

    @Test
    void equivalentTwoWaysGivesTenTwice() {
        assertArrayEquals(new double[] {10.0, 10.0}, BuildTimeExample.equivalentTwoWays(1.0, new double[] {1.0, 2.0}));
    }

    @Test
    void generatedLossEqualsTheJavaMethod() {
        assertEquals(Losses.logistic(0.3, -0.2, 1.5, -1.0), LossesGradients.logistic(0.3, -0.2, 1.5, -1.0), 1e-15);
    }

    @Test
    void generatedGradientMatchesCentralDifferencesOfTheJavaMethod() {
        double w = 0.3;
        double b = -0.2;
        double h = 1e-6;
        for (double[] example : new double[][] {{1.5, 1}, {-0.7, -1}, {2.2, -1}}) {
            double x = example[0];
            double y = example[1];
            double[] gradient = LossesGradients.logisticGradient(w, b, x, y);
            double dw = (Losses.logistic(w + h, b, x, y) - Losses.logistic(w - h, b, x, y)) / (2 * h);
            double db = (Losses.logistic(w, b + h, x, y) - Losses.logistic(w, b - h, x, y)) / (2 * h);
            assertEquals(dw, gradient[0], 1e-8);
            assertEquals(db, gradient[1], 1e-8);
        }
    }

    @Test
    void routesAgreeOnTheLogisticLoss() {
        double[][] data = BuildTimeExample.syntheticLabels(1000, 5);
        double[] a = LossesGradients.logisticSumOfPerExampleGradients(0.4, 0.1, data[0], data[1]);
        double[] b = LossesGradients.logisticGradientOfSum(0.4, 0.1, data[0], data[1]);
        assertArrayEquals(a, b, 1e-10 * (Math.abs(a[0]) + Math.abs(a[1])));
    }

    @Test
    void logisticRegressionLearnsTheThreshold() {
        double[][] data = BuildTimeExample.syntheticLabels(2000, 3);
        double[] fit = BuildTimeExample.trainLogistic(data[0], data[1], 0.5, 500);
        assertTrue(fit[0] > 0, "positive slope");
        assertTrue(BuildTimeExample.accuracy(fit, data[0], data[1]) > 0.8);
        // The fitted decision boundary x = -b/w lies near the true threshold -0.5.
        assertEquals(-0.5, -fit[1] / fit[0], 0.15);
    }

    @Test
    void theGeneratedFacadeClipsLikeTheCompiledLoss() {
        double[] x = {1.5, -0.5, 2.0, 0.25};
        double[] y = {1, -1, -1, 1};
        double[] params = {0.4, 0.1};
        double[][] columns = {x, y};
        assertArrayEquals(LossesGradients.compiledLogistic().clippedGradientSum(params, columns, 0.3),
                LossesGradients.logisticClippedGradientSum(0.4, 0.1, x, y, 0.3));
        assertArrayEquals(LossesGradients.compiledLogistic().perExampleGradientNorms(params, columns),
                LossesGradients.logisticPerExampleGradientNorms(0.4, 0.1, x, y));
        double[] unclipped = LossesGradients.logisticSumOfPerExampleGradients(0.4, 0.1, x, y);
        double[] clipped = LossesGradients.logisticClippedGradientSum(0.4, 0.1, x, y, 0.3);
        assertTrue(Math.hypot(clipped[0], clipped[1]) < Math.hypot(unclipped[0], unclipped[1]));
    }

    @Test
    void theThirtyFeatureLoopLossHasTheGradientOfCentralDifferencesOfTheJavaMethod() {
        Random random = new Random(17);
        for (int trial = 0; trial < 5; trial++) {
            double[] w = random.doubles(30, -0.3, 0.3).toArray();
            double[] x = random.doubles(30, -2, 2).toArray();
            double b = random.nextGaussian() * 0.1;
            double s = random.nextBoolean() ? 1 : -1;
            assertEquals(Losses.logisticRegression(w, b, x, s), LossesGradients.logisticRegression(w, b, x, s), 1e-14);
            double[] gradient = LossesGradients.logisticRegressionGradient(w, b, x, s);
            assertEquals(31, gradient.length);
            double h = 1e-6;
            for (int j = 0; j < 30; j++) {
                double[] up = w.clone();
                double[] down = w.clone();
                up[j] += h;
                down[j] -= h;
                double dw = (Losses.logisticRegression(up, b, x, s) - Losses.logisticRegression(down, b, x, s)) / (2 * h);
                assertEquals(dw, gradient[j], 1e-8, "w[" + j + "]");
            }
            double db = (Losses.logisticRegression(w, b + h, x, s) - Losses.logisticRegression(w, b - h, x, s)) / (2 * h);
            assertEquals(db, gradient[30], 1e-8, "b");
        }
    }

    @Test
    void theThirtyFeatureLoopLossAgreesWithTheStringLossOnTheBreastCancerData() {
        double[][] train = BreastCancerExample.split(CsvTable.read("/data/breast_cancer.csv"), 7).train();
        double[][] features = Arrays.copyOf(train, 30); // one column per element x[j]
        double[] labels = train[30];
        double[] params = new Random(3).doubles(31, -0.2, 0.2).toArray();
        double[] w = Arrays.copyOf(params, 30);
        double b = params[30];
        double[] expected = BreastCancerExample.LOSS.gradientOfSum(params, train);
        double[] routeB = LossesGradients.logisticRegressionGradientOfSum(w, b, features, labels);
        double[] routeA = LossesGradients.logisticRegressionSumOfPerExampleGradients(w, b, features, labels);
        double scale = Arrays.stream(expected).map(Math::abs).sum();
        assertArrayEquals(expected, routeB, 1e-12 * scale);
        assertArrayEquals(routeB, routeA, 1e-12 * scale);
        assertEquals(BreastCancerExample.LOSS.totalLoss(params, train),
                LossesGradients.logisticRegressionTotalLoss(w, b, features, labels), 1e-10);
        assertEquals(List.of("w[0]", "w[29]", "b"), List.of(LossesGradients.compiledLogisticRegression().parameters().get(0),
                LossesGradients.compiledLogisticRegression().parameters().get(29),
                LossesGradients.compiledLogisticRegression().parameters().get(30)));
    }

    @Test
    void theFacadeNamesAnArrayOfTheWrongLength() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LossesGradients.logisticRegressionGradient(new double[29], 0, new double[30], 1));
        assertEquals("w has length 29, expected 30", error.getMessage());
    }
}
