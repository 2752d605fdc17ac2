package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Eight threads compile and evaluate overlapping sets of losses at once, some through the shared cache
 * (so they race on the same entries and then share instances) and some through the uncached pipeline (so
 * parsing, differentiation and class definition really run concurrently). Every value they compute must
 * equal, bit for bit, what one thread computed alone beforehand.
 */
class ConcurrentCompilationTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 3;
    private static final List<String> PARAMETERS = List.of("w", "b");
    private static final List<String> INPUTS = List.of("x", "y");
    private static final double[] PARAMS = {0.75, -0.5};
    private static final double[][] BATCH = batch(37);

    /** Everything a loss computes on {@link #PARAMS} and {@link #BATCH}, flattened. */
    private record Values(double loss, double[] gradient, double[] perExampleLosses, double[][] perExampleGradients,
                          double totalLoss, double[] routeA, double[] routeB, double[] routeBOnThreeSlices,
                          String derivative) {

        static Values of(CompiledLoss loss) {
            double[] example = {BATCH[0][3], BATCH[1][3]};
            return new Values(loss.loss(PARAMS, example), loss.gradient(PARAMS, example),
                    loss.perExampleLosses(PARAMS, BATCH), loss.perExampleGradients(PARAMS, BATCH),
                    loss.totalLoss(PARAMS, BATCH), loss.sumOfPerExampleGradients(PARAMS, BATCH),
                    loss.gradientOfSum(PARAMS, BATCH), loss.gradientOfSum(PARAMS, BATCH, 3), loss.derivative("w"));
        }

        void assertSameAs(Values expected, String where) {
            assertEquals(expected.loss, loss, "loss of " + where);
            assertArrayEquals(expected.gradient, gradient, "gradient of " + where);
            assertArrayEquals(expected.perExampleLosses, perExampleLosses, "perExampleLosses of " + where);
            assertArrayEquals(expected.perExampleGradients, perExampleGradients, "perExampleGradients of " + where);
            assertEquals(expected.totalLoss, totalLoss, "totalLoss of " + where);
            assertArrayEquals(expected.routeA, routeA, "route (a) of " + where);
            assertArrayEquals(expected.routeB, routeB, "route (b) of " + where);
            assertArrayEquals(expected.routeBOnThreeSlices, routeBOnThreeSlices, "route (b), 3 slices, of " + where);
            assertEquals(expected.derivative, derivative, "derivative of " + where);
        }
    }

    private static double[][] batch(int n) {
        Random random = new Random(42);
        double[][] columns = new double[2][n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = random.nextGaussian();
            columns[1][i] = random.nextBoolean() ? 1 : -1;
        }
        return columns;
    }

    /** Twenty-four losses over the whole language; each thread takes them in its own order. */
    private static List<String> losses() {
        List<String> losses = new ArrayList<>();
        String[] shapes = {
            "(w * x + b - y) * (w * x + b - y)",
            "Math.log1p(Math.exp(-y * (w * x + b)))",
            "x > 0 ? Math.tanh(w * x + b) : Math.max(w, b) * x",
            "Math.pow(Math.hypot(w, x), 1.5) + Math.abs(b - y) / (1 + x * x)",
            "Math.sin(w * x) * Math.cos(b * y) + Math.atan(w - b)",
            "(x > 0 && y < 0) || !(w > b) ? Math.sqrt(w * w + 1) : Math.cbrt(b * x)"};
        for (int variant = 0; variant < 4; variant++) {
            for (String shape : shapes) {
                losses.add(variant == 0 ? shape : "(" + shape + ") * " + variant + ".5 + w * " + variant);
            }
        }
        return losses;
    }

    /**
     * The class {@code Symgrad.compile} defines, with the backend it selects (the vector backend where
     * {@code -Dtest=...} also runs this class in the vector-backend execution, whose sums add lane by lane).
     */
    private static CompiledLoss compileUncached(String loss) {
        return HiddenClassDefiner.define(Symgrad.generateClass(loss, PARAMETERS, INPUTS, HiddenClassDefiner.CLASS_NAME,
                Backend.selected()));
    }

    @Test
    void eightThreadsCompilingAndEvaluatingOverlappingLossesGetTheSingleThreadedValues() throws Exception {
        List<String> losses = losses();
        List<Values> expected = new ArrayList<>();
        for (String loss : losses) {
            expected.add(Values.of(compileUncached(loss)));
        }
        Symgrad.cache().clear(); // the threads race to fill it
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < losses.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(thread));
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i : order) {
                            String where = losses.get(i) + " on thread " + thread + ", round " + round;
                            Values.of(Symgrad.compile(losses.get(i), PARAMETERS, INPUTS))
                                    .assertSameAs(expected.get(i), where + " (cached)");
                            if ((i + thread + round) % 3 == 0) {
                                Values.of(compileUncached(losses.get(i))).assertSameAs(expected.get(i), where + " (uncached)");
                            }
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            int checked = 0;
            for (Future<Integer> worker : workers) {
                checked += worker.get(5, TimeUnit.MINUTES);
            }
            assertEquals(THREADS * ROUNDS * losses.size(), checked);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneLossSharedByEightThreadsGivesEveryThreadTheSameValues() throws Exception {
        CompiledLoss shared = Symgrad.compile("Math.log1p(Math.exp(-y * (w * x + b))) + 0.5 * w * w", PARAMETERS, INPUTS);
        Values expected = Values.of(shared);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int call = 0; call < 200; call++) {
                        Values.of(shared).assertSameAs(expected, "call " + call + " on thread " + thread);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
