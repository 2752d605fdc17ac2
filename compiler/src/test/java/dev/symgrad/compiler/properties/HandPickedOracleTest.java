package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Losses whose gradients are known in closed form, written out by hand in each test (the oracle), and
 * the conventions at non-differentiable points, which follow JAX. Every loss goes through the full
 * pipeline, class verification included, and batch results are checked by both routes.
 */
class HandPickedOracleTest {

    private static final double TIGHT = 1e-12;

    private static CompiledLoss compile(String source, List<String> parameters, List<String> inputs) {
        return CompiledProgram.compile(source, parameters, inputs).loss();
    }

    /** |expected − actual| ≤ relative · max(1, |expected|), element by element. */
    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    @Nested
    class LogisticRegression {
        private final CompiledLoss loss = compile("Math.log1p(Math.exp(-y * (w * x + b)))", List.of("w", "b"),
                List.of("x", "y"));

        /** σ(z) = 1 / (1 + e^-z); d/dm log(1 + e^-m) = -σ(-m) with margin m = y(wx + b). */
        private double[] gradient(double w, double b, double x, double y) {
            double sigmoidOfMinusMargin = 1 / (1 + Math.exp(y * (w * x + b)));
            return new double[] {-y * x * sigmoidOfMinusMargin, -y * sigmoidOfMinusMargin};
        }

        @ParameterizedTest
        @CsvSource({"0.5, -0.25, 1.5, 1", "0.5, -0.25, 1.5, -1", "-2, 3, 0.125, 1", "0, 0, 7, -1", "10, 1, 3, -1"})
        void gradientIsMinusYTimesSigmoidOfMinusMargin(double w, double b, double x, double y) {
            double[] params = {w, b};
            double[] example = {x, y};
            assertEquals(Math.log1p(Math.exp(-y * (w * x + b))), loss.loss(params, example), TIGHT);
            assertClose(gradient(w, b, x, y), loss.gradient(params, example), TIGHT, "gradient");
        }

        @Test
        void bothRoutesSumThePerExampleGradients() {
            double[] params = {0.75, -0.5};
            double[][] columns = {{1.0, -2.0, 0.5, 3.0, -1.5}, {1, -1, -1, 1, 1}};
            double[] expected = new double[2];
            for (int i = 0; i < columns[0].length; i++) {
                double[] g = gradient(params[0], params[1], columns[0][i], columns[1][i]);
                expected[0] += g[0];
                expected[1] += g[1];
            }
            assertClose(expected, loss.sumOfPerExampleGradients(params, columns), TIGHT, "route (a)");
            assertClose(expected, loss.gradientOfSum(params, columns), TIGHT, "route (b)");
        }
    }

    @Nested
    class SquaredError {
        @ParameterizedTest
        @ValueSource(strings = {
                "(w * x + b - y) * (w * x + b - y)",
                "Math.pow(w * x + b - y, 2)",
                "(y - b - x * w) * (y - b - x * w)",
        })
        void gradientIsTwiceTheResidualTimesTheInput(String source) {
            CompiledLoss loss = compile(source, List.of("w", "b"), List.of("x", "y"));
            double w = 1.25;
            double b = -0.5;
            double[][] columns = {{0.5, 2.0, -1.0, 4.0}, {1.0, 3.0, 0.25, -2.0}};
            double[] expected = new double[2];
            for (int i = 0; i < 4; i++) {
                double x = columns[0][i];
                double residual = w * x + b - columns[1][i];
                assertClose(new double[] {2 * residual * x, 2 * residual},
                        loss.gradient(new double[] {w, b}, new double[] {x, columns[1][i]}), TIGHT, source);
                expected[0] += 2 * residual * x;
                expected[1] += 2 * residual;
            }
            assertClose(expected, loss.sumOfPerExampleGradients(new double[] {w, b}, columns), TIGHT, "route (a)");
            assertClose(expected, loss.gradientOfSum(new double[] {w, b}, columns), TIGHT, "route (b)");
        }
    }

