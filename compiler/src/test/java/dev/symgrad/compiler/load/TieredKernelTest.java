package dev.symgrad.compiler.load;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiered kernel runs its scalar twin until promoted, one call per call until the warm-up starts and in
 * chunks over long calls while it runs, the chunks' sums added, and its vector kernel over the whole range
 * once promoted, including the rest of a call during which it was promoted; the warm-up starts at the first
 * call after enough examples; the warm-up promotes a vector kernel that beats the scalar one and never one
 * that does not exist or fails. The kernels here are fakes with exact integer sums, so every expected
 * number is exact.
 */
class TieredKernelTest {

    private static final int C = TieredKernel.CHUNK;
    private static final double[] PARAMS = {0.0, 0.0};
    private static final double[][] COLUMNS = new double[1][0];

    /**
     * The warm-up's clock in these tests: only the fake kernels move it, each call by its {@code costNanos},
     * so which kernel is faster does not depend on how busy the machine is.
     */
    private static final AtomicLong FAKE_NANOS = new AtomicLong();

    @BeforeAll
    static void timeWarmUpsWithTheFakeClock() {
        VectorWarmUp.clock = FAKE_NANOS::get;
    }

    @AfterAll
    static void restoreTheClock() {
        VectorWarmUp.clock = System::nanoTime;
    }

    /** Records the ranges it was called on; entry p of a sum over i is Σ (i + p), exact in doubles. */
    private static final class RangeKernel implements BatchKernel {
        final List<int[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        final double tag;
        Runnable afterCall = () -> { };
        long costNanos;

        RangeKernel(double tag) {
            this.tag = tag;
        }

        private void record(int from, int to) {
            calls.add(new int[] {from, to});
            FAKE_NANOS.addAndGet(costNanos);
            afterCall.run();
        }

        @Override
        public void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            for (int i = from; i < to; i++) {
                out[i] = i + tag;
            }
            record(from, to);
        }

        @Override
        public double totalLossKernel(double[] params, double[][] columns, int from, int to) {
            record(from, to);
            return sum(from, to, 0);
        }

        @Override
        public void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            for (int p = 0; p < out.length; p++) {
                out[p] = sum(from, to, p);
            }
            record(from, to);
        }

