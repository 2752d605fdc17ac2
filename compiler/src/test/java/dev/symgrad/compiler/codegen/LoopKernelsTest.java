package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop kernels of indexed programs against the indexed interpreter (same program, so the same
 * arithmetic: equal bit for bit per example), and the gradients against central differences of a
 * plain Java implementation of each loss (an oracle that shares nothing with the compiler).
 */
class LoopKernelsTest {

    private static final int EXAMPLES = 7;

    @Test
    void logisticKernelsEqualTheInterpreterAndTheGradientMatchesDifferences() {
        int d = 13;
        IndexedLossProgram program = IndexedLosses.logistic(d);
        Random random = new Random(1);
        double[] params = randoms(random, d + 1, 0.5);
        double[][] columns = new double[d + 1][EXAMPLES];
        for (double[] column : columns) {
            fill(random, column, 1.0);
        }
        for (int i = 0; i < EXAMPLES; i++) {
            columns[d][i] = random.nextBoolean() ? 1 : -1;
        }
        checkKernels(program, params, columns);
        checkAgainstDifferences(program, params, columns, (p, x) -> {
            double t = p[d];
            for (int j = 0; j < d; j++) {
                t += p[j] * x[j];
            }
            return Math.log1p(Math.exp(-x[d] * t));
        });
    }

    @Test
    void networkKernelsEqualTheInterpreterAndTheGradientMatchesDifferences() {
        int in = 5;
        int hidden = 4;
        int out = 3;
        IndexedLossProgram program = IndexedLosses.network(in, hidden, out);
        Random random = new Random(2);
        double[] params = randoms(random, program.parameterCount(), 0.7);
        double[][] columns = new double[in + out][EXAMPLES];
        for (int c = 0; c < in; c++) {
            fill(random, columns[c], 1.0);
        }
        for (int i = 0; i < EXAMPLES; i++) {
            columns[in + random.nextInt(out)][i] = 1.0;
        }
        checkAgainstDifferences(program, params, columns, (p, x) -> network(p, x, in, hidden, out));
        checkKernels(program, params, columns);
    }

    @Test
    void classSizeDoesNotGrowWithWidth() {
        int small = ClassGenerator.generate(IndexedLosses.logistic(8), "dev/symgrad/Width").length;
        int wide = ClassGenerator.generate(IndexedLosses.logistic(100_000), "dev/symgrad/Width").length;
        assertTrue(Math.abs(wide - small) <= small / 10, "class bytes at d = 8: " + small + ", at d = 100,000: " + wide);
    }

    /** {@code log Σ exp(z) - y·z} of the tanh network, as a person writes it in Java. */
    private static double network(double[] p, double[] x, int in, int hidden, int out) {
        int c = hidden * in;
        int w = c + hidden;
        int b = w + out * hidden;
        double[] h = new double[hidden];
        for (int m = 0; m < hidden; m++) {
            double a = p[c + m];
            for (int j = 0; j < in; j++) {
                a += p[m * in + j] * x[j];
            }
            h[m] = Math.tanh(a);
        }
        double sumExp = 0;
        double dot = 0;
        for (int k = 0; k < out; k++) {
            double z = p[b + k];
            for (int m = 0; m < hidden; m++) {
                z += p[w + k * hidden + m] * h[m];
            }
            sumExp += Math.exp(z);
            dot += x[in + k] * z;
        }
        return Math.log(sumExp) - dot;
    }

    private static void checkKernels(IndexedLossProgram program, double[] params, double[][] columns) {
        byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME);
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
        for (int i = 0; i < EXAMPLES; i++) {
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
            assertEquals(Math.sqrt(squares), norms[i], 1e-15 * Math.sqrt(squares), "norm of example " + i);
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
        assertArrayEquals(clipped, loss.clippedGradientSum(params, columns, clipNorm), 0.0, "clipped sum");
        double[] sumInto = new double[parameters];
        java.util.Arrays.fill(sumInto, 123.0);
        loss.gradientOfSumInto(params, columns, sumInto);
        assertArrayEquals(sum, sumInto, 0.0, "route (b) overwrites what out held");
    }

    private static double[] gradient(IndexedLossProgram program, IndexedEvaluator reference) {
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

    private static void checkAgainstDifferences(IndexedLossProgram program, double[] params, double[][] columns,
                                                BiFunction<double[], double[], Double> java) {
        CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        for (int i = 0; i < EXAMPLES; i++) {
            double[] example = example(columns, i);
            assertEquals(java.apply(params, example), loss.loss(params, example), 1e-12, "loss against Java");
            double[] gradient = loss.gradient(params, example);
            for (int p = 0; p < params.length; p++) {
                double h = 1e-5 * Math.max(1, Math.abs(params[p]));
                double[] up = params.clone();
                double[] down = params.clone();
                up[p] += h;
                down[p] -= h;
                double difference = (java.apply(up, example) - java.apply(down, example)) / (2 * h);
                assertEquals(difference, gradient[p], 1e-6 * Math.max(1, Math.abs(difference)),
                        "∂/∂ " + loss.parameters().get(p) + " at example " + i);
            }
        }
    }

    private static double[] example(double[][] columns, int i) {
        double[] example = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            example[c] = columns[c][i];
        }
        return example;
    }

    private static double[] randoms(Random random, int n, double scale) {
        double[] values = new double[n];
        fill(random, values, scale);
        return values;
    }

    private static void fill(Random random, double[] values, double scale) {
        for (int k = 0; k < values.length; k++) {
            values[k] = scale * (2 * random.nextDouble() - 1);
        }
    }

}
