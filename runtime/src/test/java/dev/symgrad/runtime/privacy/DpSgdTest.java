package dev.symgrad.runtime.privacy;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DP-SGD on a linear regression whose per-example gradient is written by hand: the loss of example
 * (x, y) is {@code (w·x + b - y)²}, its gradient {@code 2r·(x, 1)} with {@code r = w·x + b - y}.
 */
class DpSgdTest {

    private static final int N = 200;
    private static final double[] XS = new double[N];
    private static final double[] YS = new double[N];

    static {
        for (int i = 0; i < N; i++) {
            XS[i] = 2.0 * i / N - 1.0;
            YS[i] = 3.0 * XS[i] + 0.5 + 0.1 * StrictMath.sin(7.0 * i); // roughly y = 3x + 0.5
        }
    }

    private static final double[][] COLUMNS = {XS, YS};

    private static double[] gradient(double[] params, double x, double y) {
        double residual = params[0] * x + params[1] - y;
        return new double[] {2 * residual * x, 2 * residual};
    }

    /** The clipped sum written independently of the class under test (columns x, y, then any others). */
    private static final ClippedGradientSum LINEAR_REGRESSION = (params, columns, clipNorm, sum) -> {
        sum[0] = 0;
        sum[1] = 0;
        for (int i = 0; i < columns[0].length; i++) {
            double[] g = gradient(params, columns[0][i], columns[1][i]);
            double scale = Math.min(1.0, clipNorm / StrictMath.hypot(g[0], g[1]));
            sum[0] += g[0] * scale;
            sum[1] += g[1] * scale;
        }
        return 0;
    };

