package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.JavaPrinter;
import dev.symgrad.compiler.ir.UnaryOp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Operators on constants become their value, computed by the method the generated code would call. */
class ConstantFoldingTest {

    private final RuleFixture t = new RuleFixture(new ConstantFolding());

    @Nested
    class Folds {

        @Test
        void arithmeticOnConstants() {
            assertEquals("5.0", t.simplified(t.add(t.c(2), t.c(3))));
            assertEquals("-1.0", t.simplified(t.sub(t.c(2), t.c(3))));
            assertEquals("0.75", t.simplified(t.div(t.c(3), t.c(4))));
            assertEquals("-2.0", t.simplified(t.neg(t.c(2))));
        }

        @Test
        void functionsWithTheSameMathMethod() {
            assertEquals(JavaPrinter.literal(Math.sin(1.0)), t.simplified(t.call(UnaryOp.SIN, t.c(1.0))));
            assertEquals(JavaPrinter.literal(Math.log1p(1e-10)), t.simplified(t.call(UnaryOp.LOG1P, t.c(1e-10))));
            assertEquals("1024.0", t.simplified(t.f.binary(BinaryOp.POW, t.c(2), t.c(10))));
            assertEquals("5.0", t.simplified(t.f.binary(BinaryOp.HYPOT, t.c(3), t.c(4))));
        }

        @Test
        void nestedConstantSubtreesInOnePass() {
            assertEquals("3.0 * w", t.simplified(t.mul(t.add(t.c(1), t.c(2)), t.w)));
            assertEquals("Math.exp(6.0 * w)",
                    t.simplified(t.call(UnaryOp.EXP, t.mul(t.mul(t.c(2), t.c(3)), t.w))));
        }

        @Test
        void divisionByZeroToInfinityAndNaN() {
            assertEquals("(1.0 / 0.0)", t.simplified(t.div(t.c(1), t.c(0))));
            assertEquals("(-1.0 / 0.0)", t.simplified(t.div(t.c(-1), t.c(0))));
            assertEquals("(0.0 / 0.0)", t.simplified(t.div(t.c(0), t.c(0))));
        }

        @Test
        void aConditionalWithAConstantTestToItsBranch() {
            assertEquals("w", t.simplified(t.when(t.f.bool(true), t.w, t.x)));
            assertEquals("x", t.simplified(t.when(t.f.bool(false), t.w, t.x)));
        }

        @Test
        void aConditionalWhoseComparisonOfConstantsFolds() {
            assertEquals("w", t.simplified(t.when(t.f.compare(CompareOp.LT, t.c(1), t.c(2)), t.w, t.x)));
            assertEquals("x", t.simplified(t.when(t.f.compare(CompareOp.EQ, t.c(0.0), t.c(0.0 / 0.0)), t.w, t.x)));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onExpressionsWithVariables() {
            for (Expr e : List.of(t.add(t.c(1), t.w), t.call(UnaryOp.EXP, t.w), t.when(t.greater(t.x, t.c(0)), t.w, t.b),
                    t.mul(t.c(2), t.mul(t.c(3), t.w)))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesExactly() {
        t.assertKeepsValues(t.mul(t.add(t.c(1), t.c(2)), t.call(UnaryOp.EXP, t.mul(t.c(0.5), t.w))));
        t.assertKeepsValues(t.add(t.call(UnaryOp.TANH, t.c(0.3)), t.div(t.x, t.f.binary(BinaryOp.MAX, t.c(2), t.c(-1)))));
        t.assertKeepsValues(t.when(t.f.compare(CompareOp.GE, t.c(1), t.c(1)), t.mul(t.w, t.x), t.b));
    }
}
