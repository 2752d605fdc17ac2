package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.runtime.CompiledLoss;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks a compiled loss against the IR {@link Evaluator} of the program it was generated from, at a few
 * points drawn from the source text's hash (so a failure reproduces from the input alone), NaN and
 * infinities included. Every comparison is bit for bit, NaN equal to NaN ({@code assertEquals} on doubles
 * compares {@code doubleToLongBits}): per-example kernels perform the interpreter's operations in its
 * order, and batches of at most two examples leave a sum no other order to add in. An empty batch sums to
 * +0.0.
 */
final class InterpreterAgreement {

    private static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1e300, -1e-300, Double.MIN_VALUE};

    private InterpreterAgreement() {
    }

    static void assertAgrees(String source, LossProgram program, CompiledLoss loss) {
        Random random = new Random(source.hashCode());
        int parameters = program.parameters().size();
        int inputs = program.inputs().size();
        Evaluator gradient = new Evaluator(program.gradient());
        double[][] examples = new double[3][];
        for (int k = 0; k < 3; k++) {
            double[] params = values(random, parameters);
            double[] example = values(random, inputs);
            examples[k] = example;
            String where = where(source, params, example);
            assertEquals(Evaluator.value(program.loss(), params, example), loss.loss(params, example), "loss " + where);
            assertArrayEquals(gradient.values(program.gradient(), params, example), loss.gradient(params, example),
                    "gradient " + where);
        }
        if (inputs == 0) {
            return; // a loss without inputs has no batch
        }
        double[] params = values(random, parameters);
        assertBatchAgrees(source, program, loss, params, columns(examples[0], examples[1]));
        assertBatchAgrees(source, program, loss, params, columns(examples[2]));
        assertBatchAgrees(source, program, loss, params, new double[inputs][0]);
    }

    private static void assertBatchAgrees(String source, LossProgram program, CompiledLoss loss, double[] params,
                                          double[][] columns) {
        String where = "of " + UntrustedCompilation.describe(source) + " at params " + Arrays.toString(params)
                + ", columns " + Arrays.deepToString(columns);
        int n = columns[0].length;
        double[] losses = loss.perExampleLosses(params, columns);
        double[][] gradients = loss.perExampleGradients(params, columns);
        Evaluator gradient = new Evaluator(program.gradient());
        for (int i = 0; i < n; i++) {
            double[] example = new double[columns.length];
            for (int c = 0; c < columns.length; c++) {
                example[c] = columns[c][i];
            }
            assertEquals(Evaluator.value(program.loss(), params, example), losses[i], "perExampleLosses " + where);
            double[] expected = gradient.values(program.gradient(), params, example);
            for (int p = 0; p < expected.length; p++) {
                assertEquals(expected[p], gradients[p][i], "perExampleGradients[" + p + "] " + where);
            }
        }
        if (n == 0) {
            // An empty sum is +0.0 whatever the parameters. The factored IR would say otherwise at times
            // (N * c is -0.0 for c < 0 and NaN for infinite c); the kernels return zero before it.
            double[] zeros = new double[program.parameters().size()];
            assertEquals(0.0, loss.totalLoss(params, columns), "totalLoss " + where);
            assertArrayEquals(zeros, loss.sumOfPerExampleGradients(params, columns), "route (a) " + where);
            assertArrayEquals(zeros, loss.gradientOfSum(params, columns), "route (b) " + where);
            return;
        }
        assertEquals(Evaluator.batchValue(program.totalLoss(), params, columns), loss.totalLoss(params, columns),
                "totalLoss " + where);
        assertArrayEquals(batchValues(program.sumOfPerExampleGradients(), params, columns),
                loss.sumOfPerExampleGradients(params, columns), "route (a) " + where);
        assertArrayEquals(batchValues(program.gradientOfSum(), params, columns),
                loss.gradientOfSum(params, columns), "route (b) " + where);
    }

    private static double[] batchValues(List<Expr> roots, double[] params, double[][] columns) {
        double[] values = new double[roots.size()];
        for (int p = 0; p < values.length; p++) {
            values[p] = Evaluator.batchValue(roots.get(p), params, columns);
        }
        return values;
    }

    /** Mostly ordinary values in [-2, 2], one in five from {@link #SPECIAL}. */
    private static double[] values(Random random, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextInt(5) == 0
                    ? SPECIAL[random.nextInt(SPECIAL.length)]
                    : Math.round((random.nextDouble() * 4 - 2) * 1e4) / 1e4;
        }
        return values;
    }

    /** Examples (rows) to columns. */
    private static double[][] columns(double[]... examples) {
        double[][] columns = new double[examples[0].length][examples.length];
        for (int i = 0; i < examples.length; i++) {
            for (int c = 0; c < columns.length; c++) {
                columns[c][i] = examples[i][c];
            }
        }
        return columns;
    }

    private static String where(String source, double[] params, double[] example) {
        return "of " + UntrustedCompilation.describe(source) + " at params " + Arrays.toString(params) + ", example "
                + Arrays.toString(example);
    }
}
