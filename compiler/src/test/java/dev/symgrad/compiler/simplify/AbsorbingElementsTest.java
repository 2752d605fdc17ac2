package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.UnaryOp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code x*0 → 0}, {@code pow(x,0) → 1}, and no {@code 0/x → 0}. */
class AbsorbingElementsTest {

    private final RuleFixture t = new RuleFixture(new AbsorbingElements());

    @Nested
    class Absorbs {

        @Test
        void aFactorOfZeroOfEitherSign() {
            assertEquals("0.0", t.simplified(t.mul(t.w, t.c(0))));
            assertEquals("0.0", t.simplified(t.mul(t.call(UnaryOp.EXP, t.x), t.c(0))));
            assertEquals("0.0", t.simplified(t.mul(t.w, t.c(-0.0))));
        }

        @Test
        void aPowerOfZero() {
            assertEquals("1.0", t.simplified(t.pow(t.w, t.c(0))));
            assertEquals("1.0", t.simplified(t.pow(t.w, t.c(-0.0))));
        }

        @Test
        void zerosUpward() {
            assertEquals("0.0 + w", t.simplified(t.add(t.w, t.mul(t.x, t.mul(t.b, t.c(0))))));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onZeroDividedByAnythingButAConstant() {
            // 0/x is NaN at x = 0, a finite input; constant folding handles a constant divisor.
            Expr e = t.div(t.c(0), t.add(t.w, t.x));
            assertSame(e, t.simplify(e));
            double[] params = {1.0, 0.0};
            double[] inputs = {-1.0, 0.0};
            assertEquals(Double.NaN, Evaluator.value(t.simplify(e), params, inputs));
        }

        @Test
        void onDivisionByZeroOrAZeroBase() {
            for (Expr e : List.of(t.div(t.w, t.c(0)), t.pow(t.c(0), t.w), t.add(t.w, t.c(0)), t.mul(t.w, t.c(1)),
                    t.sub(t.c(0), t.w))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesForFiniteOperands() {
        for (Expr e : List.of(t.mul(t.w, t.c(0)), t.mul(t.w, t.c(-0.0)), t.pow(t.w, t.c(0)),
                t.add(t.w, t.mul(t.x, t.mul(t.b, t.c(0)))))) {
            t.assertKeepsValues(e);
        }
    }

    @Test
    void aPowerOfZeroIsOneEvenForNaNAsInJava() {
        Expr e = t.pow(t.w, t.c(0));
        double[] nan = {Double.NaN, 0.0};
        assertEquals(Evaluator.value(e, nan, new double[2]), Evaluator.value(t.simplify(e), nan, new double[2]));
    }
}
