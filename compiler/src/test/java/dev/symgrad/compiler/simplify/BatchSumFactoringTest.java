package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.UnaryOp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What does not change between examples leaves the batch sum; what does, stays inside. */
class BatchSumFactoringTest {

    private final RuleFixture t = new RuleFixture(new BatchSumFactoring());

    private Expr sum(Expr summand) {
        return t.f.batchSum(summand);
    }

    @Nested
    class PullsOut {

        @Test
        void aParameterFactor() {
            assertEquals("w * sum(x)", t.simplified(sum(t.mul(t.w, t.x))));
            assertEquals("w * b * sum(x)", t.simplified(sum(t.mul(t.mul(t.w, t.b), t.x))));
        }

        @Test
        void aParameterDivisor() {
            assertEquals("sum(x) / w", t.simplified(sum(t.div(t.x, t.w))));
        }

        @Test
        void aNegation() {
            assertEquals("-sum(x)", t.simplified(sum(t.neg(t.x))));
        }

        @Test
        void aSummandWithoutInputsAsNTimesIt() {
            assertEquals("N * w", t.simplified(sum(t.w)));
            assertEquals("N * Math.exp(w * b)", t.simplified(sum(t.call(UnaryOp.EXP, t.mul(t.w, t.b)))));
        }

        @Test
        void aParameterTerm() {
            assertEquals("N * w + sum(x)", t.simplified(sum(t.add(t.w, t.x))));
            assertEquals("sum(x) - N * w", t.simplified(sum(t.sub(t.x, t.w))));
        }

        @Test
        void aConditionalWhoseTestHasNoInputs() {
            assertEquals("w > 0.0 ? sum(x) : 2.0 * sum(x)",
                    t.simplified(sum(t.when(t.greater(t.w, t.c(0)), t.x, t.mul(t.c(2), t.x)))));
        }

        @Test
        void levelByLevelUntilNothingIsLeft() {
            assertEquals("w * (b * sum(x))", t.simplified(sum(t.mul(t.w, t.mul(t.b, t.x)))));
        }
    }

    @Nested
    class KeepsInside {

        @Test
        void factorsThatDependOnInputs() {
            for (Expr e : List.of(sum(t.mul(t.x, t.y)), sum(t.div(t.w, t.x)), sum(t.call(UnaryOp.EXP, t.mul(t.w, t.x))),
                    sum(t.mul(t.x, t.mul(t.w, t.x))), sum(t.pow(t.x, t.w)), sum(t.x))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }

        @Test
        void conditionalsWhoseTestReadsAnInput() {
            Expr e = sum(t.when(t.greater(t.x, t.c(0)), t.w, t.b));
            assertEquals("sum(x > 0.0 ? w : b)", RuleFixture.print(e));
            assertSame(e, t.simplify(e));
        }

        @Test
        void perExampleExpressions() {
            Expr e = t.mul(t.w, t.x);
            assertSame(e, t.simplify(e));
        }
    }

    @Test
    void keepsBatchValuesUpToRounding() {
        for (Expr e : List.of(sum(t.mul(t.w, t.x)), sum(t.mul(t.mul(t.w, t.b), t.x)), sum(t.div(t.x, t.w)), sum(t.neg(t.x)),
                sum(t.w), sum(t.add(t.w, t.x)), sum(t.sub(t.x, t.w)), sum(t.mul(t.w, t.mul(t.b, t.x))),
                sum(t.when(t.greater(t.w, t.c(0)), t.x, t.mul(t.c(2), t.x))))) {
            t.assertKeepsBatchValues(e, 1e-13);
        }
    }

    @Test
    void anEmptyBatchSumsToZeroBothWays() {
        Expr e = sum(t.add(t.w, t.x));
        double[][] empty = {new double[0], new double[0]};
        double[] params = {2.0, 3.0};
        assertEquals(0.0, RuleFixture.batchValue(e, params, empty));
        assertEquals(0.0, RuleFixture.batchValue(t.simplify(e), params, empty));
    }
}
