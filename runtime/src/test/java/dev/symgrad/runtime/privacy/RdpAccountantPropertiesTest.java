package dev.symgrad.runtime.privacy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties the accountant must have whatever the numbers: more noise never costs more privacy, more
 * steps or a larger sample rate never cost less, and sampling cannot be worse than no sampling.
 */
class RdpAccountantPropertiesTest {

    private static final double DELTA = 1e-5;

    /** Room for rounding in ε (the series are summed to a relative e^-30, far below this). */
    private static boolean atMost(double smaller, double larger) {
        return smaller <= larger + 1e-9 * Math.abs(larger) + 1e-12;
    }

    private static double epsilon(double sampleRate, double noiseMultiplier, long steps) {
        return RdpAccountant.privacySpent(sampleRate, noiseMultiplier, steps, DELTA).epsilon();
    }

    @Property(tries = 60)
    void epsilonDecreasesAsTheNoiseMultiplierGrows(@ForAll("sampleRates") double sampleRate,
            @ForAll @DoubleRange(min = 0.5, max = 10) double noiseMultiplier,
            @ForAll @DoubleRange(min = 1.0, max = 2.0) double factor, @ForAll @LongRange(min = 1, max = 100_000) long steps) {
        double noisier = epsilon(sampleRate, noiseMultiplier * factor, steps);
        double original = epsilon(sampleRate, noiseMultiplier, steps);
        assertTrue(atMost(noisier, original), noisier + " > " + original);
    }

    @Property(tries = 60)
    void epsilonGrowsWithTheSteps(@ForAll("sampleRates") double sampleRate,
            @ForAll @DoubleRange(min = 0.5, max = 10) double noiseMultiplier,
            @ForAll @LongRange(min = 1, max = 100_000) long steps, @ForAll @LongRange(min = 1, max = 100_000) long more) {
        double fewer = epsilon(sampleRate, noiseMultiplier, steps);
        double longer = epsilon(sampleRate, noiseMultiplier, steps + more);
        assertTrue(atMost(fewer, longer), fewer + " > " + longer);
    }

    @Property(tries = 60)
    void epsilonGrowsWithTheSampleRate(@ForAll("sampleRates") double sampleRate,
            @ForAll @DoubleRange(min = 1.0, max = 3.0) double factor,
            @ForAll @DoubleRange(min = 0.5, max = 10) double noiseMultiplier,
            @ForAll @LongRange(min = 1, max = 100_000) long steps) {
        double smaller = epsilon(sampleRate, noiseMultiplier, steps);
        double larger = epsilon(Math.min(1.0, sampleRate * factor), noiseMultiplier, steps);
        assertTrue(atMost(smaller, larger), smaller + " > " + larger);
    }

    @Property(tries = 100)
    void samplingNeverCostsMoreThanThePlainGaussianMechanism(@ForAll("sampleRatesUpToOne") double sampleRate,
            @ForAll @DoubleRange(min = 0.5, max = 20) double noiseMultiplier, @ForAll("orders") double order) {
        double plain = order / (2 * noiseMultiplier * noiseMultiplier);
        double sampled = SampledGaussianRdp.rdp(sampleRate, noiseMultiplier, 1, order);
        assertTrue(atMost(sampled, plain), sampled + " > " + plain);
    }

    /**
     * As q → 1 the general series (not the q = 1 shortcut) must reach the Gaussian mechanism's α/(2σ²),
     * for integer and fractional orders alike.
     */
    @Property(tries = 100)
    void almostCertainSamplingIsThePlainGaussianMechanism(@ForAll @DoubleRange(min = 0.5, max = 20) double noiseMultiplier,
            @ForAll("orders") double order) {
        double plain = order / (2 * noiseMultiplier * noiseMultiplier);
        assertEquals(plain, SampledGaussianRdp.rdp(1 - 1e-12, noiseMultiplier, 1, order), 1e-9 * plain);
        assertEquals(plain, SampledGaussianRdp.rdp(1.0, noiseMultiplier, 1, order));
    }

    /** Log-uniform on [10⁻⁴, 10^-0.53 ≈ 0.3], the range of DP-SGD practice. */
    @Provide
    Arbitrary<Double> sampleRates() {
        return Arbitraries.doubles().between(-4, -0.53).ofScale(4).map(exponent -> Math.pow(10, exponent));
    }

    /** Log-uniform on [10⁻⁵, 10^-0.005 ≈ 0.99]. */
    @Provide
    Arbitrary<Double> sampleRatesUpToOne() {
        return Arbitraries.doubles().between(-5, -0.005).ofScale(4).map(exponent -> Math.pow(10, exponent));
    }

    @Provide
    Arbitrary<Double> orders() {
        double[] orders = RdpAccountant.defaultOrders();
        return Arbitraries.integers().between(0, orders.length - 1).map(k -> orders[k]);
    }
}