    @Nested
    class TanhNetworkWithTwoHiddenUnits {
        private static final String PREDICTION = "v1 * Math.tanh(w1 * x + b1) + v2 * Math.tanh(w2 * x + b2) + c";
        private final CompiledLoss loss = compile("(" + PREDICTION + " - y) * (" + PREDICTION + " - y)",
                List.of("w1", "b1", "w2", "b2", "v1", "v2", "c"), List.of("x", "y"));

        @Test
        void gradientIsBackpropagationWrittenOut() {
            double w1 = 0.5, b1 = -0.25, w2 = -1.5, b2 = 0.75, v1 = 2.0, v2 = -0.5, c = 0.125;
            double x = 0.8;
            double y = -0.3;
            double h1 = Math.tanh(w1 * x + b1);
            double h2 = Math.tanh(w2 * x + b2);
            double residual = v1 * h1 + v2 * h2 + c - y;
            double[] expected = {
                    2 * residual * v1 * (1 - h1 * h1) * x,
                    2 * residual * v1 * (1 - h1 * h1),
                    2 * residual * v2 * (1 - h2 * h2) * x,
                    2 * residual * v2 * (1 - h2 * h2),
                    2 * residual * h1,
                    2 * residual * h2,
                    2 * residual,
            };
            double[] params = {w1, b1, w2, b2, v1, v2, c};
            assertEquals(residual * residual, loss.loss(params, new double[] {x, y}), TIGHT);
            assertClose(expected, loss.gradient(params, new double[] {x, y}), TIGHT, "gradient");
            double[][] columns = {{x, x, x}, {y, y, y}};
            double[] threeTimes = new double[expected.length];
            for (int p = 0; p < expected.length; p++) {
                threeTimes[p] = 3 * expected[p];
            }
            assertClose(threeTimes, loss.sumOfPerExampleGradients(params, columns), TIGHT, "route (a)");
            assertClose(threeTimes, loss.gradientOfSum(params, columns), TIGHT, "route (b)");
        }
    }

    @Nested
    class PowWithParameterExponent {
        @Test
        void derivativeOfInputToTheParameterIsLogTimesPower() {
            CompiledLoss loss = compile("Math.pow(x, w)", List.of("w"), List.of("x"));
            double[] gradient = loss.gradient(new double[] {1.5}, new double[] {3.0});
            assertClose(new double[] {Math.log(3.0) * Math.pow(3.0, 1.5)}, gradient, TIGHT, "d/dw 3^w");
        }

        @Test
        void bothOperandsParameters() {
            CompiledLoss loss = compile("Math.pow(w, b)", List.of("w", "b"), List.of("x"));
            double[] gradient = loss.gradient(new double[] {2.0, 3.0}, new double[] {0.0});
            assertClose(new double[] {3.0 * 4.0, Math.log(2.0) * 8.0}, gradient, TIGHT, "gradient of w^b at (2, 3)");
        }
    }

    /** JAX's choices where the derivative does not exist (jax/_src/lax/lax.py). */
    @Nested
    class JaxConventions {
        private final List<String> wb = List.of("w", "b");
        private final List<String> xOnly = List.of("x");

        @ParameterizedTest
        @CsvSource({"0.0", "-0.0"})
        void absHasDerivativeOneAtZero(double w) {
            CompiledLoss loss = compile("Math.abs(w)", List.of("w"), xOnly);
            assertArrayEquals(new double[] {1.0}, loss.gradient(new double[] {w}, new double[] {0}));
        }

        @Test
        void maxTieGivesHalfToEachSide() {
            CompiledLoss loss = compile("Math.max(w, b)", wb, xOnly);
            assertArrayEquals(new double[] {0.5, 0.5}, loss.gradient(new double[] {1.5, 1.5}, new double[] {0}));
            assertArrayEquals(new double[] {1.0, 0.0}, loss.gradient(new double[] {2.0, 1.5}, new double[] {0}));
        }

        @Test
        void minTieGivesHalfToEachSide() {
            CompiledLoss loss = compile("Math.min(w * x, b)", wb, xOnly);
            assertArrayEquals(new double[] {1.0, 0.5}, loss.gradient(new double[] {1.0, 2.0}, new double[] {2.0}));
        }

