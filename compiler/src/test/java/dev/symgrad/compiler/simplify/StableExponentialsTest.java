package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.UnaryOp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The overflowing patterns become {@code StableMath.logaddexp} and {@code StableMath.sigmoid}, keeping
 * every finite value up to rounding; other expressions are left alone.
 */
class StableExponentialsTest {

    private final RuleFixture t = new RuleFixture(new StableExponentials());

    private Expr exp(Expr a) {
        return t.call(UnaryOp.EXP, a);
    }

    @Nested
    class Rewrites {

        @Test
        void softplusWrittenWithLog1p() {
            Expr softplus = t.call(UnaryOp.LOG1P, exp(t.mul(t.w, t.x)));
            assertEquals("StableMath.logaddexp(0.0, w * x)", t.simplified(softplus));
            t.assertKeepsValues(softplus, 4e-16);
        }

        @Test
        void softplusWrittenWithLogOfOnePlusExp() {
            Expr softplus = t.call(UnaryOp.LOG, t.add(t.c(1), exp(t.w)));
            assertEquals("StableMath.logaddexp(0.0, w)", t.simplified(softplus));
            t.assertKeepsValues(softplus, 4e-16);
        }

        @Test
        void logSumExpOfWrittenOutTermsWithAPositiveConstant() {
            Expr lse = t.call(UnaryOp.LOG, t.add(t.add(exp(t.w), exp(t.mul(t.b, t.x))), t.c(2)));
            // Three terms: shifted by their (clamped) maximum, which the printed form shows as it is computed.
            String m = "Math.max(-1.7976931348623157E308, Math.min(1.7976931348623157E308,"
                    + " Math.max(Math.max(0.6931471805599453, w), b * x)))";
            assertEquals(m + " + Math.log(Math.exp(0.6931471805599453 - " + m + ") + Math.exp(w - " + m
                    + ") + Math.exp(b * x - " + m + "))", t.simplified(lse));
            t.assertKeepsValues(lse, 1e-15);
        }

        @Test
        void sigmoidWrittenAsExpOverOnePlusExp() {
            Expr sigmoid = t.div(exp(t.w), t.add(exp(t.w), t.c(1)));
            assertEquals("StableMath.sigmoid(w)", t.simplified(sigmoid));
            t.assertKeepsValues(sigmoid, 4e-16);
        }

        @Test
        void sigmoidWrittenAsOneOverOnePlusExpOfTheNegation() {
            Expr sigmoid = t.div(t.c(1), t.add(t.c(1), exp(t.neg(t.w))));
            assertEquals("StableMath.sigmoid(-(-w))", t.simplified(sigmoid));
            t.assertKeepsValues(sigmoid, 4e-16);
        }

        @Test
        void logOfASigmoidAndOfOneMinusIt() {
            Expr sigmoid = t.call(UnaryOp.SIGMOID, t.x);
            assertEquals("-StableMath.logaddexp(0.0, -x)", t.simplified(t.call(UnaryOp.LOG, sigmoid)));
            assertEquals("-StableMath.logaddexp(0.0, x)", t.simplified(t.call(UnaryOp.LOG, t.sub(t.c(1), sigmoid))));
            t.assertKeepsValues(t.call(UnaryOp.LOG, sigmoid), 4e-16);
            t.assertKeepsValues(t.call(UnaryOp.LOG, t.sub(t.c(1), sigmoid)), 1e-15);
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onALogOfASumWithATermThatIsNotAnExponential() {
            Expr mixed = t.call(UnaryOp.LOG, t.add(exp(t.w), t.x));
            assertEquals(RuleFixture.print(mixed), t.simplified(mixed));
        }

        @Test
        void onALogOfASumOfConstantsAlone() {
            Expr constants = t.call(UnaryOp.LOG, t.add(t.c(1), t.c(2)));
            assertEquals(RuleFixture.print(constants), t.simplified(constants));
        }

        @Test
        void onALogOfANonPositiveConstantPlusAnExponential() {
            Expr shifted = t.call(UnaryOp.LOG, t.add(exp(t.w), t.c(-1)));
            assertEquals(RuleFixture.print(shifted), t.simplified(shifted));
        }

        @Test
        void onAQuotientWhoseNumeratorIsAnotherExponential() {
            Expr other = t.div(exp(t.b), t.add(t.c(1), exp(t.w)));
            assertEquals(RuleFixture.print(other), t.simplified(other));
        }

        @Test
        void onLog1pOfSomethingElse() {
            Expr plain = t.call(UnaryOp.LOG1P, t.mul(t.w, t.x));
            assertEquals(RuleFixture.print(plain), t.simplified(plain));
        }
    }
}
