package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.LazyKernelsLoss;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On the tiered {@code auto} backend a run-time loss computes, on every batch method, the scalar backend's
 * numbers bit for bit until that method's vector kernel is promoted, and the vector backend's from then on; a tanh network's vector kernels are promoted within seconds of their first calls. Runs in
 * the vector-backend test execution, where the Vector API module is readable.
 */
class TieredLossTest {

    private static final String NETWORK = "(v0 * Math.tanh(a0 * x + c0) + v1 * Math.tanh(a1 * x + c1)"
            + " + v2 * Math.tanh(a2 * x + c2) + d - y) * (v0 * Math.tanh(a0 * x + c0)"
            + " + v1 * Math.tanh(a1 * x + c1) + v2 * Math.tanh(a2 * x + c2) + d - y)";
    private static final List<String> PARAMETERS = List.of("a0", "a1", "a2", "c0", "c1", "c2", "v0", "v1", "v2",
            "d");
    private static final List<String> INPUTS = List.of("x", "y");
    private static final long PROMOTION_SECONDS = 60;

    private record Method(String kernel, Function<CompiledLoss, double[]> call) {
    }

    @Test
    void everyBatchMethodComputesTheScalarNumbersUntilPromotedAndTheVectorNumbersAfter() throws InterruptedException {
        assumeTrue(Backend.vectorUnavailableBecause() == null, "the Vector API module is not readable here");
        LossProgram program = new LossCompiler().compile(NETWORK, PARAMETERS, INPUTS);
        CompiledLoss scalar = Symgrad.defineLoss(program, NETWORK, Backend.SCALAR);
        CompiledLoss vector = Symgrad.defineLoss(program, NETWORK, Backend.VECTOR);
        LazyKernelsLoss tiered = (LazyKernelsLoss) Symgrad.defineLoss(program, "<expression>", NETWORK, Backend.VECTOR, true);
        Random random = new Random(18);
        double[] params = random.doubles(PARAMETERS.size(), -0.5, 0.5).toArray();
        double[][] columns = {random.doubles(1001, -2, 2).toArray(), random.doubles(1001, -1, 1).toArray()};
        List<Method> methods = List.of(
                new Method("perExampleLossesKernel", loss -> loss.perExampleLosses(params, columns)),
                new Method("totalLossKernel", loss -> new double[] {loss.totalLoss(params, columns)}),
                new Method("perExampleGradientsKernel", loss -> Arrays.stream(loss.perExampleGradients(params, columns))
                        .flatMapToDouble(Arrays::stream).toArray()),
                new Method("sumOfPerExampleGradientsKernel", loss -> loss.sumOfPerExampleGradients(params, columns)),
                new Method("gradientOfSumKernel", loss -> loss.gradientOfSum(params, columns)),
                new Method("clippedGradientSumKernel", loss -> loss.clippedGradientSum(params, columns, 0.5)),
                new Method("perExampleGradientNormsKernel", loss -> loss.perExampleGradientNorms(params, columns)));
        List<String> scalarCalls = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMOTION_SECONDS);
        boolean allPromoted = false;
        while (!allPromoted && System.nanoTime() < deadline) {
            allPromoted = true;
            for (Method method : methods) {
                boolean before = tiered.promotedToVector(method.kernel());
                double[] got = method.call().apply(tiered);
                boolean after = tiered.promotedToVector(method.kernel());
                if (!after) {
                    assertArrayEquals(method.call().apply(scalar), got, method.kernel() + " before promotion");
                    scalarCalls.add(method.kernel());
                } else if (before) {
                    assertCloseToVector(method.call().apply(vector), got, method.kernel() + " after promotion");
                }
                allPromoted &= after;
            }
            Thread.sleep(1);
        }
        assertTrue(allPromoted, "not promoted within " + PROMOTION_SECONDS + " s: " + methods.stream()
                .map(Method::kernel).filter(kernel -> !tiered.promotedToVector(kernel)).toList());
        for (Method method : methods) {
            assertTrue(scalarCalls.contains(method.kernel()), method.kernel() + "'s first call did not run scalar");
            assertCloseToVector(method.call().apply(vector), method.call().apply(tiered), method.kernel());
        }
    }

    /**
     * The vector backend is not one set of bits: the JDK computes the Vector API's {@code exp} and
     * {@code expm1} lane by lane with {@code Math} until C2 has compiled a loop, and with SIMD stubs after
     * (up to an ulp apart), so a promoted (compiled) kernel and a fresh vector class may differ in the last
     * bits. The scalar backend's numbers differ from these by far more than this tolerance on this loss
     * (the tanh pieces alone are 2 ulps apart), which the first assertion of a mutated test shows.
     */
    private static void assertCloseToVector(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-12 * Math.max(1.0, Math.abs(expected[k])), what + " [" + k + "]");
        }
    }
}
