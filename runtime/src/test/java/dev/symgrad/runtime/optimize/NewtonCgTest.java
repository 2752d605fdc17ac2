package dev.symgrad.runtime.optimize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Newton-CG with Hessian-vector products written out by hand, against minima known in closed form. */
class NewtonCgTest {

    /** Rosenbrock's Hessian times v. */
    static final HessianVectorProduct ROSENBROCK_HESSIAN = (x, v, out) -> {
        double h00 = 2 - 400 * (x[1] - 3 * x[0] * x[0]);
        double h01 = -400 * x[0];
        out[0] = h00 * v[0] + h01 * v[1];
        out[1] = h01 * v[0] + 200 * v[1];
    };

    @Test
    void rosenbrockFromTheClassicStartReachesItsMinimum() {
        OptimizationResult result = NewtonCg.builder().gradientTolerance(1e-10).build()
                .minimize(LbfgsTest.ROSENBROCK, ROSENBROCK_HESSIAN, new double[] {-1.2, 1});
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        assertArrayEquals(new double[] {1, 1}, result.x(), 1e-9);
        // 72 iterations measured: far from the minimum the forcing term min(0.5, √‖∇f‖) stops CG after one
        // step, so each direction is a scaled steepest descent along the curved valley.
        assertTrue(result.iterations() < 100, result.iterations() + " iterations");
    }

    @Test
    void aConvexQuadraticEndsAtItsSolution() {
        int n = 25;
        Random random = new Random(9);
        double[] diagonal = new double[n];
        double[] solution = new double[n];
        for (int i = 0; i < n; i++) {
            diagonal[i] = 1 + 10 * random.nextDouble();
            solution[i] = random.nextGaussian();
        }
        Objective quadratic = (x, g) -> {
            double value = 0;
            for (int i = 0; i < n; i++) {
                double r = x[i] - solution[i];
                g[i] = diagonal[i] * r;
                value += 0.5 * diagonal[i] * r * r;
            }
            return value;
        };
        HessianVectorProduct hessian = (x, v, out) -> {
            for (int i = 0; i < n; i++) {
                out[i] = diagonal[i] * v[i];
            }
        };
        OptimizationResult result = NewtonCg.builder().gradientTolerance(1e-9).build().minimize(quadratic, hessian, new double[n]);
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        assertArrayEquals(solution, result.x(), 1e-9);
        // Inexact steps (CG to a relative residual of min(0.5, √‖∇f‖)): 10 iterations measured, then exact.
        assertTrue(result.iterations() <= 15, result.iterations() + " iterations");
    }

    @Test
    void negativeCurvatureTurnsToADescentDirection() {
        // f = x⁴/4 - x²/2 + y²: a saddle at 0 (negative curvature in x), minima at x = ±1.
        Objective f = (x, g) -> {
            g[0] = x[0] * x[0] * x[0] - x[0];
            g[1] = 2 * x[1];
            return Math.pow(x[0], 4) / 4 - x[0] * x[0] / 2 + x[1] * x[1];
        };
        HessianVectorProduct h = (x, v, out) -> {
            out[0] = (3 * x[0] * x[0] - 1) * v[0];
            out[1] = 2 * v[1];
        };
        OptimizationResult result = NewtonCg.builder().build().minimize(f, h, new double[] {0.1, 0.5});
        assertEquals(StopReason.GRADIENT_TOLERANCE, result.reason());
        assertEquals(1, Math.abs(result.x()[0]), 1e-8);
        assertEquals(0, result.x()[1], 1e-8);
    }
}
