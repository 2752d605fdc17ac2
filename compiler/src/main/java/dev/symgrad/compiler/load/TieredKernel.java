package dev.symgrad.compiler.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A batch kernel of the {@code auto} backend: its scalar loop serves the calls until its vector loop has
 * been defined and warmed on a background thread ({@link VectorWarmUp}) and has beaten the scalar loop there;
 * from then on every call runs the vector loop. The Vector API's loops allocate an object per operation
 * until C2 has compiled them (route (b) of a tanh network on 10⁶ examples took 0.72–0.85 s on its first
 * call, against 0.07–0.11 s scalar and 0.02 s vector once compiled), so without this a loss's first calls
 * are the slowest a user ever sees.
 *
 * <p>The warm-up starts at the first call after the scalar loop has computed {@link #WARM_UP_AFTER}
 * examples, so a program that calls a kernel once (the CLI) never pays for it. Results: until the warm-up
 * starts, a call's results are the scalar backend's bit for bit; once promoted, the vector backend's (one
 * call runs one kernel over its whole range). While the warm-up runs, a call over more than {@value #CHUNK}
 * examples runs in chunks, its sums added chunk by chunk, so that the vector loop can take over in the
 * middle of a long call. Which loop served a call made during the warm-up depends on timing, so a user
 * who needs the same bits on every run chooses the {@code scalar} or {@code vector} backend, which never
 * switch.
 */
public final class TieredKernel implements BatchKernel {

    /** Examples per chunk of a call made during the warm-up: 16,384 rows of a tanh network take about 1 ms. */
    static final int CHUNK = 1 << 14;

    /**
     * Examples the scalar loop computes before the vector loop's warm-up starts. A warm-up takes one to
     * four seconds of a core, and C2's compiles of the vector loop compete with those of the scalar one: on
     * this 2-core machine a first call on a million examples of a tanh network took 0.87 s instead of 0.13 s
     * with the warm-up started at the first call. After this many examples the scalar loop has been
     * compiled, and the user is evidently going to call again.
     */
    static final long WARM_UP_AFTER = 1 << 17;

    private static final int COUNTING = 0;
    private static final int WARMING = 1;
    private static final int SCALAR_FOR_GOOD = 2;

    private final BatchKernel scalar;
    private final Runnable warmUp;
    private volatile BatchKernel vector;
    private final AtomicInteger state = new AtomicInteger(COUNTING);
    // Racy on purpose: a count that is off by a few calls only moves the warm-up's start.
    private long examplesLeftBeforeWarmUp = WARM_UP_AFTER;

    private TieredKernel(BatchKernel scalar, Supplier<BatchKernel> vectorClass, String method, int parameters,
                         int inputs) {
        this.scalar = scalar;
        this.warmUp = () -> VectorWarmUp.request(this, vectorClass, method, parameters, inputs);
    }

    /**
     * A kernel serving calls with {@code scalar}, which queues the warm-up of {@code vectorClass} after
     * {@link #WARM_UP_AFTER} examples; {@code vectorClass} defines the vector kernel with that method name
     * and returns it (null if the kernel has no vector loop, when it stays scalar). {@code parameters} and
     * {@code inputs} size the warm-up's synthetic batch.
     */
    public static TieredKernel behindScalar(BatchKernel scalar, Supplier<BatchKernel> vectorClass, String method,
                                            int parameters, int inputs) {
        return new TieredKernel(scalar, vectorClass, method, parameters, inputs);
    }

    /** Whether the warm-up has been queued (it may have ended since). */
    boolean warmUpRequested() {
        return state.get() != COUNTING;
    }

    /** Starts the warm-up now instead of after {@link #WARM_UP_AFTER} examples; for tests. */
    void warmUpNow() {
        examplesLeftBeforeWarmUp = 0;
        countCall(0);
    }

    /**
     * A call over this many examples is starting before promotion: queues the warm-up if the calls before
     * it computed enough examples. Only at a call's start, so a one-shot call never pays for a warm-up it
     * cannot use.
     */
    private void countCall(int examples) {
        if (state.get() != COUNTING) {
            return;
        }
        long left = examplesLeftBeforeWarmUp;
        if (left > 0) {
            examplesLeftBeforeWarmUp = left - examples;
        } else if (state.compareAndSet(COUNTING, WARMING)) {
            warmUp.run();
        }
    }

    /** Whether calls now run the vector loop. */
    public boolean promoted() {
        return vector != null;
    }

    BatchKernel scalar() {
        return scalar;
    }

    void promote(BatchKernel warmVector) {
        vector = warmVector;
    }

    /** The warm-up ended without promoting: no vector loop, it lost, it failed, or it was not queued. */
    void stayScalar() {
        state.set(SCALAR_FOR_GOOD);
    }

    private BatchKernel current() {
        BatchKernel warm = vector;
        return warm != null ? warm : scalar;
    }

    /**
     * Whether one call runs the whole range: the vector loop is warm, no warm-up is running, or the range
     * is one chunk. Counts the call's examples towards the warm-up while the scalar loop serves.
     */
    private boolean oneCall(int from, int to) {
        if (vector != null) {
            return true;
        }
        countCall(to - from);
        return state.get() != WARMING || to - from <= CHUNK;
    }

    /** One kernel call over examples from..to-1. */
    @FunctionalInterface
    private interface Slice {
        void run(BatchKernel kernel, int from, int to);
    }

    /** A per-example kernel: chunks write disjoint parts of the output, so chunking changes no bit. */
    private void inChunks(int from, int to, Slice slice) {
        int start = from;
        while (vector == null && to - start > CHUNK) {
            slice.run(scalar, start, start + CHUNK);
            start += CHUNK;
        }
        slice.run(current(), start, to);
    }

    /** One kernel call summing examples from..to-1 into a zeroed {@code out}. */
    @FunctionalInterface
    private interface SumSlice {
        void run(BatchKernel kernel, int from, int to, double[] out);
    }

    /** A summing kernel: each chunk's sums into zeros, added up, then written to {@code out}. */
    private void sumInChunks(int from, int to, double[] out, SumSlice slice) {
        double[] sum = new double[out.length];
        double[] part = new double[out.length];
        int start = from;
        while (start < to) {
            BatchKernel kernel = vector;
            int end = kernel != null ? to : Math.min(to, start + CHUNK);
            java.util.Arrays.fill(part, 0.0);
            slice.run(kernel != null ? kernel : scalar, start, end, part);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += part[k];
            }
            start = end;
        }
        System.arraycopy(sum, 0, out, 0, out.length);
    }

    @Override
    public void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        if (oneCall(from, to)) {
            current().perExampleLossesKernel(params, columns, from, to, out);
            return;
        }
        inChunks(from, to, (kernel, a, b) -> kernel.perExampleLossesKernel(params, columns, a, b, out));
    }

    @Override
    public double totalLossKernel(double[] params, double[][] columns, int from, int to) {
        if (oneCall(from, to)) {
            return current().totalLossKernel(params, columns, from, to);
        }
        double[] total = new double[1];
        sumInChunks(from, to, total, (kernel, a, b, out) -> out[0] = kernel.totalLossKernel(params, columns, a, b));
        return total[0];
    }

    @Override
    public void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[][] out) {
        if (oneCall(from, to)) {
            current().perExampleGradientsKernel(params, columns, from, to, out);
            return;
        }
        inChunks(from, to, (kernel, a, b) -> kernel.perExampleGradientsKernel(params, columns, a, b, out));
    }

    @Override
    public void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        if (oneCall(from, to)) {
            current().sumOfPerExampleGradientsKernel(params, columns, from, to, out);
            return;
        }
        sumInChunks(from, to, out, (kernel, a, b, part) -> kernel.sumOfPerExampleGradientsKernel(params, columns, a,
                b, part));
    }

    @Override
    public void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        if (oneCall(from, to)) {
            current().gradientOfSumKernel(params, columns, from, to, out);
            return;
        }
        sumInChunks(from, to, out, (kernel, a, b, part) -> kernel.gradientOfSumKernel(params, columns, a, b, part));
    }

    /** {@code out} holds zeros on entry, and the count of skipped examples in its last entry adds up too. */
    @Override
    public void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                         double[] out) {
        if (oneCall(from, to)) {
            current().clippedGradientSumKernel(paramsAndClipNorm, columns, from, to, out);
            return;
        }
        sumInChunks(from, to, out, (kernel, a, b, part) -> kernel.clippedGradientSumKernel(paramsAndClipNorm, columns,
                a, b, part));
    }

    @Override
    public void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        if (oneCall(from, to)) {
            current().perExampleGradientNormsKernel(params, columns, from, to, out);
            return;
        }
        inChunks(from, to, (kernel, a, b) -> kernel.perExampleGradientNormsKernel(params, columns, a, b, out));
    }
}
