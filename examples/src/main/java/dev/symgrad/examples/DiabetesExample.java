package dev.symgrad.examples;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.examples.data.CsvTable;
import dev.symgrad.examples.data.Standardizer;
import dev.symgrad.runtime.CompiledLoss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear regression on the diabetes data of Efron et al. (442 patients, 10 baseline variables, disease
 * progression after one year): the squared error of {@code w·x + b} is compiled from a string, and
 * gradient descent uses route (b), the gradient of the summed loss. The fit is checked against the
 * closed-form least-squares solution of the normal equations. Features are standardized first, so
 * plain gradient descent converges in a few thousand steps; the coefficients are per standard deviation.
 */
public final class DiabetesExample {

    /** Coefficients per standardized feature, the intercept, the mean squared error and R². */
    public record Fit(List<String> features, double[] weights, double intercept, double meanSquaredError,
                      double rSquared, int steps) {
    }

    private DiabetesExample() {
    }

    /** {@code (w0*x0 + ... + w9*x9 + b - y)²} over the given features. */
    static String squaredError(int features) {
        StringBuilder prediction = new StringBuilder();
        for (int j = 0; j < features; j++) {
            prediction.append("w").append(j).append(" * x").append(j).append(" + ");
        }
        String residual = "(" + prediction + "b - y)";
        return residual + " * " + residual;
    }

    /** The data: standardized feature columns, then the target as the last column. */
    public static double[][] columns(CsvTable table) {
        List<String> features = featureNames(table);
        double[][] raw = new double[features.size()][];
        for (int j = 0; j < raw.length; j++) {
            raw[j] = table.column(features.get(j));
        }
        double[][] scaled = Standardizer.fit(raw).apply(raw);
        double[][] columns = Arrays.copyOf(scaled, scaled.length + 1);
        columns[scaled.length] = table.column("progression");
        return columns;
    }

    static List<String> featureNames(CsvTable table) {
        List<String> names = new ArrayList<>(table.names());
        names.remove("progression");
        return names;
    }

    /** Full-batch gradient descent on the mean squared error until the gradient norm is below 1e-9. */
    public static Fit train(CsvTable table, double learningRate, int maxSteps) {
        List<String> features = featureNames(table);
        int p = features.size();
        List<String> parameters = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            parameters.add("w" + j);
            inputs.add("x" + j);
        }
        parameters.add("b");
        inputs.add("y");
        CompiledLoss loss = Symgrad.compile(squaredError(p), parameters, inputs);
        double[][] columns = columns(table);
        int n = table.rows();
        double[] params = new double[p + 1];
        double[] gradient = new double[p + 1];
        int step = 0;
        for (; step < maxSteps; step++) {
            loss.gradientOfSumInto(params, columns, gradient);
            double norm = 0;
            for (double g : gradient) {
                norm += (g / n) * (g / n);
            }
            if (Math.sqrt(norm) < 1e-9) {
                break;
            }
            for (int k = 0; k <= p; k++) {
                params[k] -= learningRate * gradient[k] / n;
            }
        }
        double mse = loss.totalLoss(params, columns) / n;
        return new Fit(features, Arrays.copyOf(params, p), params[p], mse, 1 - mse / variance(columns[p]), step);
    }

    /**
     * The least-squares solution {@code {w_0..w_{p-1}, b}} of the normal equations {@code AᵀA β = Aᵀy}
     * with {@code A = [X 1]}, by Cholesky factorization.
     */
    public static double[] leastSquares(double[][] columns) {
        int p = columns.length - 1;
        int n = columns[0].length;
        int m = p + 1;
        double[][] normal = new double[m][m];
        double[] right = new double[m];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < m; a++) {
                double xa = a < p ? columns[a][i] : 1;
                right[a] += xa * columns[p][i];
                for (int b = 0; b < m; b++) {
                    normal[a][b] += xa * (b < p ? columns[b][i] : 1);
                }
            }
        }
        double[][] lower = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b <= a; b++) {
                double sum = normal[a][b];
                for (int k = 0; k < b; k++) {
                    sum -= lower[a][k] * lower[b][k];
                }
                lower[a][b] = a == b ? Math.sqrt(sum) : sum / lower[b][b];
            }
        }
        double[] z = new double[m];
        for (int a = 0; a < m; a++) {
            double sum = right[a];
            for (int k = 0; k < a; k++) {
                sum -= lower[a][k] * z[k];
            }
            z[a] = sum / lower[a][a];
        }
        double[] beta = new double[m];
        for (int a = m - 1; a >= 0; a--) {
            double sum = z[a];
            for (int k = a + 1; k < m; k++) {
                sum -= lower[k][a] * beta[k];
            }
            beta[a] = sum / lower[a][a];
        }
        return beta;
    }

    private static double variance(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        return Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
    }

    public static void main(String[] args) {
        CsvTable table = CsvTable.read("/data/diabetes.csv");
        long start = System.nanoTime();
        Fit fit = train(table, 0.1, 200_000);
        double millis = (System.nanoTime() - start) / 1e6;
        double[] exact = leastSquares(columns(table));
        System.out.printf("diabetes (%d patients, %d features), linear regression by gradient descent on route (b):%n",
                table.rows(), fit.features().size());
        System.out.printf("  %-12s %12s %12s%n", "coefficient", "route (b) GD", "closed form");
        double largest = 0;
        for (int j = 0; j < fit.weights().length; j++) {
            System.out.printf("  %-12s %12.6f %12.6f%n", fit.features().get(j), fit.weights()[j], exact[j]);
            largest = Math.max(largest, Math.abs(fit.weights()[j] - exact[j]));
        }
        System.out.printf("  %-12s %12.6f %12.6f%n", "intercept", fit.intercept(), exact[exact.length - 1]);
        System.out.printf("  MSE %.4f, R² %.4f after %d steps (%.0f ms); largest coefficient difference %.2e%n",
                fit.meanSquaredError(), fit.rSquared(), fit.steps(), millis, largest);
    }
}
