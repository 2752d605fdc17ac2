package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code c ? a : a → a}. */
class SameBranchesTest {

    private final RuleFixture t = new RuleFixture(new SameBranches());

    @Nested
    class Collapses {

        @Test
        void aConditionalWithOneNodeInBothBranches() {
            assertEquals("w", t.simplified(t.when(t.greater(t.x, t.c(0)), t.w, t.w)));
        }

        @Test
        void branchesThatInterningMadeOneNode() {
            assertEquals("w * x", t.simplified(t.when(t.greater(t.x, t.c(0)), t.mul(t.w, t.x), t.mul(t.x, t.w))));
        }

        @Test
        void nestedConditionalsBottomUp() {
            Expr inner = t.when(t.greater(t.y, t.c(0)), t.w, t.w);
            assertEquals("w", t.simplified(t.when(t.greater(t.x, t.c(0)), inner, t.w)));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onDifferentBranches() {
            for (Expr e : List.of(t.when(t.greater(t.x, t.c(0)), t.w, t.b), t.when(t.greater(t.x, t.c(0)), t.w, t.neg(t.w)),
                    t.when(t.greater(t.x, t.c(0)), t.c(0.0), t.c(-0.0)))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesExactly() {
        t.assertKeepsValues(t.when(t.greater(t.x, t.c(0)), t.mul(t.w, t.x), t.mul(t.x, t.w)));
        t.assertKeepsValues(t.add(t.b, t.when(t.greater(t.x, t.w), t.w, t.w)));
    }
}
