package dev.symgrad.runtime;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StableMathTest {

    /** The two-branch form the mask replaces: 1/(1 + e) for a >= 0, e/(1 + e) below, e = exp(-|a|). */
    private static double branchedSigmoid(double a) {
        double e = Math.exp(-Math.abs(a));
        return a >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    @Test
    void sigmoidGivesTheBitsOfTheTwoBranchFormEverywhere() {
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 36.7, -36.7, 709.8,
                -709.8, 745.2, -745.2, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN};
        for (double a : edges) {
            assertEquals(Double.doubleToLongBits(branchedSigmoid(a)), Double.doubleToLongBits(StableMath.sigmoid(a)),
                    "sigmoid(" + a + ")");
        }
        SplittableRandom random = new SplittableRandom(20);
        for (int i = 0; i < 1_000_000; i++) {
            double a = random.nextDouble(-50, 50) * Math.pow(10, random.nextInt(-5, 3));
            assertEquals(Double.doubleToLongBits(branchedSigmoid(a)), Double.doubleToLongBits(StableMath.sigmoid(a)),
                    "sigmoid(" + a + ")");
        }
        assertEquals(0.5, StableMath.sigmoid(-0.0));
        assertTrue(StableMath.sigmoid(-700) > 0 && StableMath.sigmoid(-800) == 0 && StableMath.sigmoid(800) == 1);
    }
}
