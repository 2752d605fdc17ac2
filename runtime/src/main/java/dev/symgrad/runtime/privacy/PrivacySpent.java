package dev.symgrad.runtime.privacy;

/**
 * An (ε, δ)-differential-privacy guarantee obtained from Rényi DP, with the Rényi order that gave the
 * smallest ε.
 *
 * <p>If {@code optimalOrder} is the smallest or the largest order that was tried, a wider range of orders
 * may give a smaller ε (Opacus prints a warning in that case).
 *
 * @param epsilon the ε spent, at least 0; {@code +∞} when there is no privacy (noise multiplier 0)
 * @param delta the δ it was computed for
 * @param optimalOrder the order α at which ε was attained ({@code NaN} if no order gave a number)
 */
public record PrivacySpent(double epsilon, double delta, double optimalOrder) {}
