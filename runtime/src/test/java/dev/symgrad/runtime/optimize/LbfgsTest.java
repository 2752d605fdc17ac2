package dev.symgrad.runtime.optimize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** L-BFGS against minima known in closed form, and each way it stops. */
class LbfgsTest {

    /** Rosenbrock's function, minimum 0 at (1, 1). */
    static final Objective ROSENBROCK = (x, g) -> {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    };

    @Test
    void rosenbrockFromTheClassicStartReachesItsMinimum() {
        OptimizationResult result = Lbfgs.builder().build().minimize(ROSENBROCK, new double[] {-1.2, 1});
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        assertArrayEquals(new double[] {1, 1}, result.x(), 1e-8);
        assertTrue(result.gradientNorm() <= 1e-8);
        // SciPy's L-BFGS-B takes about 35 iterations here; a strong Wolfe search should not need many more.
        assertTrue(result.iterations() < 60, result.iterations() + " iterations");
        assertTrue(result.evaluations() < 120, result.evaluations() + " evaluations");
    }

    @Test
    void aConvexQuadraticEndsAtTheSolutionOfItsLinearSystem() {
        int n = 30;
        Random random = new Random(3);
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = new double[n][n]; // A = MᵀM + I, symmetric positive definite
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += m[k][i] * m[k][j];
                }
            }
            a[i][i] += 1;
        }
        double[] solution = new double[n];
        for (int i = 0; i < n; i++) {
            solution[i] = random.nextGaussian();
        }
        double[] b = multiply(a, solution);
        Objective quadratic = (x, g) -> {
            double[] ax = multiply(a, x);
            double value = 0;
            for (int i = 0; i < n; i++) {
                g[i] = ax[i] - b[i];
                value += 0.5 * x[i] * ax[i] - b[i] * x[i];
            }
            return value;
        };
        OptimizationResult result = Lbfgs.builder().gradientTolerance(1e-10).build().minimize(quadratic, new double[n]);
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        assertArrayEquals(solution, result.x(), 1e-9);
    }

    @Test
    void logisticRegressionEndsWhereItsGradientIsZero() {
        Random random = new Random(8);
        int n = 300;
        int d = 4;
        double[][] features = new double[n][d];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            double margin = 0;
            for (int j = 0; j < d; j++) {
                features[i][j] = random.nextGaussian();
                margin += (j - 1.5) * features[i][j];
            }
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : -1;
        }
        Objective logistic = (w, g) -> {
            java.util.Arrays.fill(g, 0);
            double value = 0;
            for (int i = 0; i < n; i++) {
                double t = 0;
                for (int j = 0; j < d; j++) {
                    t += w[j] * features[i][j];
                }
                double z = -labels[i] * t;
                value += Math.log1p(Math.exp(z));
                double factor = -labels[i] / (1 + Math.exp(-z));
                for (int j = 0; j < d; j++) {
                    g[j] += factor * features[i][j];
                }
            }
            return value;
        };
        OptimizationResult result = Lbfgs.builder().gradientTolerance(1e-9).build().minimize(logistic, new double[d]);
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        double[] gradient = new double[d];
        double value = logistic.valueAndGradient(result.x(), gradient);
        assertEquals(result.value(), value, 0.0);
        assertTrue(Vectors.norm(gradient) <= 1e-9);
        // A minimum: every small move goes up.
        for (int j = 0; j < d; j++) {
            double[] moved = result.x().clone();
            moved[j] += 1e-3;
            assertTrue(logistic.valueAndGradient(moved, new double[d]) > value, "moving w" + j);
        }
    }

    @Test
    void theLimitsStopItAndSaySo() {
        OptimizationResult capped = Lbfgs.builder().maxIterations(3).build().minimize(ROSENBROCK, new double[] {-1.2, 1});
        assertEquals(StopReason.MAX_ITERATIONS, capped.reason());
        assertEquals(3, capped.iterations());
        OptimizationResult fewCalls = Lbfgs.builder().maxEvaluations(5).build().minimize(ROSENBROCK, new double[] {-1.2, 1});
        assertEquals(StopReason.MAX_EVALUATIONS, fewCalls.reason());
        assertTrue(fewCalls.evaluations() >= 5);
    }

    @Test
    void aNaNAtTheStartAndAGradientThatContradictsTheValuesAreReported() {
        Objective nan = (x, g) -> Double.NaN;
        assertEquals(StopReason.NOT_FINITE, Lbfgs.builder().build().minimize(nan, new double[] {1}).reason());
        // f = x², but the gradient claims the opposite slope: no step along it decreases f.
        Objective contradictory = (x, g) -> {
            g[0] = -2 * x[0];
            return x[0] * x[0];
        };
        OptimizationResult result = Lbfgs.builder().build().minimize(contradictory, new double[] {1});
        assertEquals(StopReason.LINE_SEARCH_FAILED, result.reason());
        assertArrayEquals(new double[] {1}, result.x(), 0.0);
    }

    private static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }
}
