package dev.symgrad.examples;

import dev.symgrad.runtime.CompiledLoss;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.util.Pair;

/**
 * A compiled loss whose per-example value is a residual {@code r_i(w)}, as Hipparchus' least-squares
 * model: the residuals are {@code perExampleLosses} and the Jacobian's rows {@code ∂r_i/∂w} are route (a),
 * the per-example gradients, so Levenberg–Marquardt and Gauss–Newton get exact derivatives of the
 * residuals in two batch calls per evaluation. Use with a target of zeros:
 *
 * <pre>{@code
 * LeastSquaresProblem problem = new LeastSquaresBuilder().model(new ResidualJacobian(residual, columns))
 *         .target(new double[n]).start(guess).maxEvaluations(1000).maxIterations(1000).build();
 * LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(problem);
 * }</pre>
 */
public final class ResidualJacobian implements MultivariateJacobianFunction {

    private final CompiledLoss residual;
    private final double[][] columns;

    /** The residuals of {@code residual} over the examples in {@code columns} (not copied). */
    public ResidualJacobian(CompiledLoss residual, double[][] columns) {
        this.residual = residual;
        this.columns = columns;
    }

    @Override
    public Pair<RealVector, RealMatrix> value(RealVector point) {
        double[] params = point.toArray();
        double[] values = residual.perExampleLosses(params, columns);
        double[][] gradients = residual.perExampleGradients(params, columns); // [P][N]
        double[][] jacobian = new double[values.length][params.length];
        for (int p = 0; p < params.length; p++) {
            for (int i = 0; i < values.length; i++) {
                jacobian[i][p] = gradients[p][i];
            }
        }
        return new Pair<>(new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
    }
}
