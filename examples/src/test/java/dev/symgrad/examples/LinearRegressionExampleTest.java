package dev.symgrad.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearRegressionExampleTest {

    @Test
    void gradientDescentReachesTheLeastSquaresLine() {
        double[][] data = LinearRegressionExample.syntheticData(1000, 42);
        LinearRegressionExample.Fit fit = LinearRegressionExample.train(data, 0.1, 10_000);
        double[] exact = LinearRegressionExample.leastSquares(data);
        assertEquals(exact[0], fit.w(), 1e-9);
        assertEquals(exact[1], fit.b(), 1e-9);
        assertTrue(fit.steps() < 10_000, "converged before the step limit");
    }

    @Test
    void fitIsCloseToTheGeneratingLine() {
        LinearRegressionExample.Fit fit = LinearRegressionExample.train(LinearRegressionExample.syntheticData(1000, 7), 0.1, 10_000);
        assertEquals(3.0, fit.w(), 0.1);
        assertEquals(2.0, fit.b(), 0.1);
        // Noise has standard deviation 0.5, so the mean squared error is near 0.25.
        assertEquals(0.25, fit.meanSquaredError(), 0.05);
    }
}
