package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.parse.Limits;
import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.runtime.CompiledLoss;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.dfp.DfpMath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A softmax's log-sum-exp written as a loop, {@code s += Math.exp(z_k)} then {@code Math.log(s)}, kept as a
 * loop (as a wide model's is) and rewritten with the loop's maximum (StableExponentials), gives finite
 * losses and gradients for margins from 0 to 10⁵ in both signs, in every loop schedule, within a few ulps
 * of 40-digit {@code Dfp}; written as it is, {@code Math.exp} overflows from a margin of 355 on (the term
 * {@code exp(2z)}). The sum starts from 0, a positive constant or an exponential.
 */
class LoopLogSumExpTest {

    private static final DfpField FIELD = new DfpField(40);

    private static final double[] MARGINS = {0.0, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 10.0, -10.0, 30.0, -30.0, 100.0,
        -100.0, 355.0, -355.0, 700.0, -700.0, 710.0, -710.0, 1000.0, -1000.0, 1e4, -1e4, 1e5, -1e5};

    /** The loop's coefficients: terms {@code exp(w[k]·a[k]·z)} with w = 1 are e^z, e^2z and e^-z. */
    private static final double[] A = {1, 2, -1};

    /** The input b of the exponential start {@code exp(b·z)}. */
    private static final double B = 0.5;

    /**
     * Measured largest errors (JDK 17): 1 ulp for the loss and 2 for the gradient, as the written-out
     * log-sum-exp's (OverflowFreeLossesTest); the bounds leave one more.
     */
    private static final double LOSS_ULPS = 2;
    private static final double GRADIENT_ULPS = 3;

    /** Where the loop's sum starts, and the exponent that start stands for (null: none). */
    enum Start {
        ZERO("0", null),
        ONE("1", 0.0),
        EXPONENTIAL("Math.exp(b * z)", B);

        final String source;
        final Double coefficient;

        Start(String source, Double coefficient) {
            this.source = source;
            this.coefficient = coefficient;
        }

        String method() {
            return """
                    class Losses {
                        static double loss(double[] w, double[] a, double z, double b) {
                            double s = %s;
                            for (int k = 0; k < 3; k++) {
                                s += Math.exp(w[k] * a[k] * z);
                            }
                            return Math.log(s);
                        }
                    }
                    """.formatted(source);
        }
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void everyScheduleIsFiniteAndCloseToTheExactValues(Start start) {
        LossCompiler.MethodLoss method = new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0)
                .compileMethod(start.method(), "Losses.java", "loss", List.of("w"),
                        Map.of("w", List.of(3), "a", List.of(3)));
        assertTrue(method.isIndexed(), "the loop should be kept");
        IndexedLossProgram program = method.indexedProgram();
        assertTrue(Graph.topologicalOrder(List.of(program.loss())).stream()
                        .anyMatch(node -> node instanceof Sum sum && sum.isMaximum()),
                () -> "not rewritten with a maximum: " + program.printedLoss());
        assertEquals(List.of(), method.notes(), "a stable loss has nothing to note");

        int n = MARGINS.length;
        double[] params = {1, 1, 1};
        double[][] columns = {filled(n, A[0]), filled(n, A[1]), filled(n, A[2]), MARGINS, filled(n, B)};
        double[] exactLoss = new double[n];
        double[][] exactGradient = new double[3][n];
        for (int i = 0; i < n; i++) {
            exact(start, MARGINS[i], i, exactLoss, exactGradient);
        }
        List<byte[]> classes = new ArrayList<>();
        for (LoopSchedule schedule : LoopSchedule.values()) {
            classes.add(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, schedule));
        }
        classes.add(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, LoopSchedule.LANES,
                ExampleLanes.MIN_LANES));
        for (int c = 0; c < classes.size(); c++) {
            GeneratedClassVerifier.verify(classes.get(c));
            CompiledLoss loss = HiddenClassDefiner.define(classes.get(c));
            String where = "start " + start + ", class " + c;
            double[] losses = loss.perExampleLosses(params, columns);
            double[][] gradients = loss.perExampleGradients(params, columns);
            for (int i = 0; i < n; i++) {
                double[] example = {A[0], A[1], A[2], MARGINS[i], B};
                String at = where + ", z = " + MARGINS[i];
                assertClose(exactLoss[i], losses[i], LOSS_ULPS, at + ", per-example loss");
                assertClose(exactLoss[i], loss.loss(params, example), LOSS_ULPS, at + ", one example's loss");
                double[] one = loss.gradient(params, example);
                for (int p = 0; p < 3; p++) {
                    assertClose(exactGradient[p][i], gradients[p][i], GRADIENT_ULPS, at + ", ∂/∂w[" + p + "]");
                    assertClose(exactGradient[p][i], one[p], GRADIENT_ULPS, at + ", one example's ∂/∂w[" + p + "]");
                }
            }
            double[] summed = loss.gradientOfSum(params, columns);
            for (int p = 0; p < 3; p++) {
                assertTrue(Double.isFinite(summed[p]), where + ": route (b) ∂/∂w[" + p + "] = " + summed[p]);
            }
        }
    }

    /** log(Σ e^e_k) and its derivatives {@code a_k z e^(e_k - lse)} at w = 1, to 40 digits. */
    private static void exact(Start start, double margin, int i, double[] loss, double[][] gradient) {
        Dfp z = FIELD.newDfp(margin);
        Dfp sum = FIELD.getZero();
        Dfp[] terms = new Dfp[A.length];
        for (int k = 0; k < A.length; k++) {
            terms[k] = DfpMath.exp(z.multiply(A[k]));
            sum = sum.add(terms[k]);
        }
        if (start.coefficient != null) {
            sum = sum.add(DfpMath.exp(z.multiply(start.coefficient)));
        }
        loss[i] = DfpMath.log(sum).toDouble();
        for (int k = 0; k < A.length; k++) {
            gradient[k][i] = z.multiply(A[k]).multiply(terms[k].divide(sum)).toDouble();
        }
    }

    private static double[] filled(int n, double value) {
        double[] column = new double[n];
        java.util.Arrays.fill(column, value);
        return column;
    }

    private static void assertClose(double expected, double actual, double ulps, String what) {
        assertTrue(Double.isFinite(actual), () -> what + ": " + actual + ", expected " + expected);
        double tolerance = ulps * Math.max(Math.ulp(expected), Double.MIN_NORMAL);
        assertEquals(expected, actual, tolerance, () -> what + ": " + Math.abs(actual - expected) / Math.ulp(expected)
                + " ulps");
    }
}
