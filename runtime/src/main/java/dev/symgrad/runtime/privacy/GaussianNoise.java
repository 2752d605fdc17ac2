package dev.symgrad.runtime.privacy;

import java.util.SplittableRandom;

/**
 * Standard normal samples by the Box–Muller transform of a {@link SplittableRandom}'s doubles, with
 * {@link StrictMath} so that a seed gives the same bits on every JVM and platform (the JDK's own
 * {@code nextGaussian} algorithm is not specified to stay the same across releases).
 */
final class GaussianNoise {

    private static final double TWO_PI = 2.0 * Math.PI;

    private GaussianNoise() {}

    /**
     * Fills {@code out} with independent N(0, 1) samples. Each pair of entries uses two doubles u₁, u₂
     * of {@code random}: {@code r = sqrt(-2 log(1 - u₁))}, then {@code r cos(2π u₂)} and
     * {@code r sin(2π u₂)}; for an odd length the last sine is dropped.
     */
    static void fill(SplittableRandom random, double[] out) {
        for (int k = 0; k < out.length; k += 2) {
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - random.nextDouble())); // 1 - u₁ in (0, 1]
            double angle = TWO_PI * random.nextDouble();
            out[k] = radius * StrictMath.cos(angle);
            if (k + 1 < out.length) {
                out[k + 1] = radius * StrictMath.sin(angle);
            }
        }
    }
}
