package dev.symgrad.runtime.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * A Rényi-DP accountant for DP-SGD: records the steps of the sampled Gaussian mechanism that were run and
 * converts their composed RDP to the (ε, δ) spent, like Opacus' {@code RDPAccountant}
 * ({@code opacus/accountants/rdp.py}).
 *
 * <p>RDP of the steps is computed by {@link SampledGaussianRdp} at each of a set of orders α (by default
 * Opacus' {@link #defaultOrders()}) and added up (RDP composes additively). The conversion to (ε, δ) is
 * Opacus' {@code get_privacy_spent} ({@code opacus/accountants/analysis/rdp.py}), the improved conversion of
 * Balle et al., "Hypothesis Testing Interpretations and Renyi Differential Privacy" (AISTATS 2020,
 * arXiv:1905.09982, Theorem 21), minimized over the orders:
 *
 * <pre>
 *   ε = min over α of  RDP(α) - (log δ + log α) / (α - 1) + log((α - 1) / α)
 * </pre>
 *
 * Two refinements from TensorFlow Privacy's {@code dp_accounting} ({@code rdp_privacy_accountant.py},
 * {@code _compute_epsilon}), which change nothing unless the RDP is tiny: an order whose RDP r satisfies
 * {@code δ² + expm1(-r) > 0} gives ε = 0 (the KL divergence is at most r, and
 * {@code δ >= sqrt(1 - exp(-KL))} bounds the total variation, so (0, δ)-DP holds), and a negative minimum is
 * reported as 0. So zero steps, or q = 0, spend ε = 0, where Opacus would report a small positive ε.
 *
 * <p>Arguments are always (sample rate q, noise multiplier σ, ...) in that order, as in {@code compute_rdp};
 * a q above 1 is refused, which catches most swaps. Instances are not thread-safe.
 */
public final class RdpAccountant {

    /** Opacus' {@code DEFAULT_ALPHAS}: {@code [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64))}. */
    private static final double[] DEFAULT_ORDERS = defaultOrdersOnce();

    /** Opacus' {@code MAX_SIGMA} in {@code get_noise_multiplier}. */
    private static final double MAX_NOISE_MULTIPLIER = 1e6;

    /** Opacus' default {@code epsilon_tolerance} in {@code get_noise_multiplier}. */
    public static final double DEFAULT_EPSILON_TOLERANCE = 0.01;

    /** Consecutive steps with the same sample rate and noise multiplier. */
    public record Steps(double sampleRate, double noiseMultiplier, long count) {}

    private final List<Steps> history = new ArrayList<>();

    /** An accountant with no steps recorded. */
    public RdpAccountant() {}

    /** The 151 orders Opacus uses by default: 1.1, 1.2, …, 10.9, then 12, 13, …, 63 (a fresh copy). */
    public static double[] defaultOrders() {
        return DEFAULT_ORDERS.clone();
    }

    private static double[] defaultOrdersOnce() {
        double[] orders = new double[99 + 52];
        for (int x = 1; x < 100; x++) {
            orders[x - 1] = 1 + x / 10.0; // the same double arithmetic as Opacus, so the same orders
        }
        for (int order = 12; order < 64; order++) {
            orders[99 + order - 12] = order;
        }
        return orders;
    }

    /** Records one step of the sampled Gaussian mechanism (Opacus' {@code step}, arguments q first). */
    public void step(double sampleRate, double noiseMultiplier) {
        step(sampleRate, noiseMultiplier, 1);
    }

    /** Records {@code count} steps with the same sample rate and noise multiplier. */
    public void step(double sampleRate, double noiseMultiplier, long count) {
        SampledGaussianRdp.checkMechanism(sampleRate, noiseMultiplier, count);
        if (count == 0) {
            return;
        }
        int last = history.size() - 1;
        if (last >= 0 && history.get(last).sampleRate() == sampleRate
                && history.get(last).noiseMultiplier() == noiseMultiplier) {
            history.set(last, new Steps(sampleRate, noiseMultiplier, Math.addExact(history.get(last).count(), count)));
        } else {
            history.add(new Steps(sampleRate, noiseMultiplier, count));
        }
    }

    /** The steps recorded so far, consecutive equal steps merged. */
    public List<Steps> history() {
        return List.copyOf(history);
    }

    /** The composed RDP of all recorded steps at each of {@code orders}. */
    public double[] rdp(double[] orders) {
        double[] total = SampledGaussianRdp.rdp(0.0, 0.0, 0, orders); // validates orders; all zeros
        for (Steps steps : history) {
            double[] rdp = SampledGaussianRdp.rdp(steps.sampleRate(), steps.noiseMultiplier(), steps.count(), orders);
            for (int k = 0; k < total.length; k++) {
                total[k] += rdp[k];
            }
        }
        return total;
    }

    /** The (ε, δ) spent by the recorded steps, over the {@link #defaultOrders()}. */
    public PrivacySpent privacySpent(double delta) {
        return privacySpent(delta, DEFAULT_ORDERS);
    }

    /** The (ε, δ) spent by the recorded steps, minimized over {@code orders}. */
    public PrivacySpent privacySpent(double delta, double[] orders) {
        return privacySpentFromRdp(orders, rdp(orders), delta);
    }

