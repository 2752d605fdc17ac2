package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Negations move outward or into subtractions; IEEE rounding is symmetric, so values are bit-identical. */
class NegationPropagationTest {

    private final RuleFixture t = new RuleFixture(new NegationPropagation());

    @Nested
    class IntoSubtraction {

        @Test
        void addingANegation() {
            assertEquals("w - b", t.simplified(t.add(t.w, t.neg(t.b))));
        }

        @Test
        void aNegationPlusSomething() {
            assertEquals("x - w", t.simplified(t.add(t.neg(t.w), t.x)));
        }

        @Test
        void subtractingANegation() {
            assertEquals("w + b", t.simplified(t.sub(t.w, t.neg(t.b))));
        }
    }

    @Nested
    class OutOfProductsAndQuotients {

        @Test
        void aNegatedFactorOnEitherSide() {
            assertEquals("-(w * b)", t.simplified(t.mul(t.neg(t.w), t.b)));
            assertEquals("-(w * b)", t.simplified(t.mul(t.w, t.neg(t.b))));
        }

        @Test
        void twoNegatedFactorsCancel() {
            assertEquals("w * x", t.simplified(t.mul(t.neg(t.w), t.neg(t.x))));
        }

        @Test
        void aNegatedDividendOrDivisor() {
            assertEquals("-(w / x)", t.simplified(t.div(t.neg(t.w), t.x)));
            assertEquals("-(w / x)", t.simplified(t.div(t.w, t.neg(t.x))));
            assertEquals("w / x", t.simplified(t.div(t.neg(t.w), t.neg(t.x))));
        }

        @Test
        void throughSeveralLevels() {
            assertEquals("-(w * b * x)", t.simplified(t.mul(t.mul(t.neg(t.w), t.b), t.x)));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onFunctionsOrWithoutNegations() {
            for (Expr e : List.of(t.f.binary(BinaryOp.MAX, t.neg(t.w), t.b), t.pow(t.neg(t.w), t.c(2)),
                    t.f.binary(BinaryOp.HYPOT, t.neg(t.w), t.x), t.neg(t.w), t.sub(t.w, t.b), t.sub(t.neg(t.w), t.b),
                    t.mul(t.w, t.b))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesBitForBit() {
        List<Expr> rewritten = List.of(t.add(t.w, t.neg(t.b)), t.add(t.neg(t.w), t.x), t.sub(t.w, t.neg(t.b)),
                t.mul(t.neg(t.w), t.b), t.mul(t.w, t.neg(t.b)), t.mul(t.neg(t.w), t.neg(t.x)), t.div(t.neg(t.w), t.x),
                t.div(t.w, t.neg(t.x)), t.div(t.neg(t.w), t.neg(t.x)), t.mul(t.mul(t.neg(t.w), t.b), t.x));
        double[][][] points = {{{0.7, -0.3}, {1.5, 2.0}}, {{0.0, -0.0}, {-0.0, 0.0}}, {{-0.0, 3.0}, {0.1, 1e308}},
                {{1e308, 1e308}, {-1e-308, 5e-324}}};
        for (Expr e : rewritten) {
            Expr simplified = t.simplify(e);
            for (double[][] p : points) {
                assertEquals(Evaluator.value(e, p[0], p[1]), Evaluator.value(simplified, p[0], p[1]),
                        () -> RuleFixture.print(e));
            }
        }
    }
}
