package dev.symgrad.compiler.source;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.runtime.CompiledLoss;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's 64→32→10 tanh network, compiled from the method exactly as written: its loss equals the
 * Java method, and its gradient (2,410 partial derivatives) equals Hipparchus' forward mode
 * ({@link Gradient}) and central differences of the Java method, on random points.
 */
class NetworkMethodTest {

    static final String SOURCE = """
            class Network {
                static double mlp(double[][] V, double[] c, double[][] W, double[] b, double[] x, double[] y) {
                    double[] h = new double[32];
                    for (int m = 0; m < 32; m++) {
                        double a = c[m];
                        for (int j = 0; j < 64; j++) a += V[m][j] * x[j];
                        h[m] = Math.tanh(a);
                    }
                    double sumExp = 0, dot = 0;
                    for (int k = 0; k < 10; k++) {
                        double z = b[k];
                        for (int m = 0; m < 32; m++) z += W[k][m] * h[m];
                        sumExp += Math.exp(z);
                        dot += y[k] * z;               // y one-hot
                    }
                    return Math.log(sumExp) - dot;
                }
            }
            """;

    static final Map<String, List<Integer>> SHAPES = Map.of("V", List.of(32, 64), "c", List.of(32),
            "W", List.of(10, 32), "b", List.of(10), "x", List.of(64), "y", List.of(10));

    private static final int P = 32 * 64 + 32 + 10 * 32 + 10;

    private final CompiledLoss loss = Symgrad.compileMethod(SOURCE, "mlp", List.of("V", "c", "W", "b"), SHAPES);

    @Test
    void compilesToLoopsWithTheDeclaredShapes() {
        LossCompiler.MethodLoss method = new LossCompiler().compileMethod(SOURCE, "Network.java", "mlp",
                List.of("V", "c", "W", "b"), SHAPES);
        assertTrue(method.isIndexed());
        byte[] bytes = method.generateClass("Network", "Network.java", SOURCE, Backend.SCALAR);
        GeneratedClassVerifier.verify(bytes);
        // Independent of the extents (the 64→256→10 network's class has the same size); 50 KB with each
        // batch kernel's per-example values computed for blocks of examples (ExampleLanes) before each
        // example's own work.
        assertTrue(bytes.length < 60_000, "class of " + bytes.length + " bytes");
        assertEquals(P, loss.parameters().size());
        assertEquals(List.of(32, 64), loss.parameterShapes().get("V"));
        assertEquals(List.of(10), loss.inputShapes().get("y"));
        assertEquals("W[9][31]", loss.parameters().get(P - 11));
        // z_k feeds both Σ_k exp(z_k) and Σ_k y_k·z_k: it is one array, computed once (InvariantArrays).
        String printed = method.indexedProgram().printedLoss();
        assertEquals(1, printed.split("sum\\(m < 32", -1).length - 1, printed);
    }

    @Test
    void lossAndGradientMatchTheJavaMethodHipparchusAndCentralDifferences() {
        Random random = new Random(14);
        for (int point = 0; point < 5; point++) {
            double[] params = new double[P];
            for (int p = 0; p < P; p++) {
                params[p] = 0.3 * random.nextGaussian();
            }
            double[] example = new double[74];
            for (int j = 0; j < 64; j++) {
                example[j] = random.nextDouble();
            }
            example[64 + random.nextInt(10)] = 1;

            assertEquals(java(params, example), loss.loss(params, example), 1e-13 * Math.abs(java(params, example)));
            double[] gradient = loss.gradient(params, example);
            Gradient forward = forwardMode(params, example);
            assertEquals(forward.getValue(), loss.loss(params, example), 1e-12);
            for (int p = 0; p < P; p++) {
                double expected = forward.getPartialDerivative(p);
                assertEquals(expected, gradient[p], 1e-12 * Math.max(1, Math.abs(expected)), loss.parameters().get(p));
            }
            for (int p = 0; p < P; p += 7) {
                double h = 1e-6;
                double[] up = params.clone();
                double[] down = params.clone();
                up[p] += h;
                down[p] -= h;
                double difference = (java(up, example) - java(down, example)) / (2 * h);
                assertEquals(difference, gradient[p], 1e-7 * Math.max(1, Math.abs(difference)), loss.parameters().get(p));
            }
        }
    }

    @Test
    void theBatchRoutesAgreeOnDigitLikeData() {
        Random random = new Random(15);
        int n = 50;
        double[] params = new double[P];
        for (int p = 0; p < P; p++) {
            params[p] = 0.2 * random.nextGaussian();
        }
        double[][] columns = new double[74][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 64; j++) {
                columns[j][i] = random.nextInt(17) / 16.0;
            }
            columns[64 + random.nextInt(10)][i] = 1;
        }
        double[] routeA = loss.sumOfPerExampleGradients(params, columns);
        double[] routeB = loss.gradientOfSum(params, columns);
        assertArrayEquals(routeA, routeB, 1e-12);
        double[][] perExample = loss.perExampleGradients(params, columns);
        for (int p = 0; p < P; p += 13) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += perExample[p][i];
            }
            assertEquals(routeA[p], sum, 1e-12 * (1 + Math.abs(sum)));
        }
    }

    /** The method as javac would run it, on the flat layout. */
    private static double java(double[] p, double[] x) {
        double[] h = new double[32];
        for (int m = 0; m < 32; m++) {
            double a = p[2048 + m];
            for (int j = 0; j < 64; j++) {
                a += p[m * 64 + j] * x[j];
            }
            h[m] = Math.tanh(a);
        }
        double sumExp = 0;
        double dot = 0;
        for (int k = 0; k < 10; k++) {
            double z = p[2400 + k];
            for (int m = 0; m < 32; m++) {
                z += p[2080 + k * 32 + m] * h[m];
            }
            sumExp += Math.exp(z);
            dot += x[64 + k] * z;
        }
        return Math.log(sumExp) - dot;
    }

    /** The same arithmetic in Hipparchus' forward mode, every parameter a free variable. */
    private static Gradient forwardMode(double[] params, double[] x) {
        Gradient[] p = new Gradient[P];
        for (int k = 0; k < P; k++) {
            p[k] = Gradient.variable(P, k, params[k]);
        }
        Gradient[] h = new Gradient[32];
        for (int m = 0; m < 32; m++) {
            Gradient a = p[2048 + m];
            for (int j = 0; j < 64; j++) {
                a = a.add(p[m * 64 + j].multiply(x[j]));
            }
            h[m] = a.tanh();
        }
        Gradient sumExp = Gradient.constant(P, 0);
        Gradient dot = Gradient.constant(P, 0);
        for (int k = 0; k < 10; k++) {
            Gradient z = p[2400 + k];
            for (int m = 0; m < 32; m++) {
                z = z.add(p[2080 + k * 32 + m].multiply(h[m]));
            }
            sumExp = sumExp.add(z.exp());
            dot = dot.add(z.multiply(x[64 + k]));
        }
        return sumExp.log().subtract(dot);
    }
}
