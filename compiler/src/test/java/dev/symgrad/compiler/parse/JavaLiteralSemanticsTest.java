package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Constants mean what they mean in Java: integer arithmetic stays integer (and wraps), literals are
 * decoded by the JLS, and only then does the loss become {@code double}. Each case states the Java
 * value the loss must have, computed here by javac itself where possible.
 */
class JavaLiteralSemanticsTest {

    private static final List<String> W = List.of("w");
    private static final List<String> X = List.of("x");

    private static CompiledLoss compile(String source) {
        return Symgrad.compile(source, W, X);
    }

    /** The value of a constant loss (it depends on neither w nor x). */
    private static double constant(String source) {
        CompiledLoss loss = compile(source);
        assertEquals("0.0", loss.derivative("w"), () -> source + " should not depend on w");
        return loss.loss(new double[] {0.25}, new double[] {-3.5});
    }

    @Nested
    class IntegerDivision {

        @Test
        void oneHalfIsZero() {
            assertEquals(0.0, constant("1/2"));
            assertEquals("w", compile("1/2 + w").expression());
        }

        @Test
        void threeHalvesTimesXIsX() {
            CompiledLoss loss = compile("3/2*x + w");
            assertEquals("w + x", loss.expression());
            assertEquals(5.25, loss.loss(new double[] {0.25}, new double[] {5.0}));
        }

        @Test
        void aDoubleOperandMakesItDoubleDivision() {
            assertEquals(0.5, constant("1.0/2"));
            assertEquals(0.5, constant("1/2.0"));
            assertEquals("0.5 * w", compile("1.0/2*w").expression());
        }

        @Test
        void integerDivisionHappensBeforeConversion() {
            assertEquals(1 / 2 * 2.0, constant("1 / 2 * 2.0"));
            assertEquals(1 / 2.0 * 2, constant("1 / 2.0 * 2"));
        }

        @Test
        void truncatesTowardZero() {
            assertEquals(7 / -2, constant("7 / -2"));
            assertEquals(-7 / 2, constant("-7 / 2"));
        }

        @Test
        void divisionOfMinValueByMinusOneWrapsLikeJava() {
            assertEquals(Integer.MIN_VALUE / -1, constant("-2147483648 / -1"));
            assertEquals(Long.MIN_VALUE / -1L, constant("-9223372036854775808L / -1"));
        }
    }

    @Nested
    class IntegerLiterals {

        @ParameterizedTest
        @CsvSource(delimiter = ';', value = {
                "0x10; 16", "1_000; 1000", "1__0; 10", "2L; 2", "07; 7", "0b101; 5",
                "0xFFFFFFFF; -1", "037777777777; -1", "0b11111111111111111111111111111111; -1",
                "0x80000000; -2147483648", "2147483648L; 2147483648", "0xFFFFFFFFFFFFFFFFL; -1"})
        void decodesLikeJava(String literal, long javaValue) {
            assertEquals((double) javaValue, constant(literal), literal);
        }

        @Test
        void acceptsMinValueAsTheOperandOfMinus() {
            assertEquals(Integer.MIN_VALUE, constant("-2147483648"));
            assertEquals(Integer.MIN_VALUE, constant("- 2147483648"));
            assertEquals((double) Long.MIN_VALUE, constant("-9223372036854775808L"));
        }

        @Test
        void printsScaledParametersWithTheDecodedValue() {
            assertEquals("16.0 * w", compile("0x10 * w").expression());
            assertEquals("1000.0 * w", compile("1_000 * w").expression());
            assertEquals("2.0 * w", compile("2L * w").expression());
        }
    }

    @Nested
    class Overflow {

        @Test
        void intAdditionWraps() {
            assertEquals(2147483647 + 1, constant("2147483647 + 1"));
            assertEquals(-2147483648 - 1, constant("-2147483648 - 1"));
        }

        @Test
        void intMultiplicationWraps() {
            assertEquals(46341 * 46341, constant("46341 * 46341"));
        }

