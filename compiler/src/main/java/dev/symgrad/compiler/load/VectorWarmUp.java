package dev.symgrad.compiler.load;

import java.lang.ref.WeakReference;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Warms a {@link TieredKernel}'s vector loop ahead of the user's calls: on one background daemon thread,
 * it defines the vector kernel's class, then calls the vector and the scalar kernel in turn on a synthetic
 * batch of {@value #EXAMPLES} examples until the vector kernel has been the faster in {@value #WINS}
 * rounds running, and then promotes it. The vector loop is fast only once C2 has compiled it, and the JVM
 * offers no way to ask whether it has; beating the scalar loop on the same batch is the observable sign,
 * and also the reason to switch. A kernel whose compiled vector loop does not win within
 * {@value #SETTLED_ROUNDS} rounds, or whose vector loop is not compiled within {@value #COMPILE_SECONDS} s,
 * stays scalar. One thread serves every loss, so compiling many losses queues their warm-ups instead of
 * starting threads; a loss that becomes unreachable is skipped, and when more than {@value #PENDING}
 * warm-ups wait, new kernels stay scalar.
 *
 * <p>The synthetic batch is drawn from a fixed seed, inputs uniform in [-1, 1] and parameters in
 * [-0.5, 0.5], so that {@code exp} and {@code tanh} stay finite and conditionals take both branches. It runs
 * the kernels' own arithmetic; nothing of the user's data or expression text is executed.
 */
final class VectorWarmUp {

    static final int EXAMPLES = 1024;
    static final int WINS = 3;
    static final int PENDING = 64;

    /**
     * Rounds the two compiled loops get to settle which is faster, counted once the vector loop has come
     * within twice the scalar one's time in {@value #WINS} rounds running. Until C2 has compiled it, the
     * vector loop is ten to a hundred times slower than the scalar one (an object per operation and lane),
     * so that is the sign that it has been compiled; compiled rounds take a fraction of a millisecond.
     */
    static final int SETTLED_ROUNDS = 200;

    /**
     * How long C2 gets to compile the vector loop. It compiled a tanh network's within 1.2 s when nothing
     * else ran, and in more than 3 s on this 2-core machine with the test suite's other threads and another
     * JVM busy; a loop that never compiles costs the background thread this long, once per kernel.
     */
    static final long COMPILE_SECONDS = 60;

    /** Kernel calls per timed round: at least a few hundred microseconds once compiled, for a stable clock. */
    private static final int CALLS_PER_ROUND = 4;

    /** Output entries the synthetic batch may allocate for per-example gradients (8 MB). */
    private static final int MAX_OUTPUT = 1 << 20;

    /** Created on first use: the logging framework's classes are a cold start's cost otherwise. */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("dev.symgrad");
    }

    private static final ThreadPoolExecutor THREAD = warmUpThread();

    /** The clock the rounds are timed with; tests replace it to make "faster" deterministic. */
    static volatile java.util.function.LongSupplier clock = System::nanoTime;

    private VectorWarmUp() {
    }

    private static ThreadPoolExecutor warmUpThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PENDING), task -> {
                    Thread thread = new Thread(task, "symgrad-vector-warm-up");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    static void request(TieredKernel kernel, Supplier<BatchKernel> vectorClass, String method, int parameters,
                        int inputs) {
        try {
            THREAD.execute(new Task(new WeakReference<>(kernel), kernel.scalar(), vectorClass, method, parameters,
                    inputs));
        } catch (RejectedExecutionException e) {
            kernel.stayScalar();
            Log.LOGGER.log(System.Logger.Level.DEBUG, "symgrad: " + PENDING + " vector warm-ups are waiting; " + method
                    + " stays scalar");
        }
    }

    private record Task(WeakReference<TieredKernel> kernel, BatchKernel scalar, Supplier<BatchKernel> vectorClass,
                        String method, int parameters, int inputs) implements Runnable {

        @Override
        public void run() {
            try {
                warmUp();
            } finally {
                TieredKernel waiting = kernel.get();
                if (waiting != null && !waiting.promoted()) {
                    waiting.stayScalar();
                }
            }
        }

        private void warmUp() {
            if (kernel.get() == null) {
                return;
            }
            try {
                BatchKernel vector = vectorClass.get();
                if (vector == null) {
                    return;
                }
                SyntheticBatch batch = new SyntheticBatch(method, parameters, inputs);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMPILE_SECONDS);
                int wins = 0;
                int close = 0;
                int settledRounds = 0;
                while (System.nanoTime() < deadline && settledRounds < SETTLED_ROUNDS && kernel.get() != null) {
                    long vectorNanos = batch.time(vector);
                    long scalarNanos = batch.time(scalar);
                    pause(vectorNanos + scalarNanos);
                    wins = vectorNanos < scalarNanos ? wins + 1 : 0;
                    if (wins == WINS) {
                        TieredKernel waiting = kernel.get();
                        if (waiting != null) {
                            waiting.promote(vector);
                        }
                        return;
                    }
                    close = vectorNanos < 2 * scalarNanos ? close + 1 : 0;
                    if (settledRounds > 0 || close == WINS) {
                        settledRounds++;
                    }
                }
                Log.LOGGER.log(System.Logger.Level.DEBUG, "symgrad: the vector " + method + " did not beat the scalar one"
                        + (settledRounds < SETTLED_ROUNDS ? " within " + COMPILE_SECONDS + " s" : "") + "; it stays scalar");
            } catch (RuntimeException | LinkageError e) {
                // The scalar kernel keeps serving; a warm-up must never take a working loss down with it.
                Log.LOGGER.log(System.Logger.Level.WARNING, "symgrad: vector warm-up of " + method + " failed; it stays scalar",
                        e);
            }
        }
    }

    /**
     * Sleeps as long as the round worked, so that the warm-up takes at most half a core. On 2 cores the
     * user's thread, this one and C2's compiler threads share the machine, and an unpaced warm-up made the
     * user's calls slower than the scalar backend's while it ran. W4's route (b), 10,000 calls at N = 1,000
     * ({@code WarmUpReport}'s child, JDK 17): 761-799 ms paced, 924-1,049 unpaced, 683-747 scalar; but 2.73-2.79 s
     * paced against 2.49-2.52 unpaced at 100,000 calls (scalar 6.3 s), since promotion comes later. At
     * N = 1,000,000, call 10: W3 231-255 ms paced, 356-414 unpaced, 160-166 scalar.
     */
    private static void pause(long workedNanos) {
        LockSupport.parkNanos(workedNanos);
    }

    /** A batch of made-up examples and the output arrays for one kernel method. */
    static final class SyntheticBatch {

        private final String method;
        private final double[] params;
        private final double[][] columns;
        private final int examples;
        private final double[] out;
        private final double[][] gradients;

        SyntheticBatch(String method, int parameters, int inputs) {
            this.method = method;
            SplittableRandom random = new SplittableRandom(0x5eed);
            examples = method.equals("perExampleGradientsKernel")
                    ? Math.max(64, Math.min(EXAMPLES, MAX_OUTPUT / Math.max(1, parameters))) : EXAMPLES;
            boolean clipped = method.equals("clippedGradientSumKernel");
            params = new double[parameters + (clipped ? 1 : 0)];
            for (int p = 0; p < parameters; p++) {
                params[p] = random.nextDouble(-0.5, 0.5);
            }
            if (clipped) {
                params[parameters] = 1.0;
            }
            columns = new double[inputs][examples];
            for (double[] column : columns) {
                for (int i = 0; i < examples; i++) {
                    column[i] = random.nextDouble(-1.0, 1.0);
                }
            }
            out = new double[Math.max(examples, parameters + 1)];
            gradients = method.equals("perExampleGradientsKernel") ? new double[parameters][examples] : null;
        }

        /** Nanoseconds for {@value #CALLS_PER_ROUND} calls of the kernel. */
        long time(BatchKernel kernel) {
            java.util.function.LongSupplier timer = clock;
            long start = timer.getAsLong();
            for (int call = 0; call < CALLS_PER_ROUND; call++) {
                call(kernel);
            }
            return timer.getAsLong() - start;
        }

        void call(BatchKernel kernel) {
            switch (method) {
                case "perExampleLossesKernel" -> kernel.perExampleLossesKernel(params, columns, 0, examples, out);
                case "totalLossKernel" -> out[0] = kernel.totalLossKernel(params, columns, 0, examples);
                case "perExampleGradientsKernel" -> kernel.perExampleGradientsKernel(params, columns, 0, examples,
                        gradients);
                case "sumOfPerExampleGradientsKernel" -> kernel.sumOfPerExampleGradientsKernel(params, columns, 0,
                        examples, out);
                case "gradientOfSumKernel" -> kernel.gradientOfSumKernel(params, columns, 0, examples, out);
                case "clippedGradientSumKernel" -> {
                    java.util.Arrays.fill(out, 0.0);
                    kernel.clippedGradientSumKernel(params, columns, 0, examples, out);
                }
                case "perExampleGradientNormsKernel" -> kernel.perExampleGradientNormsKernel(params, columns, 0,
                        examples, out);
                default -> throw new IllegalArgumentException("no batch kernel " + method);
            }
        }
    }
}
