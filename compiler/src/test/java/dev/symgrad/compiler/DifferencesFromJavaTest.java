package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simplifier's departures from Java's value for finite inputs that README lists under
 * "Differences from Java", each pinned next to what Java computes from the same text, and the one it
 * no longer makes.
 */
class DifferencesFromJavaTest {

    private static final List<String> W = List.of("w");
    private static final List<String> X = List.of("x");

    private static CompiledLoss compile(String expression) {
        return Symgrad.compile(expression, W, X);
    }

    @Nested
    class ProductNormalization {

        @Test
        void regroupsTheSeedLossSoThatItOverflowsWhereJavasOrderDoesNot() {
            CompiledLoss loss = compile("(w * x) * (w * x)");
            double w = 1e200;
            double x = 1e-200;
            assertEquals(1.0, (w * x) * (w * x), 1e-15, "Java");
            // w * w * (x * x) = ∞ · 0.
            assertEquals(Double.NaN, loss.loss(new double[] {w}, new double[] {x}));
            assertEquals("2.0 * w * (x * x)", loss.derivative("w"));
            assertEquals(2e-200, 2 * (w * x) * x, 1e-215, "Java's chain rule, in the loss's order");
            // 2e200 · 0: x * x underflows.
            assertEquals(0.0, loss.gradient(new double[] {w}, new double[] {x})[0]);
        }

        @Test
        void agreesWithJavaWhileTheRegroupedProductsStayInRange() {
            CompiledLoss loss = compile("(w * x) * (w * x)");
            double w = 1e150;
            double x = 1e-150;
            assertEquals((w * x) * (w * x), loss.loss(new double[] {w}, new double[] {x}), 1e-15);
            assertEquals(2 * (w * x) * x, loss.gradient(new double[] {w}, new double[] {x})[0], 1e-164);
        }
    }

    @Nested
    class AbsorbingElements {

        @Test
        void zeroTimesAnInfiniteValueIsZeroWhereJavaGivesNaN() {
            // Math.exp(1000) overflows: Java computes ∞ · 0 = NaN.
            assertEquals(Double.NaN, Math.exp(1000.0) * 0 + 1.0);
            assertEquals(1.0, compile("Math.exp(x) * 0 + w").loss(new double[] {1.0}, new double[] {1000.0}));
        }

        @Test
        void zeroDividedByZeroIsNaNAsInJava() {
            CompiledLoss loss = compile("0 / x + w");
            assertEquals(Double.NaN, loss.loss(new double[] {1.0}, new double[] {0.0}));
            assertEquals(1.0, loss.loss(new double[] {1.0}, new double[] {2.0}));
        }
    }

    @Nested
    class SignedZeros {

        @Test
        void aZeroProductIsPositiveWhereJavasIsNegative() {
            double w = -1.0;
            assertEquals(Double.NEGATIVE_INFINITY, 1 / (w * 0), "Java: 1 / -0.0");
            assertEquals(Double.POSITIVE_INFINITY, compile("1 / (w * 0) + x").loss(new double[] {w}, new double[] {0}));
        }

        @Test
        void addingZeroKeepsANegativeZeroThatJavaWouldMakePositive() {
            double w = -0.0;
            assertEquals(Double.POSITIVE_INFINITY, 1 / (w + 0), "Java: -0.0 + 0 = +0.0");
            assertEquals(Double.NEGATIVE_INFINITY, compile("1 / (w + 0) + x").loss(new double[] {w}, new double[] {0}));
        }
    }
}
