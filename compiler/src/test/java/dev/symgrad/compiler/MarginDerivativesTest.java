package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.runtime.StableMath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-picked losses of gradient boosting's custom objectives, against their closed forms: the logistic
 * loss at margins far beyond exp's range, multi-class cross-entropy over three margins, and the
 * second-order conventions where the loss is not twice differentiable.
 */
class MarginDerivativesTest {

    private static final String LOGISTIC = "Math.log1p(Math.exp(-y * m))";

    @Test
    void logisticLossGivesTheSigmoidAndItsDerivativeAtEveryMargin() {
        MarginDerivatives logistic = Symgrad.compileMarginDerivatives(LOGISTIC, List.of("m"), List.of("y"));
        double[] margins = {-1e5, -800, -30, -1, -1e-9, 0, 1e-9, 0.5, 3, 40, 800, 1e5};
        double[] labels = new double[margins.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2 == 0 ? 1 : -1;
        }
        MarginDerivatives.Batch batch = logistic.derivatives(new double[][] {margins, labels});
        for (int i = 0; i < margins.length; i++) {
            double z = labels[i] * margins[i];
            double g = -labels[i] * StableMath.sigmoid(-z);
            double h = StableMath.sigmoid(z) * StableMath.sigmoid(-z);
            assertEquals(g, batch.gradient()[0][i], 1e-15 * Math.max(1, Math.abs(g)), "g at m = " + margins[i]);
            assertEquals(h, batch.hessian()[0][i], 1e-15 * Math.max(Double.MIN_NORMAL, h) + 1e-300,
                    "h at m = " + margins[i]);
            assertArrayEquals(new double[] {batch.gradient()[0][i], batch.hessian()[0][i]},
                    logistic.derivatives(new double[] {margins[i], labels[i]}), "one example = the batch, at " + i);
        }
        assertEquals(Math.log1p(Math.exp(-2.0)), logistic.loss(new double[] {2, 1}), 1e-16);
    }

    @Test
    void softmaxCrossEntropyGivesProbabilitiesMinusTheOneHotLabel() {
        String loss = "Math.log(Math.exp(m0) + Math.exp(m1) + Math.exp(m2)) - (y == 0 ? m0 : y == 1 ? m1 : m2)";
        MarginDerivatives softmax = Symgrad.compileMarginDerivatives(loss, List.of("m0", "m1", "m2"), List.of("y"));
        double[][] columns = {{0.5, 900, -3}, {-1, 899, 2}, {2, -5, 2}, {0, 1, 2}};
        MarginDerivatives.Batch batch = softmax.derivatives(columns);
        for (int i = 0; i < 3; i++) {
            double largest = Math.max(columns[0][i], Math.max(columns[1][i], columns[2][i]));
            double total = 0;
            for (int k = 0; k < 3; k++) {
                total += Math.exp(columns[k][i] - largest);
            }
            for (int k = 0; k < 3; k++) {
                double p = Math.exp(columns[k][i] - largest) / total;
                double g = p - (columns[3][i] == k ? 1 : 0);
                assertEquals(g, batch.gradient()[k][i], 1e-14, "g_" + k + " of example " + i);
                assertEquals(p * (1 - p), batch.hessian()[k][i], 1e-14, "h_" + k + " of example " + i);
            }
        }
        assertEquals(List.of("m0", "m1", "m2"), softmax.margins());
        assertEquals(List.of("y"), softmax.inputs());
    }

