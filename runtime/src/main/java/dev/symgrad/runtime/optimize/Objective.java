package dev.symgrad.runtime.optimize;

/**
 * A smooth function to minimize: its value at {@code x} and, written to {@code gradient}, its gradient.
 * For a compiled loss over a batch, {@code (x, g) -> { loss.gradientOfSumInto(x, columns, g); return
 * loss.totalLoss(x, columns); }}.
 */
@FunctionalInterface
public interface Objective {

    /** Returns f(x) and writes ∇f(x) to {@code gradient} (length of x); must not keep either array. */
    double valueAndGradient(double[] x, double[] gradient);
}
