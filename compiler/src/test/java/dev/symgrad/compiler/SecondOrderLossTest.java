package dev.symgrad.compiler;

import dev.symgrad.runtime.optimize.Lbfgs;
import dev.symgrad.runtime.optimize.NewtonCg;
import dev.symgrad.runtime.optimize.OptimizationResult;
import dev.symgrad.runtime.optimize.StopReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch Hessian-vector product against the per-example Hessians and against central differences of
 * route (b), and Newton-CG and L-BFGS driving a logistic regression to the same minimum.
 */
class SecondOrderLossTest {

    static final String LOGISTIC = "Math.log1p(Math.exp(-y * (w0 * x0 + w1 * x1 + w2 * x2 + b))) + 0.01 * (w0 * w0 + w1 * w1 + w2 * w2)";
    static final List<String> PARAMETERS = List.of("w0", "w1", "w2", "b");
    static final List<String> INPUTS = List.of("x0", "x1", "x2", "y");

    private final SecondOrderLoss loss = Symgrad.compileSecondOrder(LOGISTIC, PARAMETERS, INPUTS);

    @Test
    void theBatchProductIsTheSumOfTheExamplesHessiansTimesV() {
        double[][] columns = columns(57, new Random(1));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        double[] v = {1, -2, 0.5, 3};
        double[] product = loss.hessianVectorProduct(params, columns, v);
        double[] expected = new double[4];
        double[] example = new double[4];
        for (int i = 0; i < columns[0].length; i++) {
            for (int c = 0; c < 4; c++) {
                example[c] = columns[c][i];
            }
            double[][] hessian = loss.hessian(params, example);
            for (int p = 0; p < 4; p++) {
                assertArrayEquals(hessian[p], column(hessian, p), 1e-15, "symmetric, row " + p);
                for (int q = 0; q < 4; q++) {
                    expected[p] += hessian[p][q] * v[q];
                }
            }
        }
        assertArrayEquals(expected, product, 1e-12);
        // Central differences of route (b) along v: an oracle that uses only first derivatives.
        double h = 1e-5;
        double[] up = params.clone();
        double[] down = params.clone();
        for (int p = 0; p < 4; p++) {
            up[p] += h * v[p];
            down[p] -= h * v[p];
        }
        double[] gUp = loss.loss().gradientOfSum(up, columns);
        double[] gDown = loss.loss().gradientOfSum(down, columns);
        for (int p = 0; p < 4; p++) {
            assertEquals((gUp[p] - gDown[p]) / (2 * h), product[p], 1e-6 * Math.max(1, Math.abs(product[p])), "entry " + p);
        }
    }

    @Test
    void newtonCgAndLbfgsReachTheSameMinimum() {
        double[][] columns = columns(400, new Random(2));
        double[] start = new double[4];
        OptimizationResult newton = NewtonCg.builder().gradientTolerance(1e-8).build()
                .minimize(loss.objective(columns), loss.hessianVectorProduct(columns), start);
        OptimizationResult lbfgs = Lbfgs.builder().gradientTolerance(1e-8).build().minimize(loss.objective(columns), start);
        assertEquals(StopReason.GRADIENT_TOLERANCE, newton.reason());
        assertEquals(StopReason.GRADIENT_TOLERANCE, lbfgs.reason());
        assertArrayEquals(newton.x(), lbfgs.x(), 1e-7);
        assertTrue(newton.iterations() < lbfgs.iterations(), newton.iterations() + " Newton against "
                + lbfgs.iterations() + " L-BFGS iterations");
    }

    /** A small tanh network over arrays, 3 → 2 → 1, kept as loops (indexed) in both generated classes. */
    static final String NETWORK = """
            class Net {
                static double net(double[][] V, double[] c, double[] W, double b, double[] x, double y) {
                    double out = b;
                    for (int m = 0; m < 2; m++) {
                        double a = c[m];
                        for (int j = 0; j < 3; j++) a += V[m][j] * x[j];
                        out += W[m] * Math.tanh(a);
                    }
                    return (out - y) * (out - y);
                }
            }
            """;

    static final java.util.Map<String, List<Integer>> NETWORK_SHAPES = java.util.Map.of("V", List.of(2, 3),
            "c", List.of(2), "W", List.of(2), "x", List.of(3));

