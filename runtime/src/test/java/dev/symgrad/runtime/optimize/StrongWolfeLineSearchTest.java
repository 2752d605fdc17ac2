package dev.symgrad.runtime.optimize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every step the line search returns satisfies both strong Wolfe conditions, from any start and scale. */
class StrongWolfeLineSearchTest {

    @Test
    void acceptedStepsSatisfyTheStrongWolfeConditions() {
        Random random = new Random(4);
        int searches = 0;
        for (int trial = 0; trial < 500; trial++) {
            double[] x = {4 * random.nextDouble() - 2, 4 * random.nextDouble() - 2};
            double[] gradient = new double[2];
            double value = LbfgsTest.ROSENBROCK.valueAndGradient(x, gradient);
            // A descent direction: the negative gradient turned by up to 80 degrees.
            double angle = (random.nextDouble() - 0.5) * Math.toRadians(160);
            double[] direction = {-(Math.cos(angle) * gradient[0] - Math.sin(angle) * gradient[1]),
                    -(Math.sin(angle) * gradient[0] + Math.cos(angle) * gradient[1])};
            double derivative = Vectors.dot(gradient, direction);
            if (!(derivative < 0)) {
                continue;
            }
            double initial = Math.pow(10, 6 * random.nextDouble() - 4);
            StrongWolfeLineSearch.Trial step = new StrongWolfeLineSearch(LbfgsTest.ROSENBROCK, x, value, derivative,
                    direction).search(initial);
            assertNotNull(step, "no step from " + x[0] + ", " + x[1]);
            assertTrue(step.value() <= value + StrongWolfeLineSearch.C1 * step.alpha() * derivative, "sufficient decrease");
            assertTrue(Math.abs(step.derivative()) <= StrongWolfeLineSearch.C2 * Math.abs(derivative), "curvature");
            searches++;
        }
        assertTrue(searches > 400, searches + " searches");
    }
}
