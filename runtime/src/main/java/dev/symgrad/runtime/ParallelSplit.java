package dev.symgrad.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Splits a batch of N examples into contiguous slices {@code [k·N/p, (k+1)·N/p)} and runs them on the
 * common fork-join pool, the first slice on the calling thread. Sums are combined in slice order, so
 * the result depends on p but never on which thread finished first.
 */
final class ParallelSplit {

    /** Work on examples {@code from..to-1}, the slice'th of the split. */
    interface Slice {
        void run(int slice, int from, int to);
    }

    /** Work on examples {@code from..to-1} that writes a partial result into {@code out}. */
    interface PartialSum {
        void run(int from, int to, double[] out);
    }

    /** Work on examples {@code from..to-1}. */
    interface Range {
        void run(int from, int to);
    }

    /**
     * The most slices a batch is cut into. Each slice costs a task and, for sums, a partial result, so an
     * absurd value ({@code Integer.MAX_VALUE}) would exhaust the heap before any work began.
     */
    static final int MAX_PARALLELISM = 1 << 16;

    private ParallelSplit() {
    }

    static void run(int n, int parallelism, Range work) {
        checkParallelism(parallelism);
        slices(n, parallelism, (slice, from, to) -> work.run(from, to));
    }

    static double[] sum(int n, int parallelism, int length, PartialSum work) {
        checkParallelism(parallelism);
        double[][] partial = new double[parallelism][length];
        slices(n, parallelism, (slice, from, to) -> work.run(from, to, partial[slice]));
        double[] total = partial[0].clone();
        for (int k = 1; k < partial.length; k++) {
            for (int p = 0; p < length; p++) {
                total[p] += partial[k][p];
            }
        }
        return total;
    }

    private static void checkParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be at most " + MAX_PARALLELISM + ", got " + parallelism);
        }
    }

    private static void slices(int n, int parallelism, Slice work) {
        CompletableFuture<?>[] others = new CompletableFuture<?>[parallelism - 1];
        for (int k = 1; k < parallelism; k++) {
            int slice = k;
            int from = bound(n, parallelism, k);
            int to = bound(n, parallelism, k + 1);
            others[k - 1] = CompletableFuture.runAsync(() -> work.run(slice, from, to), ForkJoinPool.commonPool());
        }
        work.run(0, 0, bound(n, parallelism, 1));
        CompletableFuture.allOf(others).join();
    }

    /** The first example of slice k: {@code k·n/slices}, in long arithmetic so that it cannot overflow. */
    private static int bound(int n, int slices, int k) {
        return (int) ((long) k * n / slices);
    }
}
