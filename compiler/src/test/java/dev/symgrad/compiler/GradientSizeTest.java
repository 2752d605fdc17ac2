package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.Graph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reverse mode over the DAG keeps the gradient a small constant factor larger than the loss. */
class GradientSizeTest {

    private static void assertNoSwell(String expression, List<String> parameters, List<String> inputs) {
        LossProgram program = new LossCompiler().compile(expression, parameters, inputs);
        int lossSize = Graph.size(List.of(program.loss()));
        int gradientSize = Graph.size(program.gradient());
        assertTrue(lossSize >= 1000, "the test loss should have at least 1000 nodes, has " + lossSize);
        assertTrue(gradientSize <= 5 * lossSize,
                "gradient has " + gradientSize + " nodes for a loss of " + lossSize + " nodes");
    }

    @Test
    void deepCompositionDoesNotSwell() {
        // tanh(w0 * tanh(w1 * ... tanh(w249 * x))): each level's derivative reuses the one below.
        StringBuilder expression = new StringBuilder("x");
        List<String> parameters = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            parameters.add("w" + i);
            expression.insert(0, "Math.tanh(w" + i + " * (").append(") + 0.5)");
        }
        assertNoSwell(expression.toString(), parameters, List.of("x"));
    }

    @Test
    void longSumWithSharedSubexpressionsDoesNotSwell() {
        // 300 terms drawing on 20 shared inner expressions; the adjoints of the shared parts are summed
        // once per node, not once per path.
        Random random = new Random(1);
        StringBuilder expression = new StringBuilder("0");
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(20);
            expression.append(" + Math.sin(w * x + ").append(k).append(") * Math.exp(b * x - ").append(i).append(")");
        }
        assertNoSwell(expression.toString(), List.of("w", "b"), List.of("x"));
    }
}