        @Override
        public void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                             double[] out) {
            for (int p = 0; p < out.length - 1; p++) {
                out[p] += sum(from, to, p);
            }
            out[out.length - 1] += 1; // one "skipped" example per call, to see the counts add up
            record(from, to);
        }
    }

    private static double sum(int from, int to, int p) {
        double total = 0;
        for (int i = from; i < to; i++) {
            total += i + p;
        }
        return total;
    }

    /** Holds the warm-ups of {@link #warming} kernels until the test ends. */
    private final CountDownLatch endOfTest = new CountDownLatch(1);

    @AfterEach
    void releaseWarmUps() {
        endOfTest.countDown();
    }

    /** A kernel whose warm-up has not started (it counts examples until {@link TieredKernel#WARM_UP_AFTER}). */
    private static TieredKernel unpromoted(RangeKernel scalar) {
        return TieredKernel.behindScalar(scalar, () -> null, "gradientOfSumKernel", 2, 1);
    }

    /** A kernel whose warm-up runs until the test ends, and then finds no vector loop. */
    private TieredKernel warming(RangeKernel scalar) {
        return warmingNow(scalar, () -> {
            try {
                endOfTest.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    /** A kernel whose warm-up starts now, not after {@link TieredKernel#WARM_UP_AFTER} examples. */
    private static TieredKernel warmingNow(BatchKernel scalar, Supplier<BatchKernel> vector) {
        TieredKernel kernel = TieredKernel.behindScalar(scalar, vector, "gradientOfSumKernel", 2, 1);
        kernel.warmUpNow();
        return kernel;
    }

    @Test
    void duringTheWarmUpALongSumRunsScalarInChunksAndAddsThem() {
        RangeKernel scalar = new RangeKernel(0);
        TieredKernel kernel = warming(scalar);
        int from = 3;
        int to = from + 2 * C + C / 2;
        double[] out = {-1, -1};
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, from, to, out);
        assertArrayEquals(new double[] {sum(from, to, 0), sum(from, to, 1)}, out);
        assertRanges(scalar.calls, from, from + C, from + 2 * C, to);
        assertEquals(sum(from, to, 0), kernel.totalLossKernel(PARAMS, COLUMNS, from, to));
    }

    @Test
    void beforeTheWarmUpStartsALongCallIsOneScalarCall() {
        RangeKernel scalar = new RangeKernel(0);
        TieredKernel kernel = unpromoted(scalar);
        double[] out = new double[2];
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, 3 * C, out);
        assertRanges(scalar.calls, 0, 3 * C);
        assertArrayEquals(new double[] {sum(0, 3 * C, 0), sum(0, 3 * C, 1)}, out);
    }

    @Test
    void aCallOfOneChunkOrLessIsOneScalarCall() {
        RangeKernel scalar = new RangeKernel(0);
        TieredKernel kernel = warming(scalar);
        double[] out = new double[2];
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 5, 5 + C, out);
        assertRanges(scalar.calls, 5, 5 + C);
        assertFalse(kernel.promoted());
    }

    @Test
    void perExampleOutputsFillTheWholeRangeAcrossChunks() {
        RangeKernel scalar = new RangeKernel(0.5);
        TieredKernel kernel = warming(scalar);
        double[] out = new double[3 * C + 7];
        kernel.perExampleLossesKernel(PARAMS, COLUMNS, 7, out.length, out);
        for (int i = 0; i < out.length; i++) {
            assertEquals(i < 7 ? 0.0 : i + 0.5, out[i], "example " + i);
        }
        assertRanges(scalar.calls, 7, 7 + C, 7 + 2 * C, 7 + 3 * C);
    }

    @Test
    void clippedSumsAddTheirSkippedCountsAcrossChunks() {
        RangeKernel scalar = new RangeKernel(0);
        TieredKernel kernel = warming(scalar);
        double[] out = new double[3];
        kernel.clippedGradientSumKernel(PARAMS, COLUMNS, 0, 2 * C + 1, out);
        assertArrayEquals(new double[] {sum(0, 2 * C + 1, 0), sum(0, 2 * C + 1, 1), 3}, out);
    }

    @Test
    void oncePromotedOneVectorCallRunsTheWholeRange() {
        RangeKernel scalar = new RangeKernel(0);
        RangeKernel vector = new RangeKernel(0);
        TieredKernel kernel = warming(scalar);
        kernel.promote(vector);
        double[] out = new double[2];
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, 3 * C, out);
        assertRanges(vector.calls, 0, 3 * C);
        assertTrue(scalar.calls.isEmpty());
        assertArrayEquals(new double[] {sum(0, 3 * C, 0), sum(0, 3 * C, 1)}, out);
    }

    @Test
    void promotedDuringALongCallTheVectorKernelTakesTheRestInOneCall() {
        RangeKernel scalar = new RangeKernel(0);
        RangeKernel vector = new RangeKernel(0);
        TieredKernel kernel = warming(scalar);
        scalar.afterCall = () -> kernel.promote(vector);
        double[] out = new double[2];
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, 4 * C, out);
        assertRanges(scalar.calls, 0, C);
        assertRanges(vector.calls, C, 4 * C);
        assertArrayEquals(new double[] {sum(0, 4 * C, 0), sum(0, 4 * C, 1)}, out);
    }

    @Test
    void theWarmUpStartsAtTheFirstCallAfterTheScalarKernelHasComputedEnoughExamples() {
        TieredKernel kernel = TieredKernel.behindScalar(new RangeKernel(0), () -> null, "gradientOfSumKernel", 2, 1);
        double[] out = new double[2];
        long examples = 0;
        while (examples < TieredKernel.WARM_UP_AFTER) {
            kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, 1000, out);
            examples += 1000;
        }
        assertFalse(kernel.warmUpRequested(), examples + " examples, no call since");
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, 1000, out);
        assertTrue(kernel.warmUpRequested(), "the call after " + examples + " examples");
    }

    @Test
    void aLongFirstCallDoesNotStartTheWarmUp() {
        TieredKernel kernel = TieredKernel.behindScalar(new RangeKernel(0), () -> null, "gradientOfSumKernel", 2, 1);
        kernel.gradientOfSumKernel(PARAMS, COLUMNS, 0, (int) (2 * TieredKernel.WARM_UP_AFTER), new double[2]);
        assertFalse(kernel.warmUpRequested());
    }

    @Test
    void theWarmUpPromotesAVectorKernelThatBeatsTheScalarOne() throws InterruptedException {
        RangeKernel scalar = new RangeKernel(0);
        scalar.costNanos = TimeUnit.MICROSECONDS.toNanos(200);
        RangeKernel vector = new RangeKernel(0);
        TieredKernel kernel = warmingNow(scalar, () -> vector);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!kernel.promoted() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(kernel.promoted(), "the faster vector kernel was not promoted within 30 s");
        assertFalse(vector.calls.isEmpty());
    }

    @Test
    void aKernelWithoutVectorLoopOrWithASlowerOrFailingOneStaysScalar() throws InterruptedException {
        TieredKernel none = warmingNow(new RangeKernel(0), () -> null);
        Supplier<BatchKernel> failing = () -> {
            throw new IllegalStateException("no vector class (expected by the test)");
        };
        TieredKernel failed = warmingNow(new RangeKernel(0), failing);
        // Within twice the scalar kernel's time, so "compiled", but never faster.
        RangeKernel fast = new RangeKernel(0);
        fast.costNanos = TimeUnit.MICROSECONDS.toNanos(100);
        RangeKernel slower = new RangeKernel(0);
        slower.costNanos = TimeUnit.MICROSECONDS.toNanos(150);
        TieredKernel lost = warmingNow(fast, () -> slower);
        // A warm-up queued behind these: once it has promoted, the ones before it are done.
        RangeKernel slow = new RangeKernel(0);
        slow.costNanos = TimeUnit.MICROSECONDS.toNanos(200);
        TieredKernel marker = warmingNow(slow, () -> new RangeKernel(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!marker.promoted() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(marker.promoted());
        assertFalse(none.promoted());
        assertFalse(failed.promoted());
        assertFalse(lost.promoted());
        // A warm-up that ended without promotion ends the chunking too.
        fast.calls.clear();
        lost.gradientOfSumKernel(PARAMS, COLUMNS, 0, 3 * C, new double[2]);
        assertRanges(fast.calls, 0, 3 * C);
        assertTrue(slower.calls.size() >= 4 * VectorWarmUp.SETTLED_ROUNDS, "the slower kernel ran "
                + slower.calls.size() + " times");
        double[] out = new double[2];
        failed.gradientOfSumKernel(PARAMS, COLUMNS, 0, 10, out);
        assertArrayEquals(new double[] {sum(0, 10, 0), sum(0, 10, 1)}, out);
    }

    private static void assertRanges(List<int[]> calls, int... bounds) {
        List<String> expected = new ArrayList<>();
        for (int k = 0; k + 1 < bounds.length; k++) {
            expected.add(bounds[k] + ".." + bounds[k + 1]);
        }
        List<String> actual = calls.stream().map(r -> r[0] + ".." + r[1]).toList();
        assertEquals(expected, actual);
    }
}
