package dev.symgrad.runtime.privacy;

/**
 * The Rényi differential privacy (RDP) of the sampled Gaussian mechanism: each example is included
 * independently with probability q (Poisson sampling), the included examples' contributions, each of L2
 * norm at most C, are summed, and Gaussian noise of standard deviation σ·C is added; σ is the noise
 * multiplier. Neighbouring datasets differ by adding or removing one example.
 *
 * <p>The computation is Mironov, Talwar and Zhang, "Rényi Differential Privacy of the Sampled Gaussian
 * Mechanism" (2019, arXiv:1908.10530, Section 3.3), transcribed from Opacus
 * ({@code opacus/accountants/analysis/rdp.py}: {@code _compute_rdp}, {@code _compute_log_a_for_int_alpha},
 * {@code _compute_log_a_for_frac_alpha}), itself TensorFlow Privacy's {@code rdp_accountant.py}. With
 * μ₀ = N(0, σ²) and μ₁ = N(1, σ²), the RDP of one step at order α is
 *
 * <pre>
 *   RDP(α) = log(A_α) / (α - 1),   A_α = E_{z ~ μ₀} [ ((1 - q) + q·μ₁(z)/μ₀(z))^α ]
 * </pre>
 *
 * computed in log space:
 *
 * <ul>
 *   <li>integer α: {@code A_α = Σ_{i=0..α} binom(α, i)·q^i·(1-q)^(α-i)·exp((i² - i) / (2σ²))};
 *   <li>fractional α: A_α is split at {@code z₀ = σ²·log(1/q - 1) + 1/2} into two series over i = 0, 1, …,
 *       with generalized binomial coefficients (which change sign past α) and j = α - i:
 *       <pre>
 *   A₀ = Σ binom(α, i)·q^i·(1-q)^j·exp((i² - i) / (2σ²))·erfc((i - z₀) / (√2·σ)) / 2
 *   A₁ = Σ binom(α, i)·q^j·(1-q)^i·exp((j² - j) / (2σ²))·erfc((z₀ - j) / (√2·σ)) / 2
 *       </pre>
 *       summed until both terms fall below {@code e^-30}; {@code A_α = A₀ + A₁}.
 * </ul>
 *
 * The special cases are Opacus': q = 0 gives 0; σ = 0 gives +∞ (no privacy); q = 1 gives the plain
 * Gaussian mechanism's {@code α / (2σ²)}; an infinite order gives +∞. RDP composes additively, so
 * {@code steps} identical steps cost {@code steps · RDP(α)}. Since {@code A_α >= 1}, a value rounded below
 * 0 is returned as 0.
 *
 * <p>One deliberate difference: {@code log(1 - q)} is computed as {@code log1p(-q)}, the same value but
 * exact to the last digit when q is tiny.
 */
public final class SampledGaussianRdp {

    /** Series terms below {@code e^-30} end the fractional-order sum (Opacus' stopping rule). */
    private static final double NEGLIGIBLE_LOG_TERM = -30.0;

    private SampledGaussianRdp() {}

    /**
     * The RDP at order {@code order} of {@code steps} steps of the sampled Gaussian mechanism (Opacus'
     * {@code compute_rdp} for one order).
     *
     * @param sampleRate q, the probability that an example is in a step's batch, in [0, 1]
     * @param noiseMultiplier σ, the noise standard deviation divided by the clipping norm, at least 0
     * @param steps the number of steps, at least 0
     * @param order α, greater than 1 ({@code +∞} allowed)
     * @return the RDP, at least 0, possibly {@code +∞}
     */
    public static double rdp(double sampleRate, double noiseMultiplier, long steps, double order) {
        checkMechanism(sampleRate, noiseMultiplier, steps);
        checkOrder(order, "order");
        return steps == 0 ? 0.0 : oneStep(sampleRate, noiseMultiplier, order) * steps;
    }

    /** The RDP of {@code steps} steps at each of {@code orders} (Opacus' and TF Privacy's {@code compute_rdp}). */
    public static double[] rdp(double sampleRate, double noiseMultiplier, long steps, double[] orders) {
        checkMechanism(sampleRate, noiseMultiplier, steps);
        if (orders == null) {
            throw new IllegalArgumentException("orders is null");
        }
        for (int k = 0; k < orders.length; k++) {
            checkOrder(orders[k], "orders[" + k + "]");
        }
        double[] rdp = new double[orders.length];
        if (steps > 0) {
            for (int k = 0; k < orders.length; k++) {
                rdp[k] = oneStep(sampleRate, noiseMultiplier, orders[k]) * steps;
            }
        }
        return rdp;
    }

