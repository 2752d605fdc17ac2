package dev.symgrad.compiler;

import dev.symgrad.runtime.optimize.Lbfgs;
import dev.symgrad.runtime.optimize.NewtonCg;
import dev.symgrad.runtime.optimize.OptimizationResult;
import dev.symgrad.runtime.optimize.StopReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch Hessian-vector product against the per-example Hessians and against central differences of
 * route (b), and Newton-CG and L-BFGS driving a logistic regression to the same minimum.
 */
class SecondOrderLossTest {

    static final String LOGISTIC = "Math.log1p(Math.exp(-y * (w0 * x0 + w1 * x1 + w2 * x2 + b))) + 0.01 * (w0 * w0 + w1 * w1 + w2 * w2)";
    static final List<String> PARAMETERS = List.of("w0", "w1", "w2", "b");
    static final List<String> INPUTS = List.of("x0", "x1", "x2", "y");

    private final SecondOrderLoss loss = Symgrad.compileSecondOrder(LOGISTIC, PARAMETERS, INPUTS);

    @Test
    void theBatchProductIsTheSumOfTheExamplesHessiansTimesV() {
        double[][] columns = columns(57, new Random(1));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        double[] v = {1, -2, 0.5, 3};
        double[] product = loss.hessianVectorProduct(params, columns, v);
        double[] expected = new double[4];
        double[] example = new double[4];
        for (int i = 0; i < columns[0].length; i++) {
            for (int c = 0; c < 4; c++) {
                example[c] = columns[c][i];
            }
            double[][] hessian = loss.hessian(params, example);
            for (int p = 0; p < 4; p++) {
                assertArrayEquals(hessian[p], column(hessian, p), 1e-15, "symmetric, row " + p);
                for (int q = 0; q < 4; q++) {
                    expected[p] += hessian[p][q] * v[q];
                }
            }
        }
        assertArrayEquals(expected, product, 1e-12);
        // Central differences of route (b) along v: an oracle that uses only first derivatives.
        double h = 1e-5;
        double[] up = params.clone();
        double[] down = params.clone();
        for (int p = 0; p < 4; p++) {
            up[p] += h * v[p];
            down[p] -= h * v[p];
        }
        double[] gUp = loss.loss().gradientOfSum(up, columns);
        double[] gDown = loss.loss().gradientOfSum(down, columns);
        for (int p = 0; p < 4; p++) {
            assertEquals((gUp[p] - gDown[p]) / (2 * h), product[p], 1e-6 * Math.max(1, Math.abs(product[p])), "entry " + p);
        }
    }

    @Test
    void newtonCgAndLbfgsReachTheSameMinimum() {
        double[][] columns = columns(400, new Random(2));
        double[] start = new double[4];
        OptimizationResult newton = NewtonCg.builder().gradientTolerance(1e-8).build()
                .minimize(loss.objective(columns), loss.hessianVectorProduct(columns), start);
        OptimizationResult lbfgs = Lbfgs.builder().gradientTolerance(1e-8).build().minimize(loss.objective(columns), start);
        assertEquals(StopReason.GRADIENT_TOLERANCE, newton.reason());
        assertEquals(StopReason.GRADIENT_TOLERANCE, lbfgs.reason());
        assertArrayEquals(newton.x(), lbfgs.x(), 1e-7);
        assertTrue(newton.iterations() < lbfgs.iterations(), newton.iterations() + " Newton against "
                + lbfgs.iterations() + " L-BFGS iterations");
    }

    private static double[] column(double[][] matrix, int q) {
        double[] column = new double[matrix.length];
        for (int p = 0; p < matrix.length; p++) {
            column[p] = matrix[p][q];
        }
        return column;
    }

    private static double[][] columns(int n, Random random) {
        double[][] columns = new double[4][n];
        for (int i = 0; i < n; i++) {
            double margin = 0.5;
            for (int j = 0; j < 3; j++) {
                columns[j][i] = random.nextGaussian();
                margin += (j - 1) * columns[j][i];
            }
            columns[3][i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : -1;
        }
        return columns;
    }
}