        @Test
        void untakenBranchContributesNothingEvenWhereItsDerivativeIsNaN() {
            CompiledLoss loss = compile("x > 0 ? Math.sqrt(w) : 0", List.of("w"), xOnly);
            double[] w = {-1.0};
            assertEquals(0.0, loss.loss(w, new double[] {-1.0}));
            assertArrayEquals(new double[] {0.0}, loss.gradient(w, new double[] {-1.0}));
            double[][] columns = {{-1.0, -2.0, -0.5}};
            assertArrayEquals(new double[][] {{0.0, 0.0, 0.0}}, loss.perExampleGradients(w, columns));
            assertArrayEquals(new double[] {0.0}, loss.sumOfPerExampleGradients(w, columns));
            assertArrayEquals(new double[] {0.0}, loss.gradientOfSum(w, columns));
        }

        @Test
        void takenBranchStillPropagatesNaN() {
            CompiledLoss loss = compile("x > 0 ? Math.sqrt(w) : 0", List.of("w"), xOnly);
            assertEquals(Double.NaN, loss.gradient(new double[] {-1.0}, new double[] {1.0})[0]);
        }

        @Test
        void hypotAtTheOriginHasDerivativeZero() {
            CompiledLoss loss = compile("Math.hypot(w, b)", wb, xOnly);
            assertArrayEquals(new double[] {0.0, 0.0}, loss.gradient(new double[] {0.0, 0.0}, new double[] {0}));
        }

        @Test
        void powExponentDerivativeAtZeroBaseIsZero() {
            CompiledLoss loss = compile("Math.pow(w, b)", wb, xOnly);
            assertArrayEquals(new double[] {0.0, 0.0}, loss.gradient(new double[] {0.0, 2.0}, new double[] {0}));
        }

        /**
         * pow(w, 0) is 1 for every w, so ∂/∂w is 0 there, also at w = 0 where b·w^(b-1) is 0·∞. JAX gives 0
         * for an integer exponent and NaN for a floating-point one at base 0; symgrad's exponents are doubles.
         */
        @Test
        void powBaseDerivativeAtZeroExponentIsZeroEvenAtZeroBase() {
            CompiledLoss loss = compile("Math.pow(w, b)", wb, xOnly);
            assertArrayEquals(new double[] {0.0, 0.0}, loss.gradient(new double[] {0.0, 0.0}, new double[] {0}));
            assertArrayEquals(new double[] {0.0, Math.log(3.0)}, loss.gradient(new double[] {3.0, 0.0}, new double[] {0}));
            assertEquals(Double.POSITIVE_INFINITY, loss.gradient(new double[] {0.0, 0.5}, new double[] {0})[0]);
        }
    }

    /** Integer literal arithmetic is Java's; the expected values are computed by javac from the same text. */
    @Nested
    class IntegerArithmetic {
        private final List<String> w = List.of("w");
        private final List<String> x = List.of("x");

        @Test
        void integerDivisionTruncates() {
            double v = 3.0;
            assertEquals(1 / 2 + v, lossAt("1 / 2 + w", v));
            assertEquals(7 / 2 * v, lossAt("7 / 2 * w", v));
            assertArrayEquals(new double[] {7 / 2}, compile("7 / 2 * w", w, x).gradient(new double[] {v}, new double[] {0}));
            assertEquals(Math.max(7, 2) / 2 * v, lossAt("Math.max(7, 2) / 2 * w", v));
            assertEquals(Math.abs(-3) / 2 * v, lossAt("Math.abs(-3) / 2 * w", v));
        }

        @Test
        void intArithmeticWrapsAndLongDoesNot() {
            double v = 1.0;
            assertEquals((2147483647 + 1) * v, lossAt("(2147483647 + 1) * w", v));
            assertEquals((2147483647L + 1) * v, lossAt("(2147483647L + 1) * w", v));
        }

        private double lossAt(String source, double wValue) {
            return compile(source, w, x).loss(new double[] {wValue}, new double[] {0});
        }

