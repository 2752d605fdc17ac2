package dev.symgrad.xgboost;

import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.examples.data.CsvTable;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymgradObjectiveTest {

    private static final String SOFTMAX = "Math.log(Math.exp(m0) + Math.exp(m1) + Math.exp(m2))"
            + " - (y == 0 ? m0 : y == 1 ? m1 : m2)";

    @Test
    void severalMarginsAreLaidOutRowByRowWithTheClassWithinTheRow() {
        SymgradObjective softmax = SymgradObjective.of(SOFTMAX, List.of("m0", "m1", "m2"), "y");
        float[][] margins = {{0.5f, -1, 2}, {3, 0, -2}};
        float[] labels = {2, 0};
        List<float[]> gh = softmax.gradientAndHessian(margins, labels, new float[0]);
        for (int i = 0; i < 2; i++) {
            double total = 0;
            for (float m : margins[i]) {
                total += Math.exp(m);
            }
            for (int k = 0; k < 3; k++) {
                double p = Math.exp(margins[i][k]) / total;
                assertEquals(p - (labels[i] == k ? 1 : 0), gh.get(0)[i * 3 + k], 1e-7, "g of row " + i + ", class " + k);
                assertEquals(p * (1 - p), gh.get(1)[i * 3 + k], 1e-7, "h of row " + i + ", class " + k);
            }
        }
    }

    @Test
    void weightsScaleEachRowAsTheBuiltInObjectivesDo() {
        SymgradObjective squared = SymgradObjective.of("0.5 * (m - y) * (m - y)", "m", "y");
        List<float[]> gh = squared.gradientAndHessian(new float[][] {{1}, {4}}, new float[] {3, 1}, new float[] {2, 0.5f});
        assertArrayEquals(new float[] {-4, 1.5f}, gh.get(0));
        assertArrayEquals(new float[] {2, 0.5f}, gh.get(1));
    }

    @Test
    void aHessianFloorGivesPiecewiseLinearLossesCurvature() {
        SymgradObjective pinball = SymgradObjective.of("y > m ? 0.9 * (y - m) : 0.1 * (m - y)", "m", "y");
        float[][] margins = {{0}, {5}};
        float[] labels = {1, 1};
        assertArrayEquals(new float[] {0, 0}, pinball.gradientAndHessian(margins, labels, new float[0]).get(1));
        List<float[]> floored = pinball.withHessianAtLeast(1).gradientAndHessian(margins, labels, new float[0]);
        assertArrayEquals(new float[] {-0.9f, 0.1f}, floored.get(0));
        assertArrayEquals(new float[] {1, 1}, floored.get(1));
        assertThrows(IllegalArgumentException.class, () -> pinball.withHessianAtLeast(-1));
        assertThrows(IllegalArgumentException.class, () -> pinball.withHessianAtLeast(Double.NaN));
    }

    @Test
    void survivesJavaSerializationAsItsTextAndRecompiles() throws IOException, ClassNotFoundException {
        SymgradObjective objective = SymgradObjective.of(SOFTMAX, List.of("m0", "m1", "m2"), "y").withHessianAtLeast(1e-6);
        byte[] bytes = serialized(objective);
        // The text and the names, not a class: a generated class would be kilobytes and not serializable.
        assertTrue(bytes.length < 1_000, bytes.length + " bytes");
        SymgradObjective copy = (SymgradObjective) deserialized(bytes);

        float[][] margins = {{0.5f, -1, 2}, {3, 0, -2}};
        float[] labels = {2, 0};
        List<float[]> expected = objective.gradientAndHessian(margins, labels, new float[0]);
        List<float[]> actual = copy.gradientAndHessian(margins, labels, new float[0]);
        assertArrayEquals(expected.get(0), actual.get(0));
        assertArrayEquals(expected.get(1), actual.get(1));
        assertEquals(objective.toString(), copy.toString());
    }

    @Test
    void mistakesAreReportedWhereTheyAre() {
        CompileError error = assertThrows(CompileError.class, () -> SymgradObjective.of("Math.log1p(Math.exp(-y * m)",
                "m", "y"));
        assertTrue(error.getMessage().contains("1:"), error.getMessage());
        assertThrows(CompileError.class, () -> SymgradObjective.of("y * y", "m", "y"));
        SymgradObjective binary = SymgradObjective.of("Math.log1p(Math.exp(m)) - y * m", "m", "y");
        IllegalArgumentException margins = assertThrows(IllegalArgumentException.class,
                () -> SymgradObjective.of(SOFTMAX, List.of("m0", "m1", "m2"), "y")
                        .gradientAndHessian(new float[][] {{1}}, new float[] {0}, new float[0]));
        assertTrue(margins.getMessage().contains("set num_class = 3"), margins.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> binary.gradientAndHessian(new float[][] {{1}, {2}}, new float[] {0}, new float[0]));
    }

    /**
     * Ten classes of handwritten digits (1,797 rows of 64 pixels, 80/20): a softmax written as an expression
     * trains a multi-class model; a layout other than XGBoost's would hand each class another class's gradient.
     */
    @Test
    void trainsAMultiClassModelOnTheDigits() throws XGBoostError {
        CsvTable table = CsvTable.read("/data/digits.csv");
        int n = table.rows();
        int features = table.names().size() - 1;
        List<String> margins = new ArrayList<>();
        StringBuilder sum = new StringBuilder();
        StringBuilder picked = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            margins.add("m" + k);
            sum.append(k == 0 ? "" : " + ").append("Math.exp(m").append(k).append(")");
            picked.append(k < 9 ? "y == " + k + " ? m" + k + " : " : "m9");
        }
        SymgradObjective softmax = SymgradObjective.of("Math.log(" + sum + ") - (" + picked + ")", margins, "y");

        int trainRows = n * 4 / 5;
        DMatrix train = digits(table, 0, trainRows, features);
        DMatrix test = digits(table, trainRows, n, features);
        Map<String, Object> params = new HashMap<>();
        params.put("num_class", 10);
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("base_score", 0);
        params.put("verbosity", 0);
        Booster booster = XGBoost.train(train, params, 20, new HashMap<>(), softmax, null);

        float[][] scores = booster.predict(test, true);
        float[] labels = test.getLabel();
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                best = scores[i][k] > scores[i][best] ? k : best;
            }
            correct += best == labels[i] ? 1 : 0;
        }
        double accuracy = (double) correct / scores.length;
        // Measured 0.872 (deterministic: one thread, the file in order; the wrong layout gave 0.125).
        assertTrue(accuracy > 0.85, "test accuracy " + accuracy);
    }

    private static DMatrix digits(CsvTable table, int from, int to, int features) throws XGBoostError {
        float[] rows = new float[(to - from) * features];
        float[] labels = new float[to - from];
        double[] digit = table.column("digit");
        for (int i = from; i < to; i++) {
            for (int j = 0; j < features; j++) {
                rows[(i - from) * features + j] = (float) table.columns()[j][i];
            }
            labels[i - from] = (float) digit[i];
        }
        DMatrix matrix = new DMatrix(rows, to - from, features, Float.NaN);
        matrix.setLabel(labels);
        return matrix;
    }

    private static byte[] serialized(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    private static Object deserialized(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }
}
