package dev.symgrad.compiler.load;

/**
 * One batch kernel in a class of its own, generated on first use for a {@link LazyKernelsLoss}. A kernel
 * class overrides the one method it computes; the methods have the names and arguments of
 * {@code GeneratedLoss}'s kernels, arguments already checked.
 */
public interface BatchKernel {

    default void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw notHere();
    }

    default double totalLossKernel(double[] params, double[][] columns, int from, int to) {
        throw notHere();
    }

    default void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[][] out) {
        throw notHere();
    }

    default void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw notHere();
    }

    default void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw notHere();
    }

    default void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                          double[] out) {
        throw notHere();
    }

    default void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw notHere();
    }

    private static IllegalStateException notHere() {
        return new IllegalStateException("this kernel class computes another kernel");
    }
}
