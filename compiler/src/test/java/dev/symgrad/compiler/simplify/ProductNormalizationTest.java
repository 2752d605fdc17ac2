package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A product of up to eight factors becomes {@code coefficient * parameter part * input part}. */
class ProductNormalizationTest {

    private final RuleFixture t = new RuleFixture(new ProductNormalization());

    /** The left-leaning product of {@code factors}, in the given order (the factory may swap operands). */
    private Expr product(List<Expr> factors) {
        Expr result = factors.get(0);
        for (Expr factor : factors.subList(1, factors.size())) {
            result = t.mul(result, factor);
        }
        return result;
    }

    @Nested
    class KeepsSharedWork {

        @Test
        void aSharedDataProductStaysOneFactor() {
            // Reverse mode's shape: d/db = adj and d/dw = adj * x share the adjoint adj = x * y * y.
            Expr adjoint = t.mul(t.mul(t.x, t.y), t.y);
            List<Expr> roots = t.simplifyTogether(List.of(adjoint, t.mul(adjoint, t.x)));
            assertEquals("x * (y * (x * y))", RuleFixture.print(roots.get(1)));
            assertSame(roots.get(0), ((dev.symgrad.compiler.ir.Binary) roots.get(1)).right());
        }

        @Test
        void aSharedProductWithAParameterIsStillFlattened() {
            // (w*x)*(w*x) must still become w*w*(x*x), so that route (b) can take w*w out of the sum.
            Expr shared = t.mul(t.w, t.x);
            List<Expr> roots = t.simplifyTogether(List.of(t.mul(shared, shared), t.mul(shared, t.x)));
            assertEquals("w * w * (x * x)", RuleFixture.print(roots.get(0)));
            assertEquals("w * (x * x)", RuleFixture.print(roots.get(1)));
        }

        @Test
        void aSharedProductWithAConstantIsStillFlattened() {
            Expr twice = t.mul(t.c(2), t.sub(t.x, t.y));
            List<Expr> roots = t.simplifyTogether(List.of(twice, t.mul(twice, t.x)));
            assertEquals("2.0 * (x * (x - y))", RuleFixture.print(roots.get(1)));
        }
    }

    @Nested
    class Normalizes {

        @Test
        void theSeedLoss() {
            assertEquals("w * w * (x * x)", t.simplified(t.mul(t.mul(t.w, t.x), t.mul(t.w, t.x))));
        }

        @Test
        void aCoefficientBindsToTheParameterPart() {
            assertEquals("2.0 * w * (x * x)", t.simplified(t.mul(t.mul(t.c(2), t.mul(t.w, t.x)), t.x)));
        }

        @Test
        void constantsFoldIntoOneCoefficient() {
            assertEquals("6.0 * w * x", t.simplified(t.mul(t.mul(t.x, t.c(3)), t.mul(t.w, t.c(2)))));
            assertEquals("w", t.simplified(t.mul(t.mul(t.c(2), t.c(0.5)), t.w)));
            assertEquals("6.0", t.simplified(t.mul(t.c(2), t.c(3))));
        }

        @Test
        void signsMoveToTheFront() {
            assertEquals("w * x", t.simplified(t.mul(t.neg(t.w), t.neg(t.x))));
            assertEquals("-(w * x)", t.simplified(t.mul(t.neg(t.x), t.w)));
            assertEquals("-2.0 * w * x", t.simplified(t.mul(t.neg(t.x), t.mul(t.c(2), t.w))));
        }

        @Test
        void parametersBeforeInputs() {
            assertEquals("w * b * (x * y)", t.simplified(t.mul(t.mul(t.x, t.w), t.mul(t.y, t.b))));
        }

        @Test
        void exactlyEightFactors() {
            Expr eight = product(List.of(t.x, t.w, t.x, t.w, t.x, t.w, t.x, t.w));
            // Each partial product is built by the factory, which puts the lone variable first.
            assertEquals("w * (w * (w * w)) * (x * (x * (x * x)))", t.simplified(eight));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onANormalProduct() {
            for (Expr e : List.of(t.mul(t.w, t.x), t.mul(t.c(2), t.w), t.mul(t.mul(t.c(2), t.w), t.x),
                    t.mul(t.mul(t.w, t.w), t.mul(t.x, t.x)), t.add(t.w, t.x))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }

        @Test
        void onMoreThanEightFactors() {
            // Asked directly: through the simplifier the sub-products of up to eight would be normalized first.
            Expr nine = product(List.of(t.x, t.w, t.x, t.w, t.x, t.w, t.x, t.w, t.x));
            assertNull(new ProductNormalization().rewrite(nine, t.f));
        }
    }

    @Test
    void keepsValuesUpToRounding() {
        for (Expr e : List.of(t.mul(t.mul(t.w, t.x), t.mul(t.w, t.x)), t.mul(t.mul(t.c(2), t.mul(t.w, t.x)), t.x),
                t.mul(t.mul(t.x, t.c(3)), t.mul(t.w, t.c(2))), t.mul(t.neg(t.x), t.mul(t.c(2), t.w)),
                t.mul(t.mul(t.x, t.w), t.mul(t.y, t.b)), product(List.of(t.x, t.w, t.x, t.w, t.x, t.w, t.x, t.w)))) {
            t.assertKeepsValues(e, 1e-14);
        }
    }
}
