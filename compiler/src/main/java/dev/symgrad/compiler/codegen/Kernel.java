package dev.symgrad.compiler.codegen;

/**
 * The static methods every generated class has, with their JVM descriptors. Arguments are unchecked:
 * {@code dev.symgrad.runtime.GeneratedLoss} checks them once and calls these.
 */
enum Kernel {
    /** {@code double computeLoss(double[] params, double[] example)} */
    LOSS("computeLoss", "([D[D)D", "lossKernel"),
    /** {@code void computeGradient(double[] params, double[] example, double[] out)} */
    GRADIENT("computeGradient", "([D[D[D)V", "gradientKernel"),
    /** {@code void computePerExampleLosses(double[] params, double[][] columns, int from, int to, double[] out)} */
    PER_EXAMPLE_LOSSES("computePerExampleLosses", "([D[[DII[D)V", "perExampleLossesKernel"),
    /** {@code double computeTotalLoss(double[] params, double[][] columns, int from, int to)} */
    TOTAL_LOSS("computeTotalLoss", "([D[[DII)D", "totalLossKernel"),
    /** {@code void computePerExampleGradients(double[] params, double[][] columns, int from, int to, double[][] out)} */
    PER_EXAMPLE_GRADIENTS("computePerExampleGradients", "([D[[DII[[D)V", "perExampleGradientsKernel"),
    /** {@code void computeSumOfPerExampleGradients(double[] params, double[][] columns, int from, int to, double[] out)} */
    SUM_OF_PER_EXAMPLE_GRADIENTS("computeSumOfPerExampleGradients", "([D[[DII[D)V", "sumOfPerExampleGradientsKernel"),
    /** {@code void computeGradientOfSum(double[] params, double[][] columns, int from, int to, double[] out)} */
    GRADIENT_OF_SUM("computeGradientOfSum", "([D[[DII[D)V", "gradientOfSumKernel"),
    /**
     * {@code void computeClippedGradientSum(double[] paramsAndClipNorm, double[][] columns, int from, int to,
     * double[] out)}: Σ g_i·min(1, C/‖g_i‖₂), with C after the parameters in the first array, into
     * {@code out[0..P-1]}, and in {@code out[P]} the number of examples whose norm {@code sqrt(Σ g²)}
     * cannot be trusted (it overflowed, is NaN, or underflowed with a tiny C); where that is not 0 the
     * runtime clips the range by its exact reference arithmetic instead.
     */
    CLIPPED_GRADIENT_SUM("computeClippedGradientSum", "([D[[DII[D)V", "clippedGradientSumKernel"),
    /** {@code void computePerExampleGradientNorms(double[] params, double[][] columns, int from, int to, double[] out)} */
    PER_EXAMPLE_GRADIENT_NORMS("computePerExampleGradientNorms", "([D[[DII[D)V", "perExampleGradientNormsKernel");

    // Argument slots of the static kernels (all static, so slot 0 is the first argument). Batch kernels
    // work on the examples from (inclusive) to (exclusive), so that a batch can be split across threads.
    static final int PARAMS = 0;
    static final int EXAMPLE = 1;
    static final int COLUMNS = 1;
    static final int SINGLE_OUT = 2;
    static final int FROM = 2;
    static final int TO = 3;
    static final int BATCH_OUT = 4;

    final String methodName;
    final String descriptor;
    final String bridgeName;

    Kernel(String methodName, String descriptor, String bridgeName) {
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.bridgeName = bridgeName;
    }

    boolean isBatch() {
        return this != LOSS && this != GRADIENT;
    }

    /** Batch kernels that sum over the examples. */
    boolean isReduction() {
        return this == TOTAL_LOSS || this == SUM_OF_PER_EXAMPLE_GRADIENTS || this == GRADIENT_OF_SUM
                || this == CLIPPED_GRADIENT_SUM;
    }

    /** Map kernels whose single output per example goes to a {@code double[]} (not one column per parameter). */
    boolean writesOneColumn() {
        return this == PER_EXAMPLE_LOSSES || this == PER_EXAMPLE_GRADIENT_NORMS;
    }

    /** Slots taken by the arguments; locals start here. */
    int argumentSlots() {
        return switch (this) {
            case LOSS -> 2;
            case GRADIENT -> 3;
            case TOTAL_LOSS -> 4;
            case PER_EXAMPLE_LOSSES, PER_EXAMPLE_GRADIENTS, SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM,
                    CLIPPED_GRADIENT_SUM, PER_EXAMPLE_GRADIENT_NORMS -> 5;
        };
    }
}