    /**
     * A written-out softmax over three or more classes is shifted by its maximum, which is not
     * differentiated: its derivatives reuse the loss's K exponentials, and no comparison of margins (the
     * derivative of {@code Math.max}) appears. Nested logaddexps took about four exponentials per class.
     */
    @Test
    void aSoftmaxOverTenClassesNeedsOneExponentialPerClassForItsDerivatives() {
        List<String> margins = new ArrayList<>();
        StringBuilder sum = new StringBuilder();
        StringBuilder picked = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            margins.add("m" + k);
            sum.append(k == 0 ? "" : " + ").append("Math.exp(m").append(k).append(")");
            picked.append(k < 9 ? "y == " + k + " ? m" + k + " : " : "m9");
        }
        String loss = "Math.log(" + sum + ") - (" + picked + ")";
        LossProgram program = new LossCompiler().compileMarginDerivatives(loss, "<expression>", margins, List.of("y"));
        List<Node> roots = new ArrayList<>(program.gradient());
        roots.add(program.loss());
        int exponentials = 0;
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Unary u && u.op() == UnaryOp.EXP) {
                exponentials++;
            }
            assertTrue(!(node instanceof Unary u && u.op() == UnaryOp.SIGMOID) && !(node instanceof Binary b
                    && b.op() == BinaryOp.LOGADDEXP), "no sigmoid or logaddexp: " + node);
            assertTrue(!(node instanceof Comparison c && c.op() != CompareOp.EQ), "no comparison of margins: " + node);
        }
        assertEquals(10, exponentials);
    }

    @Test
    void piecewiseLinearLossesHaveASecondDerivativeOfZeroAtTheKinkToo() {
        MarginDerivatives hinge = Symgrad.compileMarginDerivatives("Math.max(0, 1 - y * m)", List.of("m"),
                List.of("y"));
        MarginDerivatives pinball = Symgrad.compileMarginDerivatives("y > m ? 0.9 * (y - m) : 0.1 * (m - y)",
                List.of("m"), List.of("y"));
        MarginDerivatives absolute = Symgrad.compileMarginDerivatives("Math.abs(m - y)", List.of("m"), List.of("y"));
        double[][] columns = {{-2, 1, 3, 0.5}, {1, 1, 1, 0.5}};
        for (MarginDerivatives loss : List.of(hinge, pinball, absolute)) {
            // 0 or -0: both are zero.
            assertArrayEquals(new double[4], loss.derivatives(columns).hessian()[0], 0, loss.expression());
        }
        // At a tie, max gives half its derivative to each side (JAX); abs'(0) = 1.
        assertArrayEquals(new double[] {-1, -0.5, 0, -0.5}, hinge.derivatives(columns).gradient()[0], 0);
        assertArrayEquals(new double[] {-0.9, 0.1, 0.1, 0.1}, pinball.derivatives(columns).gradient()[0], 0);
        assertArrayEquals(new double[] {-1, 1, 1, 1}, absolute.derivatives(columns).gradient()[0], 0);
    }

    @Test
    void printsTheSimplifiedDerivatives() {
        MarginDerivatives logistic = Symgrad.compileMarginDerivatives(LOGISTIC, List.of("m"), List.of("y"));
        assertEquals("-(y * StableMath.sigmoid(-(m * y)))", logistic.printedFirstDerivative("m"));
        assertEquals("StableMath.sigmoid(m * y) * (StableMath.sigmoid(-(m * y)) * (y * y))",
                logistic.printedSecondDerivative("m"));
        assertThrows(IllegalArgumentException.class, () -> logistic.printedFirstDerivative("y"));
    }

    @Test
    void aLossThatDoesNotUseAMarginIsAnErrorAtTheExpression() {
        CompileError error = assertThrows(CompileError.class, () -> Symgrad.compileMarginDerivatives(
                "Math.log1p(Math.exp(-y * m0))", List.of("m0", "m1"), List.of("y")));
        assertTrue(error.getMessage().contains("does not depend on the margin 'm1'"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Symgrad.compileMarginDerivatives(LOGISTIC, List.of(), List.of("y", "m")));
        assertThrows(IllegalArgumentException.class,
                () -> Symgrad.compileMarginDerivatives(LOGISTIC, List.of("m"), List.of("m", "y")));
        CompileError unknown = assertThrows(CompileError.class, () -> Symgrad.compileMarginDerivatives(
                "Math.log1p(Math.exp(-label * m))", List.of("m"), List.of("y")));
        assertTrue(unknown.getMessage().contains("1:22"), unknown.getMessage());
    }

    @Test
    void vectorMarginsAreTheirElementsInOrder() {
        MarginDerivatives d = Symgrad.compileMarginDerivatives("(m[0] - y) * (m[0] - y) + 3 * m[1] * m[1] * m[1]",
                List.of("m[2]"), List.of("y"));
        assertEquals(List.of("m[0]", "m[1]"), d.margins());
        assertArrayEquals(new double[] {2 * (1.5 - 0.5), 9 * 4.0, 2, 18 * 2.0},
                d.derivatives(new double[] {1.5, 2, 0.5}));
    }

    @Test
    void theGeneratedClassesVerify() {
        LossProgram program = new LossCompiler().compileMarginDerivatives(LOGISTIC, "<expression>", List.of("m"),
                List.of("y"));
        // The vector class refers to jdk.incubator.vector, which the verifier can load only where it is readable.
        List<Backend> backends = Backend.vectorUnavailableBecause() == null ? List.of(Backend.SCALAR, Backend.VECTOR)
                : List.of(Backend.SCALAR);
        for (Backend backend : backends) {
            GeneratedClassVerifier.verify(LossCompiler.generateClass(program, "dev/symgrad/Margins", "<expression>",
                    LOGISTIC, backend));
        }
    }
}
