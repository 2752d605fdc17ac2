package dev.symgrad.runtime;

/**
 * The overflow-free functions symgrad's simplifier puts in place of the patterns that overflow:
 * {@code log1p(exp(a))}, {@code log(exp(a) + exp(b))}, {@code exp(a) / (1 + exp(a))} (README,
 * "Overflow"). Generated classes call them; every exponential here is of a number at most 0, so it is
 * at most 1.
 */
public final class StableMath {

    private StableMath() {
    }

    /**
     * {@code log(e^a + e^b)} as {@code max(a, b) + log1p(e^-|a - b|)}: exact algebra
     * ({@code e^a + e^b = e^max · (1 + e^(min - max))}). NaN if either is NaN; {@code +∞} if either is
     * {@code +∞}; {@code b} if {@code a} is {@code -∞}, and the other way round. {@code logaddexp(a, 0)} is
     * softplus, {@code log1p(e^a)}.
     */
    public static double logaddexp(double a, double b) {
        double max = Math.max(a, b);
        if (Double.isInfinite(max)) {
            // ∞ - ∞ would be NaN: e^∞ + e^b is ∞, and e^-∞ + e^-∞ is 0.
            return max;
        }
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /**
     * The logistic function {@code 1 / (1 + e^-a)}, computed from {@code e^-|a|}: {@code 1/(1 + e)} for
     * {@code a >= 0}, {@code e/(1 + e)} below, so neither branch overflows (the textbook form is
     * {@code ∞/∞ = NaN} for {@code a < -709.8}). NaN at NaN.
     */
    public static double sigmoid(double a) {
        double e = Math.exp(-Math.abs(a));
        // The numerator is 1 where a's sign bit is clear, e where it is set (-0.0 takes e = 1, the same),
        // selected by a mask rather than a branch, which mispredicts on margins of random sign.
        long negative = Double.doubleToRawLongBits(a) >> 63;
        long one = Double.doubleToRawLongBits(1.0);
        return Double.longBitsToDouble(one ^ ((one ^ Double.doubleToRawLongBits(e)) & negative)) / (1.0 + e);
    }
}