    @Test
    void aMethodOverArraysHasTheHessianOfCentralDifferencesOfItsGradient() {
        SecondOrderLoss network = Symgrad.compileMethodSecondOrder(NETWORK, "net", List.of("V", "c", "W", "b"), NETWORK_SHAPES);
        int parameters = network.loss().parameters().size();
        assertEquals(11, parameters);
        Random random = new Random(5);
        double[] params = gaussians(random, parameters);
        double[] example = {0.3, -1.2, 0.8, 0.5};
        double[][] hessian = network.hessian(params, example);
        for (int q = 0; q < parameters; q++) {
            double h = 1e-5;
            double[] up = params.clone();
            double[] down = params.clone();
            up[q] += h;
            down[q] -= h;
            double[] gUp = network.loss().gradient(up, example);
            double[] gDown = network.loss().gradient(down, example);
            for (int p = 0; p < parameters; p++) {
                double difference = (gUp[p] - gDown[p]) / (2 * h);
                assertEquals(difference, hessian[p][q], 1e-6 * Math.max(1, Math.abs(difference)), "H[" + p + "][" + q + "]");
                assertEquals(hessian[q][p], hessian[p][q], 1e-12 * Math.max(1, Math.abs(hessian[p][q])), "symmetric");
            }
        }
        // The batch product is the examples' Hessians times v.
        double[][] columns = new double[4][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = gaussians(random, 9);
        }
        double[] v = gaussians(random, parameters);
        double[] expected = new double[parameters];
        for (int i = 0; i < 9; i++) {
            double[] row = {columns[0][i], columns[1][i], columns[2][i], columns[3][i]};
            double[][] h = network.hessian(params, row);
            for (int p = 0; p < parameters; p++) {
                for (int q = 0; q < parameters; q++) {
                    expected[p] += h[p][q] * v[q];
                }
            }
        }
        assertArrayEquals(expected, network.hessianVectorProduct(params, columns, v), 1e-10);
    }

    @Test
    void theSecondOrderClassesVerify() {
        LossCompiler compiler = new LossCompiler();
        GeneratedClassVerifier.verify(LossCompiler.generateClass(compiler.compileHessianVectorProduct(LOGISTIC,
                PARAMETERS, INPUTS), "dev/symgrad/compiler/load/GeneratedLoss", "<expression>", LOGISTIC));
        GeneratedClassVerifier.verify(LossCompiler.generateClass(compiler.compileHessianDiagonal(LOGISTIC, "<expression>",
                PARAMETERS, INPUTS), "dev/symgrad/compiler/load/GeneratedLoss", "<expression>", LOGISTIC));
        GeneratedClassVerifier.verify(LossCompiler.generateClass(compiler.compileWeighted(LOGISTIC, "<expression>",
                PARAMETERS, INPUTS), "dev/symgrad/compiler/load/GeneratedLoss", "<expression>", LOGISTIC));
        GeneratedClassVerifier.verify(compiler.compileMethodWeighted(NETWORK, "Net.java", "net", List.of("V", "c", "W", "b"),
                NETWORK_SHAPES).generateClass("dev/symgrad/compiler/load/GeneratedLoss", "Net.java", NETWORK,
                dev.symgrad.compiler.codegen.Backend.SCALAR));
        GeneratedClassVerifier.verify(dev.symgrad.compiler.codegen.ClassGenerator.generate(new LossCompiler()
                .compileMethodHessianVectorProduct(NETWORK, "Net.java", "net", List.of("V", "c", "W", "b"), NETWORK_SHAPES),
                "dev/symgrad/compiler/load/GeneratedLoss"));
    }

    @Test
    void theJacobianVectorProductIsEachExamplesDirectionalDerivative() {
        double[][] columns = columns(23, new Random(7));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        double[] v = {1, -2, 0.5, 3};
        double[] jvp = loss.jacobianVectorProduct(params, columns, v);
        double[][] perExample = loss.loss().perExampleGradients(params, columns);
        assertEquals(23, jvp.length);
        for (int i = 0; i < 23; i++) {
            double expected = 0;
            for (int p = 0; p < 4; p++) {
                expected += perExample[p][i] * v[p];
            }
            assertEquals(expected, jvp[i], 1e-14 * Math.max(1, Math.abs(expected)), "example " + i);
        }
    }

    @Test
    void theProductSplitAcrossThreadsEqualsTheSerialOne() {
        double[][] columns = columns(5000, new Random(8));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        double[] v = {1, -2, 0.5, 3};
        double[] serial = loss.hessianVectorProduct(params, columns, v);
        double[] threaded = loss.hessianVectorProduct(params, columns, v, 4);
        double scale = 0;
        for (double value : serial) {
            scale = Math.max(scale, Math.abs(value));
        }
        assertArrayEquals(serial, threaded, 1e-12 * Math.max(1, scale));
    }

    @Test
    void theDiagonalIsTheSumOfTheExamplesHessianDiagonals() {
        double[][] columns = columns(300, new Random(9));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        double[] expected = new double[4];
        double[] example = new double[4];
        for (int i = 0; i < columns[0].length; i++) {
            for (int c = 0; c < 4; c++) {
                example[c] = columns[c][i];
            }
            double[][] hessian = loss.hessian(params, example);
            double[] diagonal = loss.hessianDiagonal(params, example);
            for (int p = 0; p < 4; p++) {
                assertEquals(hessian[p][p], diagonal[p], 1e-15, "example " + i + ", entry " + p);
                expected[p] += hessian[p][p];
            }
        }
        assertTrue(loss.hasHessianDiagonal());
        assertArrayEquals(expected, loss.hessianDiagonal(params, columns), 1e-12);
        assertArrayEquals(expected, loss.hessianDiagonal(params, columns, 3), 1e-12);
        double[] into = new double[4];
        loss.hessianDiagonalInto(params, columns, into);
        assertArrayEquals(expected, into, 1e-12);
    }

