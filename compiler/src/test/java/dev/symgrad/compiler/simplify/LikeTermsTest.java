package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Terms that differ only in a constant coefficient are collected, also one level into a sum. */
class LikeTermsTest {

    private final RuleFixture t = new RuleFixture(new LikeTerms());

    @Nested
    class Collects {

        @Test
        void aTermAddedToItself() {
            assertEquals("2.0 * w", t.simplified(t.add(t.w, t.w)));
        }

        @Test
        void coefficientsOnBothSides() {
            assertEquals("2.0 * w", t.simplified(t.sub(t.mul(t.c(3), t.w), t.w)));
            assertEquals("5.0 * x", t.simplified(t.add(t.mul(t.c(3), t.x), t.mul(t.c(2), t.x))));
        }

        @Test
        void negationsAsCoefficientMinusOne() {
            assertEquals("-2.0 * w", t.simplified(t.sub(t.neg(t.w), t.w)));
            assertEquals("-w", t.simplified(t.sub(t.mul(t.c(2), t.w), t.mul(t.c(3), t.w))));
        }

        @Test
        void toZeroForATermMinusItself() {
            assertEquals("0.0", t.simplified(t.sub(t.mul(t.w, t.x), t.mul(t.x, t.w))));
            assertEquals("0.0", t.simplified(t.add(t.w, t.neg(t.w))));
        }

        @Test
        void intoTheRightOperandOfALeftSum() {
            // (w + x*y) - x*y: the inner right term cancels; no other rule removes the zero.
            Expr xy = t.mul(t.x, t.y);
            assertEquals("0.0 + w", t.simplified(t.sub(t.add(t.w, xy), xy)));
            assertEquals("w + -2.0 * (x * y)", t.simplified(t.sub(t.sub(t.w, xy), xy)));
        }

        @Test
        void intoTheLeftOperandOfALeftDifference() {
            Expr xy = t.mul(t.x, t.y);
            assertEquals("0.0 - w", t.simplified(t.sub(t.sub(xy, t.w), xy)));
            assertEquals("2.0 * (x * y) - w", t.simplified(t.sub(t.sub(t.mul(t.c(3), xy), t.w), xy)));
        }

        @Test
        void intoARightSum() {
            // The factory orders b before (b + w*x), so the accumulated term ends up on the right.
            assertEquals("2.0 * b + w * x", t.simplified(t.add(t.add(t.wTimesX(), t.b), t.b)));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onDifferentMonomials() {
            for (Expr e : List.of(t.add(t.w, t.b), t.add(t.mul(t.c(2), t.w), t.mul(t.c(3), t.b)),
                    t.add(t.mul(t.w, t.w), t.w), t.sub(t.w, t.x), t.mul(t.w, t.w))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }

        @Test
        void moreThanOneLevelIntoASum() {
            Expr deep = t.add(t.add(t.add(t.w, t.x), t.y), t.w);
            assertEquals("w + (y + (w + x))", RuleFixture.print(deep));
            assertSame(deep, t.simplify(deep));
        }
    }

    @Test
    void keepsValuesUpToRounding() {
        Expr xy = t.mul(t.x, t.y);
        for (Expr e : List.of(t.add(t.w, t.w), t.sub(t.mul(t.c(3), t.w), t.w), t.add(t.mul(t.c(3), t.x), t.mul(t.c(2), t.x)),
                t.sub(t.neg(t.w), t.w), t.sub(t.mul(t.w, t.x), t.mul(t.x, t.w)), t.sub(t.add(t.w, xy), xy),
                t.sub(t.sub(t.w, xy), xy), t.sub(t.sub(xy, t.w), xy), t.add(t.add(t.wTimesX(), t.b), t.b))) {
            t.assertKeepsValues(e, 1e-12);
        }
    }
}
