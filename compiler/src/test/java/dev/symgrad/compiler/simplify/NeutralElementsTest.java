package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code x+0, x-0, x*1, x/1, pow(x,1) → x}; {@code 0-x, x*-1, x/-1 → -x}; {@code -(-x) → x}. */
class NeutralElementsTest {

    private final RuleFixture t = new RuleFixture(new NeutralElements());

    private List<Expr> rewritten() {
        return List.of(t.add(t.w, t.c(0)), t.add(t.c(0), t.w), t.add(t.w, t.c(-0.0)), t.sub(t.w, t.c(0)),
                t.sub(t.c(0), t.w), t.mul(t.w, t.c(1)), t.mul(t.w, t.c(-1)), t.div(t.w, t.c(1)), t.div(t.w, t.c(-1)),
                t.pow(t.w, t.c(1)), t.neg(t.neg(t.w)));
    }

    @Nested
    class Removes {

        @Test
        void anAddedZeroOnEitherSideOfEitherSign() {
            assertEquals("w", t.simplified(t.add(t.w, t.c(0))));
            assertEquals("w", t.simplified(t.add(t.c(0), t.w)));
            assertEquals("w", t.simplified(t.add(t.w, t.c(-0.0))));
        }

        @Test
        void aSubtractedZero() {
            assertEquals("w * x", t.simplified(t.sub(t.mul(t.w, t.x), t.c(0))));
        }

        @Test
        void aFactorOrDivisorOfOne() {
            assertEquals("w", t.simplified(t.mul(t.w, t.c(1))));
            assertEquals("w", t.simplified(t.div(t.w, t.c(1))));
        }

        @Test
        void aPowerOfOne() {
            assertEquals("w + x", t.simplified(t.pow(t.add(t.w, t.x), t.c(1))));
        }

        @Test
        void doubleNegation() {
            assertEquals("w", t.simplified(t.neg(t.neg(t.w))));
            assertEquals("-w", t.simplified(t.neg(t.neg(t.neg(t.w)))));
        }
    }

    @Nested
    class Negates {

        @Test
        void zeroMinusX() {
            assertEquals("-x", t.simplified(t.sub(t.c(0), t.x)));
        }

        @Test
        void timesOrDividedByMinusOne() {
            assertEquals("-w", t.simplified(t.mul(t.w, t.c(-1))));
            assertEquals("-w", t.simplified(t.div(t.w, t.c(-1))));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onOtherConstantsOrPositions() {
            for (Expr e : List.of(t.div(t.c(1), t.w), t.pow(t.c(1), t.w), t.mul(t.c(2), t.w), t.add(t.c(1), t.w),
                    t.f.binary(BinaryOp.MAX, t.c(0), t.w), t.f.binary(BinaryOp.MIN, t.c(1), t.w), t.sub(t.w, t.w),
                    t.neg(t.w), t.div(t.c(-1), t.w))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesExactly() {
        for (Expr e : rewritten()) {
            t.assertKeepsValues(e);
        }
    }

    @Test
    void differsAtMostInTheSignOfAZeroResult() {
        // 0.0 - 0.0 is 0.0 while -(0.0) is -0.0: the same number, as the rule's javadoc says.
        Expr e = t.sub(t.c(0), t.w);
        double before = Evaluator.value(e, new double[] {0.0, 0.0}, new double[] {0.0, 0.0});
        double after = Evaluator.value(t.simplify(e), new double[] {0.0, 0.0}, new double[] {0.0, 0.0});
        assertEquals(0.0, before);
        assertEquals(-0.0, after);
    }
}
