package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code pow(x, n)} for n in {-2, -1, 2, 3, 4} becomes multiplications, {@code pow(x, 0.5)} a square root. */
class IntegerPowersTest {

    private final RuleFixture t = new RuleFixture(new IntegerPowers());

    @Nested
    class Rewrites {

        @Test
        void squareCubeAndFourthPower() {
            assertEquals("w * w", t.simplified(t.pow(t.w, t.c(2))));
            assertEquals("w * (w * w)", t.simplified(t.pow(t.w, t.c(3))));
            assertEquals("w * w * (w * w)", t.simplified(t.pow(t.w, t.c(4))));
        }

        @Test
        void negativePowersAsOneDivision() {
            assertEquals("1.0 / w", t.simplified(t.pow(t.w, t.c(-1))));
            assertEquals("1.0 / (w * w)", t.simplified(t.pow(t.w, t.c(-2))));
        }

        @Test
        void halfPowerAsSquareRoot() {
            assertEquals("Math.sqrt(w + x)", t.simplified(t.pow(t.add(t.w, t.x), t.c(0.5))));
        }

        @Test
        void sharesTheBaseInsteadOfCopyingIt() {
            Expr base = t.add(t.w, t.x);
            assertEquals("(w + x) * (w + x)", t.simplified(t.pow(base, t.c(2))));
        }
    }

    @Nested
    class DoesNotFire {

        @Test
        void onOtherExponentsOrNonConstantExponents() {
            for (Expr e : List.of(t.pow(t.w, t.c(5)), t.pow(t.w, t.c(2.5)), t.pow(t.w, t.c(-3)), t.pow(t.w, t.c(-0.5)),
                    t.pow(t.w, t.b), t.pow(t.c(2), t.w), t.pow(t.w, t.c(1)), t.pow(t.w, t.c(0)))) {
                assertSame(e, t.simplify(e), () -> RuleFixture.print(e));
            }
        }
    }

    @Test
    void keepsValuesUpToRoundingForFiniteBases() {
        for (double n : new double[] {2, 3, 4, -1, -2}) {
            t.assertKeepsValues(t.pow(t.add(t.w, t.x), t.c(n)), 1e-15);
        }
        t.assertKeepsValues(t.pow(t.mul(t.x, t.x), t.c(0.5)), 1e-15);
    }
}