        @Test
        void aLongOperandWidensBeforeTheOperation() {
            assertEquals(2147483647 + 1L, constant("2147483647 + 1L"));
            assertEquals(2 * 3L, constant("2*3L"));
            assertEquals(9223372036854775807L + 1, constant("9223372036854775807L + 1"));
        }
    }

    @Nested
    class FloatingPointLiterals {

        @Test
        void roundsFloatLiteralsToFloatFirst() {
            assertEquals((double) 0.1f, constant("0.1f"));
            assertEquals("0.10000000149011612 * w", compile("0.1f * w").expression());
        }

        @ParameterizedTest
        @CsvSource(delimiter = ';', value = {"1e-3; 0.001", "0x1p3; 8.0", "0x1.8p1; 3.0", "01.5; 1.5", "1d; 1.0",
                "1D; 1.0", "1_0.5e1_0; 1.05E11", ".5; 0.5", "5.; 5.0"})
        void decodesLikeJava(String literal, double javaValue) {
            assertEquals(javaValue, constant(literal), literal);
        }

        @Test
        void mixedFloatAndIntArithmeticIsNotInteger() {
            assertEquals(2.5, constant("5f/2"));
            assertEquals(2.5, constant("5/2f"));
        }

        @Test
        void divisionByADoubleZeroIsInfinity() {
            assertEquals(Double.POSITIVE_INFINITY, constant("1.0 / 0"));
            assertEquals("(1.0 / 0.0) * w", compile("1.0 / 0 * w").expression());
        }

        @Test
        void floatConstantArithmeticRoundsToFloat() {
            assertEquals((double) (0.1f + 0.2f), constant("0.1f + 0.2f"));
            assertEquals((double) (1 / 3f), constant("1 / 3f"));
        }
    }

    @Nested
    class IntegerOverloadsOfMath {

        @Test
        void absAndMaxOfIntegersAreIntegers() {
            assertEquals(Math.abs(-3) / Math.max(1, 2), constant("Math.abs(-3) / Math.max(1, 2)"));
            assertEquals(Math.min(5, 3) / 2, constant("Math.min(5, 3) / 2"));
        }

        @Test
        void aDoubleArgumentSelectsTheDoubleOverload() {
            assertEquals(Math.abs(-3.0) / Math.max(1, 2), constant("Math.abs(-3.0) / Math.max(1, 2)"));
            assertEquals(Math.max(1, 2.0), constant("Math.max(1, 2.0)"));
        }

        @Test
        void longArgumentsSelectTheLongOverload() {
            assertEquals(Math.max(1, 2L) / 4, constant("Math.max(1, 2L) / 4"));
            assertEquals((double) Math.abs(-9223372036854775808L), constant("Math.abs(-9223372036854775808L)"));
        }

        @Test
        void absOfMinValueOverflowsLikeJava() {
            assertEquals(Math.abs(-2147483648), constant("Math.abs(-2147483648)"));
            assertEquals(Math.max(2147483647, 1) + 1, constant("Math.max(2147483647, 1) + 1"));
        }

        @Test
        void absOfAVariableIsTheDoubleFunction() {
            assertEquals("Math.abs(w)", compile("Math.abs(w)").expression());
        }
    }

    @Nested
    class MathConstantsAndStrictMath {

        @Test
        void piAndEAreTheJavaConstants() {
            assertEquals("3.141592653589793 * w", compile("Math.PI * w").expression());
            assertEquals(Math.E, constant("Math.E"));
            assertEquals(Math.PI, constant("StrictMath.PI"));
        }

        @Test
        void strictMathExpCompilesLikeMathExp() {
            CompiledLoss strict = compile("StrictMath.exp(w * x)");
            CompiledLoss plain = compile("Math.exp(w * x)");
            assertEquals(plain.expression(), strict.expression());
            assertEquals(plain.derivative("w"), strict.derivative("w"));
            double[] params = {0.75};
            double[] example = {-1.25};
            assertEquals(plain.loss(params, example), strict.loss(params, example));
        }

        @Test
        void comparisonsOfConstantsFoldToTheTakenBranch() {
            assertEquals("w", compile("1 < 2 ? w : x").expression());
            assertEquals("x", compile("1 / 2 > 0 ? w : x").expression());
        }
    }
}
