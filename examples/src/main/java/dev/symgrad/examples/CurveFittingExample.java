package dev.symgrad.examples;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;

import java.util.List;
import java.util.Random;

/**
 * A decaying exponential {@code y = a·e^(-k·t) + c} fitted to noisy samples by Hipparchus'
 * Levenberg–Marquardt, the residual {@code a·exp(-k·t) + c - y} compiled with its exact Jacobian
 * ({@link ResidualJacobian}): the least-squares use of route (a).
 */
public final class CurveFittingExample {

    /** The residual of one sample (t, y); its parameters are a, k and c. */
    static final CompiledLoss RESIDUAL = Symgrad.compile("a * Math.exp(-k * t) + c - y", List.of("a", "k", "c"),
            List.of("t", "y"));

    /** The curve the samples come from. */
    static final double[] TRUE_PARAMS = {2.5, 1.3, 0.5};

    /** Noise of the samples' y. */
    static final double NOISE = 0.02;

    private CurveFittingExample() {
    }

    /** {@code n} samples at t evenly spread over [0, 4], y from the true curve plus Gaussian noise. */
    static double[][] samples(int n, long seed) {
        Random random = new Random(seed);
        double[][] columns = new double[2][n];
        for (int i = 0; i < n; i++) {
            double t = 4.0 * i / (n - 1);
            columns[0][i] = t;
            columns[1][i] = TRUE_PARAMS[0] * Math.exp(-TRUE_PARAMS[1] * t) + TRUE_PARAMS[2] + NOISE * random.nextGaussian();
        }
        return columns;
    }

    /** Levenberg–Marquardt from (1, 1, 0). */
    static LeastSquaresOptimizer.Optimum fit(double[][] columns) {
        LeastSquaresProblem problem = new LeastSquaresBuilder()
                .model(new ResidualJacobian(RESIDUAL, columns))
                .target(new double[columns[0].length])
                .start(new double[] {1, 1, 0})
                .maxEvaluations(1000)
                .maxIterations(1000)
                .build();
        return new LevenbergMarquardtOptimizer().optimize(problem);
    }

    public static void main(String[] args) {
        double[][] columns = samples(200, 5);
        LeastSquaresOptimizer.Optimum optimum = fit(columns);
        double[] fitted = optimum.getPoint().toArray();
        double[] sigma = optimum.getSigma(1e-12).toArray();
        System.out.printf("curve fitting: y = a*exp(-k*t) + c, 200 samples with noise %.2f, Levenberg-Marquardt "
                + "(Hipparchus) with the compiled residual's exact Jacobian (route (a)):%n", NOISE);
        String[] names = {"a", "k", "c"};
        for (int p = 0; p < 3; p++) {
            System.out.printf("  %s = %.4f (true %.1f), standard error %.4f%n", names[p], fitted[p], TRUE_PARAMS[p],
                    sigma[p] * optimum.getRMS());
        }
        System.out.printf("  %d iterations, %d evaluations, RMS residual %.4f%n", optimum.getIterations(),
                optimum.getEvaluations(), optimum.getRMS());
    }
}