        @Test
        void divisionOfIntegerConstantsByZeroIsACompileError() {
            CompileError error = assertThrows(CompileError.class, () -> compile("w + 1 / (2 - 2)", w, x));
            assertEquals("integer division by zero", error.reason());
        }

        @Test
        void doubleDivisionByZeroIsInfinity() {
            assertEquals(1 / 0.0, compile("w + 1 / 0.0", w, x).loss(new double[] {0}, new double[] {0}));
        }

        @Test
        void integerConditionalsStayIntegersThroughArithmetic() {
            double xValue = 1.0;
            double v = 0.5;
            double expected = (xValue > 0 ? 3 : 2) * 2 + Math.abs(xValue > 0 ? -1 : 4) * v;
            CompiledLoss loss = compile("(x > 0 ? 3 : 2) * 2 + Math.abs(x > 0 ? -1 : 4) * w", w, x);
            assertEquals(expected, loss.loss(new double[] {v}, new double[] {xValue}));
            assertArrayEquals(new double[] {Math.abs(xValue > 0 ? -1 : 4)},
                    loss.gradient(new double[] {v}, new double[] {xValue}));
        }

        @Test
        void integerDivisionOfAConditionalIsRefusedRatherThanComputedAsADouble() {
            CompileError error = assertThrows(CompileError.class, () -> compile("(x > 0 ? 1 : 2) / 2 + w", w, x));
            assertTrue(error.reason().startsWith("integer division of a value that is not a compile-time constant"),
                    error.reason());
        }

        @Test
        void constantConditionalWithIntegerBranchesIsAnInteger() {
            double expected = (true ? 1 : 2) / 2;
            assertEquals(expected, compile("(true ? 1 : 2) / 2 + w", w, x).loss(new double[] {0}, new double[] {0}));
        }
    }

    /** NaN flows through a loss as it does in Java. */
    @Nested
    class NotANumber {
        @Test
        void comparisonWithNaNIsFalseAsInJava() {
            double v = -1.0;
            double expected = Math.log(v) == 0 ? 1.0 : 2.0;
            CompiledLoss loss = compile("Math.log(w) == 0 ? 1.0 : 2.0", List.of("w"), List.of("x"));
            assertEquals(expected, loss.loss(new double[] {v}, new double[] {0}));
        }
    }

    @Nested
    class EmptyBatch {
        private final double[][] empty = {{}};

        @Test
        void routesAndTotalLossAreZero() {
            CompiledLoss loss = compile("(w * x - 1) * (w * x - 1) + w", List.of("w"), List.of("x"));
            assertArrayEquals(new double[] {0.0}, loss.sumOfPerExampleGradients(new double[] {2.0}, empty), 0.0);
            assertArrayEquals(new double[] {0.0}, loss.gradientOfSum(new double[] {2.0}, empty), 0.0);
            assertEquals(0.0, loss.totalLoss(new double[] {2.0}, empty), 0.0);
            assertArrayEquals(new double[0], loss.perExampleLosses(new double[] {2.0}, empty));
        }

        @Test
        void gradientOfSumIsZeroEvenWhereAParameterFactorIsNaN() {
            CompiledLoss loss = compile("Math.sqrt(w) * x", List.of("w"), List.of("x"));
            assertArrayEquals(new double[] {0.0}, loss.sumOfPerExampleGradients(new double[] {-1.0}, empty), 0.0);
            assertArrayEquals(new double[] {0.0}, loss.gradientOfSum(new double[] {-1.0}, empty), 0.0);
        }

        @Test
        void totalLossIsZeroEvenWhereAParameterTermIsNaN() {
            CompiledLoss loss = compile("Math.sqrt(w) + x", List.of("w"), List.of("x"));
            assertEquals(0.0, loss.totalLoss(new double[] {-1.0}, empty), 0.0);
        }
    }

    @Nested
    class Interpreter {
        @Test
        void batchValueSumsOverTheColumns() {
            LossProgram program = new LossCompiler().compile("w * x", List.of("w"), List.of("x"));
            double[][] columns = {{1.0, 2.0, 4.0}};
            assertEquals(3.0 * 7.0, Evaluator.batchValue(program.totalLoss(), new double[] {3.0}, columns));
        }
    }
}
