package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchFreeConditionalsTest {

    private static final String ASYMMETRIC = "y - w * x > 0 ? 0.9 * (y - w * x) * (y - w * x) : 0.1 * (y - w * x) * (y - w * x)";

    @Test
    void batchLoopsSelectDataDependentConditionalsWithMasks() {
        byte[] bytes = Symgrad.generateClass(ASYMMETRIC, List.of("w"), List.of("x", "y"), "test/Asymmetric");
        GeneratedClassVerifier.verify(bytes);
        for (String kernel : List.of("computePerExampleLosses", "computePerExampleGradients", "computeTotalLoss",
                "computeGradientOfSum", "computeSumOfPerExampleGradients")) {
            assertTrue(calls(method(bytes, kernel), "doubleToRawLongBits"), kernel + " should select with masks");
        }
        // One example at a time there is no loop to keep busy: a plain jump is cheapest.
        assertFalse(calls(method(bytes, "computeLoss"), "doubleToRawLongBits"));
        assertFalse(calls(method(bytes, "computeGradient"), "doubleToRawLongBits"));
    }

    @Test
    void aTestThatIsTheSameForEveryExampleStaysAJump() {
        byte[] bytes = Symgrad.generateClass("w > 0 ? w * x : -w * x", List.of("w"), List.of("x"), "test/Invariant");
        assertFalse(calls(method(bytes, "computePerExampleLosses"), "doubleToRawLongBits"));
    }

    @Test
    void thePropertyTurnsMaskSelectionOff() {
        String previous = System.getProperty(CodeShape.BRANCH_FREE_PROPERTY);
        System.setProperty(CodeShape.BRANCH_FREE_PROPERTY, "false");
        try {
            byte[] bytes = Symgrad.generateClass(ASYMMETRIC, List.of("w"), List.of("x", "y"), "test/Asymmetric");
            assertFalse(calls(method(bytes, "computePerExampleLosses"), "doubleToRawLongBits"));
            assertFalse(calls(method(bytes, "computeGradientOfSum"), "doubleToRawLongBits"));
        } finally {
            if (previous == null) {
                System.clearProperty(CodeShape.BRANCH_FREE_PROPERTY);
            } else {
                System.setProperty(CodeShape.BRANCH_FREE_PROPERTY, previous);
            }
        }
    }

    @Test
    void maskSelectionKeepsTheExactBitsOfTheChosenBranch() {
        // -0.0, NaN payloads and infinities must come through exactly as the jump would give them:
        // an arithmetic blend (t*a + (1-t)*b) would turn inf*0 into NaN and -0.0 into 0.0.
        CompiledLoss loss = Symgrad.compile("x > y || !(x == x) ? x * w : y * w", List.of("w"), List.of("x", "y"));
        double nan = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);
        double[] xs = {-0.0, 0.0, nan, Double.POSITIVE_INFINITY, 1.0, -3.0, 5e-324};
        double[] ys = {0.0, -0.0, 1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, nan, 0.0};
        double[] params = {1.0};
        double[] batch = loss.perExampleLosses(params, new double[][] {xs, ys});
        double[][] gradients = loss.perExampleGradients(params, new double[][] {xs, ys});
        for (int i = 0; i < xs.length; i++) {
            double[] example = {xs[i], ys[i]};
            assertEquals(Double.doubleToRawLongBits(loss.loss(params, example)), Double.doubleToRawLongBits(batch[i]),
                    "loss of example " + i);
            assertEquals(Double.doubleToRawLongBits(loss.gradient(params, example)[0]),
                    Double.doubleToRawLongBits(gradients[0][i]), "gradient of example " + i);
        }
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(batch[0]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(batch[1]));
        assertEquals(Double.doubleToRawLongBits(nan), Double.doubleToRawLongBits(batch[2]));
    }

    private static MethodNode method(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    private static boolean calls(MethodNode method, String name) {
        for (AbstractInsnNode instruction : method.instructions) {
            if (instruction instanceof MethodInsnNode call && call.name.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
