package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
        IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, params, columns);
        checkAgainstDifferences(program, params, columns, (p, x) -> {
            double t = p[d];
            for (int j = 0; j < d; j++) {
                t += p[j] * x[j];
            }
            return Math.log1p(Math.exp(-x[d] * t));
        });
    }

    /**
     * A logistic loss over {@link ExampleLanes#WIDE_INPUTS} features and more adds w's batch sums
     * feature-major, in blocks of {@link ExampleLanes#MAX_LANES} examples: two full blocks and part of a
     * third, against the interpreter (sums in example order, bit for bit).
     */
    @Test
    void wideLogisticSumsAddedFeatureMajorOverLongBlocksEqualTheInterpreter() {
        int d = ExampleLanes.WIDE_INPUTS + 5;
        IndexedLossProgram program = IndexedLosses.logistic(d);
        assertEquals(Set.of(0), new LoopKernels(program).parametersSummedFeatureMajor());
        int examples = 2 * ExampleLanes.MAX_LANES + 37;
        Random random = new Random(3);
        double[] params = randoms(random, d + 1, 0.05);
        double[][] columns = new double[d + 1][examples];
        for (double[] column : columns) {
            fill(random, column, 1.0);
        }
        for (int i = 0; i < examples; i++) {
            columns[d][i] = random.nextBoolean() ? 1 : -1;
        }
        IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, params, columns);
    }

    @Test
    void networkKernelsEqualTheInterpreterAndTheGradientMatchesDifferences() {
        int in = 5;
        int hidden = 4;
        int out = 3;
        IndexedLossProgram program = IndexedLosses.network(in, hidden, out);
        Random random = new Random(2);
        double[] params = randoms(random, program.parameterCount(), 0.7);
        double[][] columns = classificationColumns(random, in, out);
        checkAgainstDifferences(program, params, columns, (p, x) -> network(p, x, in, hidden, out));
        IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, params, columns);
    }

    /**
     * Blocks of {@link ExampleLanes#MIN_LANES} examples: two full blocks and part of a third, with the block's
     * inputs copied once (5 inputs) and, past {@link ExampleLanes#MAX_INPUT_DOUBLES}, a row of lanes at a
     * time where each is read (600 inputs).
     */
    @Test
    void networkKernelsOverSeveralBlocksOfExamplesEqualTheInterpreter() {
        int examples = 2 * ExampleLanes.MIN_LANES + 3;
        for (int in : new int[] {5, ExampleLanes.MAX_INPUT_DOUBLES / ExampleLanes.MIN_LANES + 88}) {
            IndexedLossProgram program = IndexedLosses.network(in, 3, 2);
            Random random = new Random(in);
            double[] params = randoms(random, program.parameterCount(), 0.3);
            IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, params,
                    classificationColumns(random, in, 2, examples));
        }
    }

    /**
     * Differentiation gathers ∂/∂W[k0][j] over a fresh index, so the gradient holds the logit
     * {@code Σ_j W[k0][j]·x[j]} with k renamed: it reads the loss's logits array there (ArrayReuse), and
     * the program has one sum over the inputs, not one more per kernel that needs the gradient.
     */
    @Test
    void softmaxRegressionsGradientReadsTheLogitsArray() {
        int in = 6;
        int out = 3;
        IndexedLossProgram program = IndexedLosses.softmaxRegression(in, out);
        List<Node> roots = new ArrayList<>(program.gradient());
        roots.add(program.loss());
        roots.add(program.squaredNorm());
        long sumsOverInputs = Graph.topologicalOrder(roots).stream()
                .filter(node -> node instanceof Sum sum && sum.index().extent() == in).count();
        assertEquals(1 + 1, sumsOverInputs, "the logits, and the ghost norm's Σ_j x_j²");
        Random random = new Random(4);
        double[] params = randoms(random, program.parameterCount(), 0.7);
        double[][] columns = classificationColumns(random, in, out);
        checkAgainstDifferences(program, params, columns, (p, x) -> softmaxRegression(p, x, in, out));
        IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, params, columns);
    }

    /**
     * The gradient's {@code exp(z_k0)} is the loss's {@code exp(z_k)} over another index: both read one
     * array of the exponentials (InvariantArrays), so each kernel takes ten exponentials per example, not
     * ten more for the gradient.
     */
    @Test
    void softmaxRegressionsExponentialsAreOneArray() {
        IndexedLossProgram program = IndexedLosses.softmaxRegression(6, 3);
        List<Node> roots = new ArrayList<>(program.gradient());
        roots.add(program.loss());
        long exponentials = Graph.topologicalOrder(roots).stream()
                .filter(node -> node instanceof Unary unary && unary.op() == UnaryOp.EXP).count();
        assertEquals(1, exponentials, "exp nodes in the loss and the gradient");
    }

    @Test
    void namesShapesAndDerivativesComeByDeclaration() {
        IndexedLossProgram program = IndexedLosses.network(5, 4, 3);
        CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        assertEquals(List.of(4, 5), loss.parameterShapes().get("V"));
        assertEquals(List.of(3), loss.inputShapes().get("y"));
        assertEquals(program.parameterCount(), loss.parameters().size());
        assertEquals("V[1][2]", loss.parameters().get(7));
        assertEquals("c[0]", loss.parameters().get(20));
        // ∂/∂V[m][j] = x[j]·(1 - h[m]²)·(back-propagated error at m), at m = 1, j = 2.
        assertTrue(loss.derivative("V[1][2]").matches("(?s).*\\n\\Qx[2] * (1.0 - a1[1] * a1[1]) * a\\E\\d+\\[1]"),
                loss.derivative("V[1][2]"));
    }

    /**
     * The error reaching the hidden layer, {@code Σ_k W[k][m]·(softmax_k - y_k)}, reads the output error
     * from an array computed once per example: without InvariantArrays each exponential was taken once
     * per (k, m) pair.
     */
    @Test
    void backpropagationTakesEachExponentialOncePerExample() {
        String derivative = IndexedLosses.network(5, 4, 3).printedDerivatives().get(0);
        for (String line : derivative.split("\n")) {
            if (line.contains("sum(k < 3, W[k][m]")) {
                assertTrue(!line.contains("Math.exp"), line);
            }
        }
        assertTrue(derivative.matches("(?s).*\\Qsum(k < 3, W[k][m] * a\\E\\d+\\[k]\\).*"), derivative);
    }

    /** Route (a) materialized is written in blocks of 32 examples: every batch size and slice lands right. */
    @Test
    void perExampleGradientsInBlocksEqualEachExamplesGradient() {
        IndexedLossProgram program = IndexedLosses.network(5, 4, 3);
        CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        Random random = new Random(8);
        double[] params = randoms(random, program.parameterCount(), 0.7);
        assertEquals(32, GradientBlock.EXAMPLES);
        for (int n : new int[] {1, 7, 31, 32, 33, 64, 70}) {
            double[][] columns = new double[8][n];
            for (double[] column : columns) {
                fill(random, column, 1.0);
            }
            double[][] blocked = loss.perExampleGradients(params, columns);
            assertTrue(java.util.Arrays.deepEquals(blocked, loss.perExampleGradients(params, columns, 3)),
                    "split over threads, n = " + n);
            for (int i = 0; i < n; i++) {
                double[] gradient = loss.gradient(params, IndexedKernelChecks.example(columns, i));
                for (int p = 0; p < gradient.length; p++) {
                    assertEquals(gradient[p], blocked[p][i], 0.0, "n = " + n + ", example " + i + ", parameter " + p);
                }
            }
        }
    }

    /**
     * Inputs are gathered into rows a block of examples at a time (16 for the network, 8 at 100,001
     * inputs), and the logistic loss's {@code t} is added for four examples at once: every batch size, and
     * slices starting anywhere (threads), read each example's own row and sum.
     */
    @Test
    void inputRowsGatheredInBlocksAreEachExamplesOwn() {
        assertEquals(16, InputRows.examplesPerBlock(8));
        assertEquals(8, InputRows.examplesPerBlock(100_001));
        assertEquals(3, InputRows.examplesPerBlock(300_000));
        Random random = new Random(9);
        for (IndexedLossProgram program : new IndexedLossProgram[] {IndexedLosses.network(5, 4, 3),
                IndexedLosses.logistic(100_000)}) {
            CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
            double[] params = randoms(random, program.parameterCount(), 0.7);
            for (int n : new int[] {1, 3, 4, 5, 9, 10, 11, 16, 17, 35}) {
                double[][] columns = new double[program.inputCount()][n];
                for (double[] column : columns) {
                    fill(random, column, 1.0);
                }
                double[] losses = loss.perExampleLosses(params, columns);
                double[][] threads = loss.perExampleGradients(params, columns, 3);
                double[] sum = new double[program.parameterCount()];
                for (int i = 0; i < n; i++) {
                    double[] example = IndexedKernelChecks.example(columns, i);
                    assertEquals(loss.loss(params, example), losses[i], 0.0, "n = " + n + ", example " + i);
                    double[] gradient = loss.gradient(params, example);
                    for (int p = 0; p < sum.length; p++) {
                        sum[p] += gradient[p];
                        assertEquals(gradient[p], threads[p][i], 0.0, "threads, n = " + n + ", example " + i);
                    }
                }
                assertArrayEquals(sum, loss.gradientOfSum(params, columns), 0.0, "route (b), n = " + n);
            }
        }
    }

    @Test
    void classSizeDoesNotGrowWithWidth() {
        int small = ClassGenerator.generate(IndexedLosses.logistic(8), "dev/symgrad/Width").length;
        int wide = ClassGenerator.generate(IndexedLosses.logistic(100_000), "dev/symgrad/Width").length;
        assertTrue(Math.abs(wide - small) <= small / 10, "class bytes at d = 8: " + small + ", at d = 100,000: " + wide);
    }

    /** {@code log Σ exp(z) - y·z} of the tanh network, as a person writes it in Java. */
    private static double softmaxRegression(double[] p, double[] x, int in, int out) {
        double sumExp = 0;
        double dot = 0;
        for (int k = 0; k < out; k++) {
            double z = p[out * in + k];
            for (int j = 0; j < in; j++) {
                z += p[k * in + j] * x[j];
            }
            sumExp += Math.exp(z);
            dot += x[in + k] * z;
        }
        return Math.log(sumExp) - dot;
    }

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

    private static void checkAgainstDifferences(IndexedLossProgram program, double[] params, double[][] columns,
                                                BiFunction<double[], double[], Double> java) {
        CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        for (int i = 0; i < EXAMPLES; i++) {
            double[] example = IndexedKernelChecks.example(columns, i);
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

    /** EXAMPLES examples of {@code in} random inputs in [-1, 1) and a one-hot label of {@code out} classes. */
    private static double[][] classificationColumns(Random random, int in, int out) {
        return classificationColumns(random, in, out, EXAMPLES);
    }

    private static double[][] classificationColumns(Random random, int in, int out, int examples) {
        double[][] columns = new double[in + out][examples];
        for (int c = 0; c < in; c++) {
            fill(random, columns[c], 1.0);
        }
        for (int i = 0; i < examples; i++) {
            columns[in + random.nextInt(out)][i] = 1.0;
        }
        return columns;
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
