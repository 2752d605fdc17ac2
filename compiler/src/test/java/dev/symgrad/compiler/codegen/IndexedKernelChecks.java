package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kernel of an indexed program's class against {@link IndexedEvaluator} on the same program: the
 * same arithmetic in the same order, so per-example values are equal bit for bit and the sums over
 * examples equal the interpreter's values added in example order. The fused clipped sum and the norms
 * (which form the norm differently) are checked within a few ulps where the gradients are finite.
 * The class is verified by ASM's CheckClassAdapter first.
 */
final class IndexedKernelChecks {

    private IndexedKernelChecks() {
    }

    /**
     * Checks the class under every schedule: lanes (in blocks of the size the generator chooses, and in
     * the shortest blocks, so that a few hundred examples are several blocks), sums jammed, and every sum
     * added alone.
     */
    static void assertKernelsMatchTheInterpreter(IndexedLossProgram program, double[] params, double[][] columns) {
        for (LoopSchedule schedule : LoopSchedule.values()) {
            assertKernelsMatchTheInterpreter(program, params, columns,
                    ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, schedule));
        }
        assertKernelsMatchTheInterpreter(program, params, columns, ClassGenerator.generate(program,
                HiddenClassDefiner.CLASS_NAME, LoopSchedule.LANES, ExampleLanes.MIN_LANES));
    }

    private static void assertKernelsMatchTheInterpreter(IndexedLossProgram program, double[] params,
                                                         double[][] columns, byte[] bytes) {
        GeneratedClassVerifier.verify(bytes);
        CompiledLoss loss = HiddenClassDefiner.define(bytes);
        int parameters = program.parameterCount();
        double[] totalLoss = {0};
        double[] sum = new double[parameters];
        double[] clipped = new double[parameters];
        double clipNorm = 0.05;
        double[] losses = loss.perExampleLosses(params, columns);
        double[][] perExample = loss.perExampleGradients(params, columns);
        double[] norms = loss.perExampleGradientNorms(params, columns);
        boolean finite = true;
        for (int i = 0; i < columns[0].length; i++) {
            double[] example = example(columns, i);
            IndexedEvaluator reference = new IndexedEvaluator(params, example);
            double expectedLoss = reference.value(program.loss());
            double[] expectedGradient = gradient(program, reference);
            assertEquals(expectedLoss, loss.loss(params, example), 0.0, "loss of example " + i);
            assertEquals(expectedLoss, losses[i], 0.0, "per-example loss " + i);
            assertArrayEquals(expectedGradient, loss.gradient(params, example), 0.0, "gradient of example " + i);
            double squares = 0;
            for (int p = 0; p < parameters; p++) {
                assertEquals(expectedGradient[p], perExample[p][i], 0.0, "route (a) materialized, " + p + ", " + i);
                squares += expectedGradient[p] * expectedGradient[p];
            }
            finite &= Double.isFinite(squares);
            if (Double.isFinite(squares)) {
                assertEquals(Math.sqrt(squares), norms[i], 1e-14 * Math.sqrt(squares), "norm of example " + i);
            }
            double factor = Math.min(1.0, clipNorm / Math.sqrt(squares));
            for (int p = 0; p < parameters; p++) {
                sum[p] += expectedGradient[p];
                clipped[p] += expectedGradient[p] * factor;
            }
            totalLoss[0] += expectedLoss;
        }
        assertEquals(totalLoss[0], loss.totalLoss(params, columns), 0.0, "total loss");
        assertArrayEquals(sum, loss.sumOfPerExampleGradients(params, columns), 0.0, "route (a) summed");
        assertArrayEquals(sum, loss.gradientOfSum(params, columns), 0.0, "route (b)");
        if (finite) {
            // Where a gradient is not finite the runtime clips by its reference arithmetic instead.
            double[] fused = loss.clippedGradientSum(params, columns, clipNorm);
            for (int p = 0; p < parameters; p++) {
                assertEquals(clipped[p], fused[p], 1e-14 * Math.max(1, Math.abs(clipped[p])), "clipped sum " + p);
            }
        }
        double[] sumInto = new double[parameters];
        java.util.Arrays.fill(sumInto, 123.0);
        loss.gradientOfSumInto(params, columns, sumInto);
        assertArrayEquals(sum, sumInto, 0.0, "route (b) overwrites what out held");
    }

    static double[] gradient(IndexedLossProgram program, IndexedEvaluator reference) {
        double[] gradient = new double[program.parameterCount()];
        for (int p = 0; p < program.parameters().size(); p++) {
            Node block = program.gradient().get(p);
            int offset = program.offsetOf(p);
            if (block instanceof Comprehension array) {
                double[] elements = reference.elements(array);
                System.arraycopy(elements, 0, gradient, offset, elements.length);
            } else {
                gradient[offset] = reference.value((Expr) block);
            }
        }
        return gradient;
    }

    static double[] example(double[][] columns, int i) {
        double[] example = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            example[c] = columns[c][i];
        }
        return example;
    }
}