    /** The ε spent by the recorded steps at {@code delta} (Opacus' {@code get_epsilon}). */
    public double epsilon(double delta) {
        return privacySpent(delta).epsilon();
    }

    /** The (ε, δ) spent by {@code steps} steps with sample rate q and noise multiplier σ, over the default orders. */
    public static PrivacySpent privacySpent(double sampleRate, double noiseMultiplier, long steps, double delta) {
        return privacySpentFromRdp(DEFAULT_ORDERS,
                SampledGaussianRdp.rdp(sampleRate, noiseMultiplier, steps, DEFAULT_ORDERS), delta);
    }

    /**
     * Converts RDP values to (ε, δ)-DP (Opacus' {@code get_privacy_spent}); see the class comment for the
     * formula. Orders where the formula gives {@code NaN} (an infinite order) are skipped, like NumPy's
     * {@code nanargmin}; the first order attaining the minimum wins.
     *
     * @param orders the Rényi orders, each greater than 1
     * @param rdp the RDP at each order, each at least 0 ({@code +∞} allowed)
     * @param delta δ, in (0, 1)
     */
    public static PrivacySpent privacySpentFromRdp(double[] orders, double[] rdp, double delta) {
        if (orders == null || rdp == null) {
            throw new IllegalArgumentException(orders == null ? "orders is null" : "rdp is null");
        }
        if (orders.length != rdp.length) {
            throw new IllegalArgumentException("orders has " + orders.length + " values but rdp has " + rdp.length);
        }
        if (orders.length == 0) {
            throw new IllegalArgumentException("orders is empty");
        }
        checkDelta(delta);
        double best = Double.NaN;
        double bestOrder = Double.NaN;
        for (int k = 0; k < orders.length; k++) {
            double order = orders[k];
            SampledGaussianRdp.checkOrder(order, "orders[" + k + "]");
            if (!(rdp[k] >= 0.0)) {
                throw new IllegalArgumentException("rdp[" + k + "] must be at least 0, got " + rdp[k]);
            }
            double epsilon = delta * delta + Math.expm1(-rdp[k]) > 0.0 ? 0.0
                    : rdp[k] - (Math.log(delta) + Math.log(order)) / (order - 1.0) + Math.log((order - 1.0) / order);
            if (!Double.isNaN(epsilon) && (Double.isNaN(best) || epsilon < best)) {
                best = epsilon;
                bestOrder = order;
            }
        }
        if (Double.isNaN(best)) {
            return new PrivacySpent(Double.POSITIVE_INFINITY, delta, Double.NaN);
        }
        return new PrivacySpent(Math.max(0.0, best), delta, bestOrder);
    }

    /**
     * The noise multiplier σ that keeps {@code steps} steps at sample rate q within
     * ({@code targetEpsilon}, δ), with the default tolerance (Opacus' {@code get_noise_multiplier}).
     */
    public static double noiseMultiplier(double targetEpsilon, double delta, double sampleRate, long steps) {
        return noiseMultiplier(targetEpsilon, delta, sampleRate, steps, DEFAULT_EPSILON_TOLERANCE);
    }

    /**
     * The noise multiplier σ that keeps {@code steps} steps at sample rate q within
     * ({@code targetEpsilon}, δ): Opacus' {@code get_noise_multiplier} ({@code opacus/accountants/utils.py}),
     * step for step. σ starts at 20 and doubles until ε is at most the target, then a bisection on
     * [0, σ] stops once the ε of the upper end is within {@code epsilonTolerance} below the target; that
     * upper end is returned, so its ε never exceeds the target.
     *
     * @throws IllegalArgumentException if even σ = 10⁶ spends more than the target
     */
    public static double noiseMultiplier(double targetEpsilon, double delta, double sampleRate, long steps,
            double epsilonTolerance) {
        if (!(targetEpsilon > 0.0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("target epsilon must be finite and greater than 0, got " + targetEpsilon);
        }
        checkDelta(delta);
        if (!(sampleRate > 0.0 && sampleRate <= 1.0)) {
            throw new IllegalArgumentException("sample rate must be in (0, 1], got " + sampleRate);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (!(epsilonTolerance > 0.0)) {
            throw new IllegalArgumentException("epsilon tolerance must be greater than 0, got " + epsilonTolerance);
        }
        double low = 0.0;
        double high = 10.0;
        double epsilonHigh = Double.POSITIVE_INFINITY;
        while (epsilonHigh > targetEpsilon) {
            high = 2.0 * high;
            epsilonHigh = privacySpent(sampleRate, high, steps, delta).epsilon();
            if (high > MAX_NOISE_MULTIPLIER) {
                throw new IllegalArgumentException("the privacy budget is too low: even noise multiplier " + high
                        + " spends epsilon " + epsilonHigh + " > " + targetEpsilon);
            }
        }
        while (targetEpsilon - epsilonHigh > epsilonTolerance) {
            double middle = (low + high) / 2.0;
            if (middle == low || middle == high) {
                break; // the interval cannot shrink further
            }
            double epsilon = privacySpent(sampleRate, middle, steps, delta).epsilon();
            if (epsilon < targetEpsilon) {
                high = middle;
                epsilonHigh = epsilon;
            } else {
                low = middle;
            }
        }
        return high;
    }

    static void checkDelta(double delta) {
        if (!(delta > 0.0 && delta < 1.0)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
    }
}