    @Test
    void theVectorJacobianProductIsTheWeightedSumOfThePerExampleGradients() {
        double[][] columns = columns(700, new Random(10));
        double[] params = {0.3, -0.7, 1.1, 0.2};
        Random random = new Random(11);
        double[] u = gaussians(random, 700);
        double[] expected = weightedRouteA(loss, params, columns, u);
        assertArrayEquals(expected, loss.vectorJacobianProduct(params, columns, u), 1e-11);
        assertArrayEquals(expected, loss.vectorJacobianProduct(params, columns, u, 4), 1e-11);
        IllegalArgumentException wrongLength = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> loss.vectorJacobianProduct(params, columns, new double[699]));
        assertEquals("u has 699 weights but the batch has 700 examples", wrongLength.getMessage());
        java.util.Arrays.fill(u, 1);
        assertArrayEquals(loss.loss().gradientOfSum(params, columns), loss.vectorJacobianProduct(params, columns, u), 1e-11,
                "weights of 1 give route (b)");
    }

    @Test
    void aMethodHasAVectorJacobianProductButNoGeneratedDiagonal() {
        SecondOrderLoss network = Symgrad.compileMethodSecondOrder(NETWORK, "net", List.of("V", "c", "W", "b"), NETWORK_SHAPES);
        Random random = new Random(12);
        double[] params = gaussians(random, 11);
        double[][] columns = new double[4][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = gaussians(random, 40);
        }
        double[] u = columns[1].clone();
        assertArrayEquals(weightedRouteA(network, params, columns, u), network.vectorJacobianProduct(params, columns, u),
                1e-11);
        assertTrue(!network.hasHessianDiagonal());
        UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> network.hessianDiagonal(params, columns));
        assertTrue(e.getMessage().contains("expression losses"), e.getMessage());
    }

    @Test
    void theWeightedLossOfAMethodKeptAsLoopsGivesTheVectorJacobianProduct() {
        // maxUnrolledNodes 0: the loops stay loops however small the method, so the indexed path is the one tested.
        LossCompiler.MethodLoss weighted = new LossCompiler(dev.symgrad.compiler.parse.Limits.DEFAULT,
                dev.symgrad.compiler.ir.ExprFactory.DEFAULT_MAX_NODES, 0)
                .compileMethodWeighted(NETWORK, "Net.java", "net", List.of("V", "c", "W", "b"), NETWORK_SHAPES);
        assertTrue(weighted.isIndexed());
        byte[] bytes = weighted.generateClass(dev.symgrad.compiler.load.HiddenClassDefiner.CLASS_NAME, "Net.java",
                NETWORK, dev.symgrad.compiler.codegen.Backend.SCALAR);
        GeneratedClassVerifier.verify(bytes);
        dev.symgrad.runtime.CompiledLoss weightedLoss = dev.symgrad.compiler.load.HiddenClassDefiner.define(bytes);
        SecondOrderLoss network = Symgrad.compileMethodSecondOrder(NETWORK, "net", List.of("V", "c", "W", "b"), NETWORK_SHAPES);
        Random random = new Random(13);
        double[] params = gaussians(random, 11);
        double[][] columns = new double[5][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = gaussians(random, 300);
        }
        double[][] inputs = java.util.Arrays.copyOf(columns, 4);
        assertArrayEquals(weightedRouteA(network, params, inputs, columns[4]), weightedLoss.gradientOfSum(params, columns),
                1e-10);
    }

    /** {@code n} standard normal draws. */
    private static double[] gaussians(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /** {@code Σ_i u_i·∇f(params; x_i)} from route (a)'s per-example gradients, added in example order. */
    private static double[] weightedRouteA(SecondOrderLoss loss, double[] params, double[][] columns, double[] u) {
        double[][] perExample = loss.loss().perExampleGradients(params, columns);
        double[] weighted = new double[perExample.length];
        for (int p = 0; p < perExample.length; p++) {
            for (int i = 0; i < u.length; i++) {
                weighted[p] += u[i] * perExample[p][i];
            }
        }
        return weighted;
    }

    private static double[] column(double[][] matrix, int q) {
        double[] column = new double[matrix.length];
        for (int p = 0; p < matrix.length; p++) {
            column[p] = matrix[p][q];
        }
        return column;
    }

    private static double[][] columns(int n, Random random) {
        double[][] columns = new double[4][n];
        for (int i = 0; i < n; i++) {
            double margin = 0.5;
            for (int j = 0; j < 3; j++) {
                columns[j][i] = random.nextGaussian();
                margin += (j - 1) * columns[j][i];
            }
            columns[3][i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : -1;
        }
        return columns;
    }
}
