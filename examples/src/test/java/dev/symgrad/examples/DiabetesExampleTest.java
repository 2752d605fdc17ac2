package dev.symgrad.examples;

import dev.symgrad.examples.data.CsvTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiabetesExampleTest {

    private static final CsvTable TABLE = CsvTable.read("/data/diabetes.csv");

    @Test
    void gradientDescentOnRouteBReachesTheLeastSquaresSolution() {
        DiabetesExample.Fit fit = DiabetesExample.train(TABLE, 0.1, 200_000);
        double[] exact = DiabetesExample.leastSquares(DiabetesExample.columns(TABLE));
        for (int j = 0; j < 10; j++) {
            assertEquals(exact[j], fit.weights()[j], 1e-6, fit.features().get(j));
        }
        assertEquals(exact[10], fit.intercept(), 1e-6);
        assertTrue(fit.steps() < 200_000, "converged before the step limit");
    }

    @Test
    void theFitIsTheKnownOrdinaryLeastSquaresFitOfThisDataSet() {
        // scikit-learn's LinearRegression on all 442 rows of load_diabetes: R² = 0.5177, MSE = 2859.70
        // (standardizing the features changes the coefficients, not the predictions).
        DiabetesExample.Fit fit = DiabetesExample.train(TABLE, 0.1, 200_000);
        assertEquals(2859.70, fit.meanSquaredError(), 0.01);
        assertEquals(0.5177, fit.rSquared(), 1e-4);
        assertEquals(442, TABLE.rows());
    }
}
