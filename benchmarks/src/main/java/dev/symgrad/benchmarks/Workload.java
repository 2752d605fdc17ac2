package dev.symgrad.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The benchmark workloads (float64, batches as columns, fixed random data). Expressions are what a
 * user would write; parameter and input names are in the order of every params and columns array.
 */
public enum Workload {

    /** The seed: {@code (w*x)*(w*x)}. */
    W1("(w * x) * (w * x)", List.of("w"), List.of("x")),

    /** Linear regression: {@code (w*x + b - y)²}. */
    W2("(w * x + b - y) * (w * x + b - y)", List.of("w", "b"), List.of("x", "y")),

    /** Logistic regression with 8 features: 9 parameters, 9 inputs. */
    W3(logistic(8), names("w", 8, "b"), names("x", 8, "y")),

    /** A tanh network with 4 hidden units: 13 parameters; inputs x, y. */
    W4(tanhNetwork(4), tanhParameters(4), List.of("x", "y")),

    /** A large loss (~10,000 DAG nodes) with heavy sharing, for compile time and code size. */
    W5(largeShared(), List.of("w", "b"), List.of("x", "y"));

    private final String expression;
    private final List<String> parameters;
    private final List<String> inputs;

    Workload(String expression, List<String> parameters, List<String> inputs) {
        this.expression = expression;
        this.parameters = parameters;
        this.inputs = inputs;
    }

    public String expression() {
        return expression;
    }

    public List<String> parameters() {
        return parameters;
    }

    public List<String> inputs() {
        return inputs;
    }

    /** Fixed parameter values: small, so that exp and tanh stay in their interesting range. */
    public double[] parameterValues() {
        Random random = new Random(1000 + ordinal());
        double[] values = new double[parameters.size()];
        for (int p = 0; p < values.length; p++) {
            values[p] = 0.5 * random.nextGaussian();
        }
        return values;
    }

    /**
     * {@code n} examples from a fixed seed: features standard normal, labels y in {-1, +1} for W3,
     * otherwise a noisy target.
     */
    public double[][] columns(int n) {
        SplittableRandom random = new SplittableRandom(42 + ordinal());
        double[][] columns = new double[inputs.size()][n];
        for (int c = 0; c < columns.length; c++) {
            boolean label = inputs.get(c).equals("y");
            for (int i = 0; i < n; i++) {
                double gaussian = gaussian(random);
                columns[c][i] = label && this == W3 ? (gaussian > 0 ? 1.0 : -1.0) : gaussian;
            }
        }
        return columns;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private static List<String> names(String prefix, int count, String last) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        names.add(last);
        return List.copyOf(names);
    }

    private static String logistic(int features) {
        StringBuilder z = new StringBuilder();
        for (int j = 0; j < features; j++) {
            z.append("w").append(j).append(" * x").append(j).append(" + ");
        }
        return "Math.log1p(Math.exp(-y * (" + z + "b)))";
    }

    private static List<String> tanhParameters(int hidden) {
        List<String> names = new ArrayList<>();
        for (String prefix : List.of("v", "a", "c")) {
            for (int k = 0; k < hidden; k++) {
                names.add(prefix + k);
            }
        }
        names.add("d");
        return List.copyOf(names);
    }

    private static String tanhNetwork(int hidden) {
        StringBuilder sum = new StringBuilder();
        for (int k = 0; k < hidden; k++) {
            sum.append("v").append(k).append(" * Math.tanh(a").append(k).append(" * x + c").append(k).append(") + ");
        }
        String residual = "(" + sum + "d - y)";
        return residual + " * " + residual;
    }

    /**
     * 2,400 terms, each distinct through its own coefficient, built from 40 shared sines, 50 shared
     * hyperbolic tangents and 13 shared Gaussian bumps: about 10,000 distinct nodes once equal
     * subexpressions are merged, far more when written out as a tree.
     */
    private static String largeShared() {
        StringBuilder loss = new StringBuilder("0.0");
        for (int k = 0; k < 2400; k++) {
            int a = k % 40;
            int c = (k * 7) % 50;
            int d = k % 13;
            loss.append(" + ").append(1 + k).append(".0e-3 * (Math.sin(w * x + ").append(a)
                    .append(".0) * Math.tanh(b * y - ").append(c).append(".0 * w) + Math.exp(-(x - ").append(d)
                    .append(".0) * (x - ").append(d).append(".0) * b) * y)");
        }
        return loss.toString();
    }
}