    private static double oneStep(double q, double sigma, double alpha) {
        if (q == 0.0) {
            return 0.0;
        }
        if (sigma == 0.0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1.0) {
            return alpha / (2.0 * sigma * sigma);
        }
        if (Double.isInfinite(alpha)) {
            return Double.POSITIVE_INFINITY;
        }
        // A_α >= 1, so the RDP is at least 0; only rounding could take it below.
        return Math.max(0.0, logA(q, sigma, alpha) / (alpha - 1.0));
    }

    /** {@code log(A_α)} for {@code 0 < q < 1}, σ > 0 and finite α > 1. */
    static double logA(double q, double sigma, double alpha) {
        if (alpha == Math.rint(alpha) && alpha <= Integer.MAX_VALUE - 1) {
            return logAForIntegerOrder(q, sigma, (int) alpha);
        }
        return logAForFractionalOrder(q, sigma, alpha);
    }

    private static double logAForIntegerOrder(double q, double sigma, int alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoSigmaSquared = 2.0 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0.0; // log C(alpha, 0)
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinomial += Math.log(alpha - i + 1.0) - Math.log(i);
            }
            double logCoefficient = logBinomial + i * logQ + (alpha - i) * logOneMinusQ;
            double term = logCoefficient + ((double) i * i - i) / twoSigmaSquared;
            logA = LogSpace.add(logA, term);
        }
        return logA;
    }

    private static double logAForFractionalOrder(double q, double sigma, double alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoSigmaSquared = 2.0 * sigma * sigma;
        double sqrtTwoSigma = Math.sqrt(2.0) * sigma;
        double z0 = sigma * sigma * Math.log(1.0 / q - 1.0) + 0.5;
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        // The generalized binomial coefficient C(alpha, i) as its log magnitude and its sign.
        double logAbsBinomial = 0.0;
        boolean binomialPositive = true;
        for (int i = 0; ; i++) {
            if (i > 0) {
                double factor = alpha - i + 1.0;
                logAbsBinomial += Math.log(Math.abs(factor)) - Math.log(i);
                if (factor < 0) {
                    binomialPositive = !binomialPositive;
                }
            }
            double j = alpha - i;
            double logT0 = logAbsBinomial + i * logQ + j * logOneMinusQ;
            double logT1 = logAbsBinomial + j * logQ + i * logOneMinusQ;
            double logE0 = Math.log(0.5) + Erfc.log((i - z0) / sqrtTwoSigma);
            double logE1 = Math.log(0.5) + Erfc.log((z0 - j) / sqrtTwoSigma);
            double logS0 = logT0 + ((double) i * i - i) / twoSigmaSquared + logE0;
            double logS1 = logT1 + (j * j - j) / twoSigmaSquared + logE1;
            if (Double.isNaN(logS0) || Double.isNaN(logS1)) {
                throw new ArithmeticException("RDP series term is NaN at i = " + i + " (q = " + q + ", sigma = "
                        + sigma + ", alpha = " + alpha + ")");
            }
            if (binomialPositive) {
                logA0 = LogSpace.add(logA0, logS0);
                logA1 = LogSpace.add(logA1, logS1);
            } else {
                logA0 = LogSpace.subtract(logA0, logS0);
                logA1 = LogSpace.subtract(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < NEGLIGIBLE_LOG_TERM) {
                return LogSpace.add(logA0, logA1);
            }
        }
    }

    static void checkMechanism(double sampleRate, double noiseMultiplier, long steps) {
        if (!(sampleRate >= 0.0 && sampleRate <= 1.0)) {
            throw new IllegalArgumentException("sample rate must be in [0, 1], got " + sampleRate);
        }
        if (!(noiseMultiplier >= 0.0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and at least 0, got "
                    + noiseMultiplier);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be at least 0, got " + steps);
        }
    }

    static void checkOrder(double order, String name) {
        if (!(order > 1.0)) {
            throw new IllegalArgumentException(name + " must be a Rényi order greater than 1, got " + order);
        }
    }
}
