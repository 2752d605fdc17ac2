package dev.symgrad.compiler.load;

import dev.symgrad.runtime.GeneratedLoss;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The superclass of a run-time loss whose batch kernels are generated on first use: the class compiled
 * up front holds the constructor and the one-example kernels, and each batch kernel becomes a class of its
 * own ({@link BatchKernel}) the first time it is called. The printed loss and derivatives are made when
 * asked for, too. A compile then costs the front end and a small class, and a user who calls route (b)
 * alone never generates, verifies or loads the other six kernels. Each kernel's code is what the eager
 * class holds, so results are the same bit for bit.
 *
 * <p>Thread-safe: concurrent first calls of one kernel define it once; later calls read a field.
 */
public abstract class LazyKernelsLoss extends GeneratedLoss {

    /** The batch kernels, by the name of their method; the index of each is its slot. */
    public static final List<String> KERNELS = List.of("perExampleLossesKernel", "totalLossKernel",
            "perExampleGradientsKernel", "sumOfPerExampleGradientsKernel", "gradientOfSumKernel",
            "clippedGradientSumKernel", "perExampleGradientNormsKernel");

    /** What the class compiled up front leaves for later: the printed forms and the batch kernels. */
    public interface Deferred {

        /** The simplified loss, printed; the same text on every call. */
        String expression();

        /** The simplified partial derivative with respect to the parameter of this index, printed. */
        String derivative(int parameter);

        /** Generates and defines the class of the batch kernel with this method name ({@link #KERNELS}). */
        BatchKernel kernel(String method);

        /** The compiler's notes on the loss ({@code CompiledLoss.notes()}). */
        default List<String> notes() {
            return List.of();
        }
    }

    private final AtomicReferenceArray<BatchKernel> kernels = new AtomicReferenceArray<>(KERNELS.size());
    private final Deferred deferred;

    protected LazyKernelsLoss(String[] parameters, String[] inputs, Deferred deferred) {
        super(parameters, inputs, deferred::expression, deferred::derivative);
        this.deferred = deferred;
    }

    /**
     * Whether the batch kernel with this method name ({@link #KERNELS}) has been called and now runs its
     * vector loop after warm-up ({@link TieredKernel}); false on the {@code scalar} and {@code vector}
     * backends, which never switch.
     */
    public final boolean promotedToVector(String kernelMethod) {
        int slot = KERNELS.indexOf(kernelMethod);
        if (slot < 0) {
            throw new IllegalArgumentException("no batch kernel " + kernelMethod + "; expected one of " + KERNELS);
        }
        return kernels.get(slot) instanceof TieredKernel tiered && tiered.promoted();
    }

    @Override
    public final List<String> notes() {
        return deferred.notes();
    }

    private BatchKernel kernel(int slot) {
        BatchKernel kernel = kernels.get(slot);
        return kernel != null ? kernel : defineKernel(slot);
    }

    private synchronized BatchKernel defineKernel(int slot) {
        BatchKernel kernel = kernels.get(slot);
        if (kernel == null) {
            kernel = deferred.kernel(KERNELS.get(slot));
            kernels.set(slot, kernel);
        }
        return kernel;
    }

    @Override
    protected final void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        kernel(0).perExampleLossesKernel(params, columns, from, to, out);
    }

    @Override
    protected final double totalLossKernel(double[] params, double[][] columns, int from, int to) {
        return kernel(1).totalLossKernel(params, columns, from, to);
    }

    @Override
    protected final void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                   double[][] out) {
        kernel(2).perExampleGradientsKernel(params, columns, from, to, out);
    }

    @Override
    protected final void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                        double[] out) {
        kernel(3).sumOfPerExampleGradientsKernel(params, columns, from, to, out);
    }

    @Override
    protected final void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        kernel(4).gradientOfSumKernel(params, columns, from, to, out);
    }

    @Override
    protected final void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                                  double[] out) {
        kernel(5).clippedGradientSumKernel(paramsAndClipNorm, columns, from, to, out);
    }

    @Override
    protected final void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to,
                                                       double[] out) {
        kernel(6).perExampleGradientNormsKernel(params, columns, from, to, out);
    }
}
