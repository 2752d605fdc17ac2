package dev.symgrad.examples;

import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.util.Pair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled residual's Jacobian (route (a)) in Hipparchus' Levenberg–Marquardt, against the known curve. */
class CurveFittingExampleTest {

    @Test
    void theJacobianIsTheResidualsDerivativeByCentralDifferences() {
        double[][] columns = CurveFittingExample.samples(30, 2);
        ResidualJacobian model = new ResidualJacobian(CurveFittingExample.RESIDUAL, columns);
        double[] point = {1.7, 0.9, 0.2};
        Pair<RealVector, RealMatrix> value = model.value(new ArrayRealVector(point));
        for (int p = 0; p < 3; p++) {
            double h = 1e-6;
            double[] up = point.clone();
            double[] down = point.clone();
            up[p] += h;
            down[p] -= h;
            RealVector difference = model.value(new ArrayRealVector(up)).getFirst()
                    .subtract(model.value(new ArrayRealVector(down)).getFirst()).mapDivide(2 * h);
            for (int i = 0; i < 30; i++) {
                assertEquals(difference.getEntry(i), value.getSecond().getEntry(i, p), 1e-8, "row " + i + ", column " + p);
            }
        }
    }

    @Test
    void levenbergMarquardtRecoversTheCurveWithinItsStandardErrors() {
        LeastSquaresOptimizer.Optimum optimum = CurveFittingExample.fit(CurveFittingExample.samples(200, 5));
        double[] fitted = optimum.getPoint().toArray();
        double[] sigma = optimum.getSigma(1e-12).toArray();
        for (int p = 0; p < 3; p++) {
            double standardError = sigma[p] * optimum.getRMS();
            assertTrue(Math.abs(fitted[p] - CurveFittingExample.TRUE_PARAMS[p]) <= 4 * standardError,
                    "parameter " + p + ": " + fitted[p] + " ± " + standardError);
        }
        // The noise's own size comes back as the residuals' RMS.
        assertEquals(CurveFittingExample.NOISE, optimum.getRMS(), 0.005);
    }
}
