package dev.symgrad.benchmarks;

/**
 * One way of computing a workload's batch gradients, so that generated code, hand-written loops,
 * forward-mode AD and the interpreter are benchmarked through the same three calls. Columns and
 * parameters are ordered as in {@link Workload}; outputs are caller-owned.
 */
public interface GradientImplementation {

    /** Route (a) materialized: {@code out[p][i]}, the gradient of example i with respect to parameter p. */
    void perExampleGradients(double[] params, double[][] columns, double[][] out);

    /** Route (a) summed: the per-example gradients added up. */
    void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out);

    /** Route (b): the gradient of the summed loss. */
    void gradientOfSum(double[] params, double[][] columns, double[] out);
}
