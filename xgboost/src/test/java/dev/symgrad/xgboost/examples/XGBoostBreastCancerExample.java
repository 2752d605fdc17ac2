package dev.symgrad.xgboost.examples;

import dev.symgrad.examples.BreastCancerExample;
import dev.symgrad.examples.data.CsvTable;
import dev.symgrad.xgboost.SymgradObjective;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.HashMap;
import java.util.Map;

/**
 * Gradient-boosted trees on the breast-cancer table (569 rows, 30 features; 80/20 split) with xgboost4j,
 * three ways: XGBoost's built-in {@code binary:logistic}; the same loss written as a symgrad expression,
 * {@code log(1 + e^m) - y·m}, whose predictions must agree with the built-in's; and a focal loss
 * (γ = 2, which has no built-in objective), reporting test accuracy and log-loss for each.
 *
 * <p>Both models start from the margin 0 ({@code base_score} 0.5 for the built-in, which it takes as a
 * probability, and 0 for the custom objectives, which take it as a margin) and run single-threaded, so that
 * the two logistic models see the same gradients up to float rounding.
 */
public final class XGBoostBreastCancerExample {

    static final int ROUNDS = 30;

    /** The logistic loss of the margin m for a label y in {0, 1}. */
    static final String LOGISTIC = "Math.log1p(Math.exp(m)) - y * m";

    /** The focal loss with γ = 2: the logistic loss of each class scaled by (1 - p)² of that class. */
    static final String FOCAL = "y * Math.pow(StableMath.sigmoid(-m), 2) * Math.log1p(Math.exp(-m))"
            + " + (1 - y) * Math.pow(StableMath.sigmoid(m), 2) * Math.log1p(Math.exp(m))";

    /** Test-set probabilities of each model and what they score. */
    record Result(float[] builtIn, float[] symgradLogistic, float[] focal, float[] labels) {

        double largestDifference() {
            double largest = 0;
            for (int i = 0; i < builtIn.length; i++) {
                largest = Math.max(largest, Math.abs(builtIn[i] - symgradLogistic[i]));
            }
            return largest;
        }
    }

    private XGBoostBreastCancerExample() {
    }

    public static void main(String[] args) throws XGBoostError {
        long start = System.nanoTime();
        Result result = run();
        System.out.printf("breast cancer with xgboost4j: %d rounds, depth 3, %d test rows%n", ROUNDS,
                result.labels().length);
        print("built-in binary:logistic", result.builtIn(), result.labels());
        print("symgrad " + LOGISTIC, result.symgradLogistic(), result.labels());
        System.out.printf("  largest difference of the two logistic models' test probabilities: %.2e%n",
                result.largestDifference());
        print("symgrad focal loss (γ = 2)", result.focal(), result.labels());
        SymgradObjective focal = SymgradObjective.of(FOCAL, "m", "y");
        System.out.println("  the focal loss's gradient: " + focal.printedGradient("m"));
        System.out.printf("done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    static Result run() throws XGBoostError {
        BreastCancerExample.Split split = BreastCancerExample.split(CsvTable.read("/data/breast_cancer.csv"), 7);
        DMatrix train = matrix(split.train());
        DMatrix test = matrix(split.test());
        // No watches: XGBoost would print an evaluation per round, and score a custom objective's margins as
        // if they were probabilities.
        Booster builtIn = XGBoost.train(train, parameters("binary:logistic", 0.5), ROUNDS, new HashMap<>(), null,
                null);
        Booster logistic = train(train, SymgradObjective.of(LOGISTIC, "m", "y"));
        Booster focal = train(train, SymgradObjective.of(FOCAL, "m", "y"));
        return new Result(column(builtIn.predict(test)), probabilities(logistic, test), probabilities(focal, test),
                test.getLabel());
    }

    /** Trains with {@code objective} on {@code train} as {@link #run} does, for the tests. */
    static Booster train(DMatrix train, IObjective objective) throws XGBoostError {
        return XGBoost.train(train, parameters(null, 0), ROUNDS, new HashMap<>(), objective, null);
    }

    static Map<String, Object> parameters(String objective, double baseScore) {
        Map<String, Object> params = new HashMap<>();
        if (objective != null) {
            params.put("objective", objective);
        }
        params.put("base_score", baseScore);
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 7);
        params.put("verbosity", 0);
        return params;
    }

    /** Rows of the 30 standardized features with labels y = 1 for malignant, 0 for benign. */
    static DMatrix matrix(double[][] columns) throws XGBoostError {
        int features = columns.length - 1;
        int n = columns[0].length;
        float[] rows = new float[n * features];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                rows[i * features + j] = (float) columns[j][i];
            }
            labels[i] = columns[features][i] > 0 ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(rows, n, features, Float.NaN);
        matrix.setLabel(labels);
        return matrix;
    }

    /** The sigmoid of a custom objective's margins: its model predicts margins, not probabilities. */
    static float[] probabilities(Booster booster, DMatrix data) throws XGBoostError {
        float[] margins = column(booster.predict(data, true));
        float[] p = new float[margins.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-margins[i])));
        }
        return p;
    }

    private static float[] column(float[][] predictions) {
        float[] column = new float[predictions.length];
        for (int i = 0; i < column.length; i++) {
            column[i] = predictions[i][0];
        }
        return column;
    }

    static double accuracy(float[] p, float[] labels) {
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            correct += (p[i] > 0.5) == (labels[i] == 1) ? 1 : 0;
        }
        return (double) correct / p.length;
    }

    static double logLoss(float[] p, float[] labels) {
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
            total -= labels[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return total / p.length;
    }

    private static void print(String model, float[] p, float[] labels) {
        System.out.printf("  %-70s test accuracy %.3f, log-loss %.4f%n", model, accuracy(p, labels), logLoss(p, labels));
    }
}