    /** The reference clipped sum over a loss whose route (a) is the gradient above (columns x, y). */
    private static final ClippedGradientSum REFERENCE = ClippedGradientSum.fromPerExampleGradients(
            (CompiledLoss) Proxy.newProxyInstance(CompiledLoss.class.getClassLoader(), new Class<?>[] {CompiledLoss.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("perExampleGradients") || args.length != 2) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        double[] params = (double[]) args[0];
                        double[][] columns = (double[][]) args[1];
                        double[][] perExample = new double[2][columns[0].length];
                        for (int i = 0; i < columns[0].length; i++) {
                            double[] g = gradient(params, columns[0][i], columns[1][i]);
                            perExample[0][i] = g[0];
                            perExample[1][i] = g[1];
                        }
                        return perExample;
                    }));

    /** Everything but the sampling and the length of training. */
    private static DpSgd.Builder base() {
        return DpSgd.builder().learningRate(0.5).noiseMultiplier(1.0).clipNorm(1.0).delta(1e-5).seed(7);
    }

    private static DpSgd.Builder configured() {
        return base().expectedBatchSize(20).steps(100);
    }

    /** The draws DpSgd's javadoc promises: per step N doubles for sampling, then 2⌈P/2⌉ for Box–Muller. */
    private record Draws(List<int[]> batches, List<double[]> noise) {

        static Draws documented(long seed, int exampleCount, double sampleRate, int parameterCount, long steps) {
            SplittableRandom random = new SplittableRandom(seed);
            List<int[]> batches = new ArrayList<>();
            List<double[]> noise = new ArrayList<>();
            for (long step = 0; step < steps; step++) {
                int[] batch = new int[exampleCount];
                int size = 0;
                for (int i = 0; i < exampleCount; i++) {
                    if (random.nextDouble() < sampleRate) {
                        batch[size++] = i;
                    }
                }
                batches.add(Arrays.copyOf(batch, size));
                double[] z = new double[parameterCount];
                for (int p = 0; p < parameterCount; p += 2) {
                    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - random.nextDouble()));
                    double angle = 2.0 * Math.PI * random.nextDouble();
                    z[p] = radius * StrictMath.cos(angle);
                    if (p + 1 < parameterCount) {
                        z[p + 1] = radius * StrictMath.sin(angle);
                    }
                }
                noise.add(z);
            }
            return new Draws(batches, noise);
        }
    }

    @Nested
    class Determinism {

        @Test
        void sameSeedGivesTheSameBits() {
            DpSgd dpSgd = configured().build();
            double[] first = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] second = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            assertArrayEquals(first, second);
        }

        @Test
        void differentSeedsGiveDifferentParameters() {
            double[] seven = configured().seed(7).build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] eight = configured().seed(8).build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            assertNotEquals(seven[0], eight[0]);
        }

        /** Pinned bits: the same on JDK 17 and 25 (StrictMath noise, SplitMix64 doubles, plain arithmetic). */
        @Test
        void pinnedRunIsTheSameOnEveryJvm() {
            double[] params = configured().build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            assertArrayEquals(new double[] {PINNED_W, PINNED_B}, params);
        }

        @Test
        void followsTheDocumentedRandomStream() {
            // A third column carries each example's index, so the recorded batches name the sampled rows.
            double[] indices = new double[N];
            Arrays.setAll(indices, i -> i);
            List<int[]> recorded = new ArrayList<>();
            ClippedGradientSum zeroRecordingBatches = (params, columns, clipNorm, out) -> {
                recorded.add(Arrays.stream(columns[2]).mapToInt(v -> (int) v).toArray());
                Arrays.fill(out, 0.0);
                return 0;
            };
            DpSgd dpSgd = configured().noiseMultiplier(0.8).clipNorm(1.5).build();
            double[] params = dpSgd.train(zeroRecordingBatches, new double[] {0.25, -1.0}, new double[][] {XS, YS, indices})
                    .params();

            Draws draws = Draws.documented(7, N, 20.0 / N, 2, 100);
            List<int[]> nonEmpty = draws.batches().stream().filter(batch -> batch.length > 0).toList();
            assertEquals(nonEmpty.size(), recorded.size());
            for (int step = 0; step < recorded.size(); step++) {
                assertArrayEquals(nonEmpty.get(step), recorded.get(step), "batch " + step);
            }
            double[] expected = {0.25, -1.0};
            for (double[] z : draws.noise()) {
                for (int p = 0; p < 2; p++) {
                    expected[p] -= 0.5 * ((0.0 + 0.8 * 1.5 * z[p]) / 20.0);
                }
            }
            assertArrayEquals(expected, params);
        }
    }

    @Nested
    class DefaultNoise {

        private DpSgd.Builder withoutSeed() {
            return DpSgd.builder().learningRate(0.5).noiseMultiplier(1.0).clipNorm(1.0).delta(1e-5)
                    .expectedBatchSize(20).steps(100);
        }

        @Test
        void needsNoSeedAndDiffersBetweenRuns() {
            DpSgd dpSgd = withoutSeed().build();
            double[] first = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] second = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] otherInstance = withoutSeed().build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            assertFalse(Arrays.equals(first, second), "two runs of one instance");
            assertFalse(Arrays.equals(first, otherInstance), "runs of two instances");
            assertTrue(dpSgd.toString().endsWith(", seed from SecureRandom]"), dpSgd.toString());
        }

        @Test
        void aSeedMakesRunsRepeat() {
            DpSgd.Builder seeded = withoutSeed().seed(11);
            double[] first = seeded.build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] second = seeded.build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            assertArrayEquals(first, second);
            assertTrue(withoutSeed().seed(11).build().toString().endsWith(", seed=11]"));
        }
    }

    @Nested
    class NonFiniteGradients {

        /** Example 0's label is NaN, so its gradient is (NaN, NaN); the other 199 are ordinary. */
        private final double[][] oneNanExample = {XS, YS.clone()};

        {
            oneNanExample[1][0] = Double.NaN;
        }

        @Test
        void areSkippedSoTheReleasedParametersStayFinite() {
            DpSgd.Result result = configured().build().train(REFERENCE, new double[] {0, 0}, oneNanExample);
            assertTrue(Double.isFinite(result.params()[0]) && Double.isFinite(result.params()[1]),
                    Arrays.toString(result.params()));
            long stepsSamplingExample0 = Draws.documented(7, N, 20.0 / N, 2, 100).batches().stream()
                    .filter(batch -> batch.length > 0 && batch[0] == 0).count();
            assertTrue(stepsSamplingExample0 > 0, "the seed must sample example 0");
            assertEquals(stepsSamplingExample0, result.skippedExamples());
        }

        @Test
        void stillCountInTheBatchSize() {
            // One full noiseless step: the skipped example adds zero, and the divisor stays q·N = 200.
            DpSgd oneFullStep = base().sampleRate(1.0).noiseMultiplier(0.0).steps(1).build();
            DpSgd.Result result = oneFullStep.train(REFERENCE, new double[] {0.3, 0.1}, oneNanExample);
            assertEquals(1, result.skippedExamples());
            double[] others = new double[2];
            LINEAR_REGRESSION.clippedSumInto(new double[] {0.3, 0.1}, new double[][] {
                    Arrays.copyOfRange(XS, 1, N), Arrays.copyOfRange(YS, 1, N)}, 1.0, others);
            assertArrayEquals(new double[] {0.3 - 0.5 * others[0] / N, 0.1 - 0.5 * others[1] / N}, result.params(), 1e-15);
        }

        @Test
        void noneAreReportedForFiniteGradients() {
            assertEquals(0, configured().build().train(REFERENCE, new double[] {0, 0}, COLUMNS).skippedExamples());
        }
    }

    @Test
    void withoutNoiseOrClippingItIsPlainMinibatchSgdOnTheSampledRows() {
        DpSgd dpSgd = configured().noiseMultiplier(0.0).clipNorm(1e300).steps(300).build();
        double[] params = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();

        double[] expected = {0, 0};
        for (int[] batch : Draws.documented(7, N, 20.0 / N, 2, 300).batches()) {
            double[] sum = new double[2];
            for (int i : batch) {
                double[] g = gradient(expected, XS[i], YS[i]);
                sum[0] += g[0];
                sum[1] += g[1];
            }
            expected[0] -= 0.5 * sum[0] / 20.0;
            expected[1] -= 0.5 * sum[1] / 20.0;
        }
        assertArrayEquals(expected, params, 1e-12);
        assertEquals(3.0, params[0], 0.1); // and it learns the line
        assertEquals(0.5, params[1], 0.1);
    }

    @Test
    void clippingBoundsWhatOneExampleCanDoToAStep() {
        // Neighbouring datasets: example 0 replaced by an outlier. With every example in the batch and no noise,
        // one step moves the parameters apart by at most learningRate · 2C / N.
        double[] outlierYs = YS.clone();
        outlierYs[0] = 1e9;
        DpSgd oneFullStep = base().sampleRate(1.0).noiseMultiplier(0.0).steps(1).build();
        double[] original = oneFullStep.train(LINEAR_REGRESSION, new double[] {0.3, 0.1}, COLUMNS).params();
        double[] outlier = oneFullStep.train(LINEAR_REGRESSION, new double[] {0.3, 0.1}, new double[][] {XS, outlierYs}).params();
        double moved = Math.hypot(original[0] - outlier[0], original[1] - outlier[1]);
        assertTrue(moved <= 0.5 * 2 * 1.0 / N * (1 + 1e-12), "moved " + moved);

        DpSgd unclipped = base().sampleRate(1.0).noiseMultiplier(0.0).clipNorm(1e300)
                .steps(1).build();
        double[] unclippedOutlier = unclipped.train(LINEAR_REGRESSION, new double[] {0.3, 0.1},
                new double[][] {XS, outlierYs}).params();
        assertTrue(Math.abs(unclippedOutlier[1] - original[1]) > 1e6, "without clipping the outlier dominates");
    }

    @Nested
    class EmptyBatches {

        private final ClippedGradientSum mustNotBeCalled = (params, columns, clipNorm, out) -> {
            throw new AssertionError("called with " + columns[0].length + " examples");
        };

        @Test
        void addNoiseOnly() {
            DpSgd almostNeverSamples = base().sampleRate(1e-12).steps(10).build();
            double[] params = almostNeverSamples.train(mustNotBeCalled, new double[] {0, 0}, COLUMNS).params();
            assertTrue(params[0] != 0 && Double.isFinite(params[0]) && params[1] != 0 && Double.isFinite(params[1]));

            DpSgd noiseless = base().sampleRate(1e-12).noiseMultiplier(0).steps(10).build();
            assertArrayEquals(new double[] {0, 0}, noiseless.train(mustNotBeCalled, new double[] {0, 0}, COLUMNS).params());
        }

        @Test
        void areSkippedBetweenNonEmptyOnes() {
            int[] calls = {0};
            ClippedGradientSum counting = (params, columns, clipNorm, out) -> {
                assertTrue(columns[0].length > 0);
                calls[0]++;
                return LINEAR_REGRESSION.clippedSumInto(params, columns, clipNorm, out);
            };
            // N = 2 and q = 0.2: a batch is empty with probability 0.64.
            DpSgd dpSgd = base().sampleRate(0.2).steps(50).build();
            DpSgd.Result result = dpSgd.train(counting, new double[] {0, 0}, new double[][] {{1, 2}, {3, 4}});
            assertTrue(calls[0] > 0 && calls[0] < 50, calls[0] + " calls");
            assertEquals(50, result.steps());
        }
    }

    @Test
    void batchSizesAverageTheExpectedBatchSize() {
        List<Integer> sizes = new ArrayList<>();
        ClippedGradientSum recordingSizes = (params, columns, clipNorm, out) -> {
            sizes.add(columns[0].length);
            Arrays.fill(out, 0.0);
            return 0;
        };
        double[] xs = new double[1000];
        configured().expectedBatchSize(50).steps(400).build().train(recordingSizes, new double[] {0, 0}, new double[][] {xs, xs});
        double mean = sizes.stream().mapToInt(Integer::intValue).sum() / 400.0;
        assertEquals(50.0, mean, 2.0); // the standard deviation of the mean is 0.34
        assertTrue(sizes.stream().distinct().count() > 10, "batch sizes vary");
    }

    @Nested
    class PrivacyAccounting {

        @Test
        void reportsOpacusEpsilonForOpacusSettings() {
            // opacus/tests/accountants_test.py, test_rdp_accountant: q = 0.04, sigma = 1.5, 2250 steps, delta = 1e-5
            double[] xs = new double[100];
            DpSgd dpSgd = base().noiseMultiplier(1.5).expectedBatchSize(4).epochs(90).build();
            DpSgd.Result result = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, new double[][] {xs, xs});
            assertEquals(2250, result.steps());
            assertEquals(0.04, result.sampleRate());
            assertEquals(7.32911117143, result.privacySpent().epsilon(), 5e-8);
            assertEquals(1e-5, result.privacySpent().delta());
            assertEquals(result.privacySpent(), dpSgd.privacySpent(100));
        }

        @Test
        void zeroNoiseSpendsInfiniteEpsilon() {
            DpSgd.Result result = configured().noiseMultiplier(0).build().train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS);
            assertEquals(Double.POSITIVE_INFINITY, result.privacySpent().epsilon());
        }

        @Test
        void anEpochIsTheBatchesOfAnOrdinaryLoader() {
            assertEquals(12, base().expectedBatchSize(256).epochs(3).build().steps(1000));
            assertEquals(6, base().sampleRate(1 / 3.0).epochs(2).build().steps(1000));
            assertEquals(25, base().sampleRate(0.04).epochs(1).build().steps(1000));
            assertEquals(4, base().sampleRate(0.3).epochs(1).build().steps(1000));
            assertEquals(100, configured().build().steps(1000));
        }
    }

    @Test
    void leavesItsInputsAlone() {
        double[] initial = {0.1, 0.2};
        double[][] columns = {XS.clone(), YS.clone()};
        configured().build().train(LINEAR_REGRESSION, initial, columns);
        assertArrayEquals(new double[] {0.1, 0.2}, initial);
        assertArrayEquals(XS, columns[0]);
        assertArrayEquals(YS, columns[1]);
    }

    @Nested
    class RejectsBadArguments {

        private void assertMessage(String expected, Runnable action) {
            var e = assertThrows(IllegalArgumentException.class, action::run);
            assertEquals(expected, e.getMessage());
        }

        @Test
        void missingSettings() {
            assertMessage("DpSgd is missing learningRate, noiseMultiplier, clipNorm, sampleRate or expectedBatchSize, "
                    + "steps or epochs, delta", () -> DpSgd.builder().build());
        }

        @Test
        void conflictingSettings() {
            assertMessage("give either sampleRate or expectedBatchSize, not both", () -> configured().sampleRate(0.1).build());
            assertMessage("give either steps or epochs, not both", () -> configured().epochs(1).build());
        }

        @Test
        void outOfRangeSettings() {
            assertMessage("learning rate must be finite and greater than 0, got 0.0", () -> DpSgd.builder().learningRate(0));
            assertMessage("noise multiplier must be finite and at least 0, got NaN", () -> DpSgd.builder().noiseMultiplier(Double.NaN));
            assertMessage("clip norm must be finite and greater than 0, got Infinity",
                    () -> DpSgd.builder().clipNorm(Double.POSITIVE_INFINITY));
            assertMessage("sample rate must be in (0, 1], got 0.0", () -> DpSgd.builder().sampleRate(0));
            assertMessage("expected batch size must be at least 1, got 0", () -> DpSgd.builder().expectedBatchSize(0));
            assertMessage("steps must be at least 1, got 0", () -> DpSgd.builder().steps(0));
            assertMessage("epochs must be at least 1, got -1", () -> DpSgd.builder().epochs(-1));
            assertMessage("delta must be in (0, 1), got 1.0", () -> DpSgd.builder().delta(1));
        }

        @Test
        void badTrainingArguments() {
            DpSgd dpSgd = configured().build();
            assertMessage("clippedGradientSum is null", () -> dpSgd.train(null, new double[] {0, 0}, COLUMNS));
            assertMessage("initialParams is null", () -> dpSgd.train(LINEAR_REGRESSION, null, COLUMNS));
            assertMessage("initialParams is empty; at least 1 parameter expected",
                    () -> dpSgd.train(LINEAR_REGRESSION, new double[0], COLUMNS));
            assertMessage("columns is null", () -> dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, null));
            assertMessage("column 1 is null", () -> dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, new double[][] {XS, null}));
            assertMessage("column 1 has 3 examples but column 0 has 200",
                    () -> dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, new double[][] {XS, {1, 2, 3}}));
            assertMessage("the columns hold no examples; at least 1 expected",
                    () -> dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, new double[][] {{}, {}}));
            assertMessage("expected batch size 20 is larger than the 3 examples",
                    () -> dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, new double[][] {{1, 2, 3}, {1, 2, 3}}));
        }

        @Test
        void skippedCountsOutsideTheBatch() {
            DpSgd dpSgd = base().sampleRate(1.0).steps(1).build();
            assertMessage("clippedGradientSum reported 201 skipped examples at step 0 but the batch has 200",
                    () -> dpSgd.train((params, columns, clipNorm, out) -> columns[0].length + 1,
                            new double[] {0, 0}, COLUMNS));
            assertMessage("clippedGradientSum reported -1 skipped examples at step 0 but the batch has 200",
                    () -> dpSgd.train((params, columns, clipNorm, out) -> -1, new double[] {0, 0}, COLUMNS));
        }
    }

    // configured() from (0, 0): recorded from this implementation on JDK 17, checked on JDK 25.
    private static final double PINNED_W = 2.9260944625043286;
    private static final double PINNED_B = 0.4933030470172978;

    /**
     * Training on examples held elsewhere ({@link DpSgd#train(DpSgd.SampledClippedSum, double[], long)}), with
     * the examples split into two parts that each draw their batch from {@link DpSgd#samplingStream}.
     */
    @Nested
    class WithSamplingElsewhere {

        /** Two parts, the first 80 examples and the rest, sampled in order from their own streams. */
        private final DpSgd.SampledClippedSum twoParts = (samplingSeed, step, sampleRate, params, clipNorm, out) -> {
            double[] part = new double[2];
            for (int k = 0; k < 2; k++) {
                SplittableRandom stream = DpSgd.samplingStream(samplingSeed, step, k);
                List<Integer> sampled = new ArrayList<>();
                for (int i = k == 0 ? 0 : 80; i < (k == 0 ? 80 : N); i++) {
                    if (stream.nextDouble() < sampleRate) {
                        sampled.add(i);
                    }
                }
                double[][] batch = new double[2][sampled.size()];
                for (int b = 0; b < sampled.size(); b++) {
                    batch[0][b] = XS[sampled.get(b)];
                    batch[1][b] = YS[sampled.get(b)];
                }
                LINEAR_REGRESSION.clippedSumInto(params, batch, clipNorm, part);
                out[0] += part[0];
                out[1] += part[1];
            }
            return 0;
        };

        @Test
        void withEveryExampleAndNoNoiseItIsTheSingleMachineRun() {
            DpSgd dpSgd = base().sampleRate(1.0).noiseMultiplier(0.0).steps(20).build();
            double[] here = dpSgd.train(LINEAR_REGRESSION, new double[] {0, 0}, COLUMNS).params();
            double[] elsewhere = dpSgd.train(twoParts, new double[] {0, 0}, N).params();
            assertArrayEquals(here, elsewhere, 1e-14);
            assertNotEquals(0.0, elsewhere[0]);
        }

        @Test
        void theSameSeedGivesTheSameBitsAndTheAccountantIsTheSame() {
            DpSgd dpSgd = configured().build();
            DpSgd.Result first = dpSgd.train(twoParts, new double[] {0, 0}, N);
            DpSgd.Result again = dpSgd.train(twoParts, new double[] {0, 0}, N);
            assertArrayEquals(first.params(), again.params(), 0.0);
            assertEquals(dpSgd.privacySpent(N), first.privacySpent());
            assertFalse(Arrays.equals(first.params(),
                    base().seed(8).expectedBatchSize(20).steps(100).build().train(twoParts, new double[] {0, 0}, N).params()));
        }

        @Test
        void streamsOfOtherStepsAndPartsDiffer() {
            double a = DpSgd.samplingStream(1, 0, 0).nextDouble();
            assertNotEquals(a, DpSgd.samplingStream(1, 1, 0).nextDouble());
            assertNotEquals(a, DpSgd.samplingStream(1, 0, 1).nextDouble());
            assertNotEquals(a, DpSgd.samplingStream(2, 0, 0).nextDouble());
            assertEquals(a, DpSgd.samplingStream(1, 0, 0).nextDouble());
        }
    }
}
