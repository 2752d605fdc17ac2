package dev.symgrad.runtime.privacy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * DP-SGD (Abadi et al., "Deep Learning with Differential Privacy", CCS 2016) as Opacus runs it with
 * Poisson sampling, reporting the (ε, δ) spent by the RDP accountant.
 *
 * <pre>{@code
 * DpSgd dpSgd = DpSgd.builder()
 *         .learningRate(0.1).noiseMultiplier(1.1).clipNorm(1.0)
 *         .expectedBatchSize(256).epochs(60)
 *         .delta(1e-5)                // no seed: the noise is seeded from SecureRandom
 *         .build();
 * DpSgd.Result result = dpSgd.train(loss::clippedGradientSumInto, params, columns);
 * result.params();                    // the trained parameters
 * result.privacySpent().epsilon();    // the ε spent at δ = 1e-5
 * result.skippedExamples();           // examples whose gradient was NaN or infinite (not private)
 * }</pre>
 *
 * <p>With N examples and sample rate q (given, or {@code expectedBatchSize / N}), each step:
 *
 * <ol>
 *   <li>includes each example independently with probability q (Poisson sampling: the batch size is
 *       random, possibly 0);
 *   <li>computes the clipped gradient sum {@code S = Σ_i g_i·min(1, C / ‖g_i‖₂)} over the included
 *       examples with the given {@link ClippedGradientSum} (not called for an empty batch: S = 0), an
 *       example with a NaN or infinite gradient contributing zero;
 *   <li>adds Gaussian noise of standard deviation σ·C to every coordinate and divides by the
 *       <em>expected</em> batch size q·N, as Opacus does, so the noise scale does not depend on the
 *       sampled batch size;
 *   <li>updates {@code params -= learningRate · (S + noise) / (q·N)}.
 * </ol>
 *
 * After the last step, {@link RdpAccountant} converts the RDP of that many steps of the sampled Gaussian
 * mechanism (q, σ) to ε at the configured δ, over Opacus' default orders. The guarantee is for the release
 * of every intermediate parameter vector, with neighbouring datasets differing by one example added or
 * removed; it holds only if the {@link ClippedGradientSum} really bounds each example's contribution by C.
 *
 * <p><b>Examples with a non-finite gradient.</b> No scaling bounds a gradient with a NaN or infinite
 * component, and added to the sum it would make every released parameter NaN: the output would then
 * reveal whether that one example was sampled, an unbounded sensitivity that voids the guarantee. So such
 * an example contributes zero ({@link dev.symgrad.runtime.CompiledLoss#clippedGradientSumInto} and
 * {@link ClippedGradientSum#fromPerExampleGradients} both do this). Zero is the privacy-safe choice because
 * it keeps the contribution within the bound C the accountant assumes: adding or removing any example still
 * changes S by at most C, whatever its gradient. A skipped example still counts in the batch, whose noise
 * and divisor q·N do not depend on the gradients at all, so each step stays the mechanism the accountant
 * analyses. {@link Result#skippedExamples()} reports how many were skipped: many mean that the loss
 * overflows (or is undefined) at the current parameters, which the zeros keep out of the parameters but
 * do not fix.
 *
 * <p><b>Randomness.</b> Each run uses one {@link SplittableRandom}, and each step draws, in this order, N
 * doubles (example i is included when the i-th is below q), then the noise for the P parameters by the
 * Box–Muller transform of 2·⌈P/2⌉ more doubles, computed with {@link StrictMath} (see
 * {@code GaussianNoise}). Noise is drawn even when σ = 0, so runs with the same seed and q sample the same
 * batches whatever σ. By default every {@code train} call seeds that generator with 64 bits from
 * {@link SecureRandom} that are never exposed, so two runs differ. {@link Builder#seed(long)} instead makes a
 * run a deterministic function of its configuration, seed and inputs, on every JVM, for reproducible
 * experiments; that is <em>not private</em> once the seed is known (a seed printed in an example or a
 * paper is): anyone who knows it can recompute the batches and the noise and subtract the noise.
 * {@code SplittableRandom} is not a cryptographic generator, and a floating-point sampler is not hardened
 * against the attacks on floating-point noise that Opacus' {@code secure_mode} addresses.
 *
 * <p>Each step costs N random draws plus the clipped sum of the sampled batch, gathered into fresh
 * columns. Instances are immutable and can train many times; {@code train} is safe to call from several
 * threads if the {@link ClippedGradientSum} is.
 */
public final class DpSgd {

    private final double learningRate;
    private final double noiseMultiplier;
    private final double clipNorm;
    private final double sampleRate;        // NaN when the expected batch size was given
    private final int expectedBatchSize;    // 0 when the sample rate was given
    private final long steps;               // 0 when epochs were given
    private final int epochs;               // 0 when steps were given
    private final double delta;
    private final Long seed;                // null: a fresh seed from SecureRandom for every run

    /**
     * The outcome of {@link #train}.
     *
     * @param params the trained parameters (a fresh array)
     * @param steps the number of steps run
     * @param sampleRate the sample rate q used
     * @param privacySpent the (ε, δ) spent, from the accountant; it covers {@code params} only
     * @param skippedExamples the number of sampled examples whose gradient had a NaN or infinite component and
     *     so contributed zero, added up over the steps (an example sampled in k steps counts k times). It is
     *     computed from the data without noise, so it is <em>not</em> covered by the privacy guarantee: a
     *     diagnostic for whoever holds the data, not something to publish with the parameters
     */
    public record Result(double[] params, long steps, double sampleRate, PrivacySpent privacySpent,
                         long skippedExamples) {}

    private DpSgd(Builder builder) {
        this.learningRate = builder.learningRate;
        this.noiseMultiplier = builder.noiseMultiplier;
        this.clipNorm = builder.clipNorm;
        this.sampleRate = builder.sampleRate;
        this.expectedBatchSize = builder.expectedBatchSize;
        this.steps = builder.steps;
        this.epochs = builder.epochs;
        this.delta = builder.delta;
        this.seed = builder.seed;
    }

    /** A builder; see {@link Builder} for the required settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The sample rate q for a dataset of {@code exampleCount} examples. */
    public double sampleRate(long exampleCount) {
        if (exampleCount < 1) {
            throw new IllegalArgumentException("the dataset must have at least 1 example, got " + exampleCount);
        }
        if (expectedBatchSize == 0) {
            return sampleRate;
        }
        if (expectedBatchSize > exampleCount) {
            throw new IllegalArgumentException("expected batch size " + expectedBatchSize + " is larger than the "
                    + exampleCount + " examples");
        }
        return (double) expectedBatchSize / exampleCount;
    }

    /**
     * The number of steps for a dataset of {@code exampleCount} examples. With epochs, an epoch is
     * ⌈N / B⌉ steps when the expected batch size B was given (the batches of an ordinary data loader, as
     * Opacus' {@code DPDataLoader} keeps), and ⌈1 / q⌉ when the sample rate was given (1/q is taken as an
     * integer when within 10⁻⁹ of one, so q = 1/3 gives 3).
     */
    public long steps(long exampleCount) {
        double q = sampleRate(exampleCount);
        if (epochs == 0) {
            return steps;
        }
        long stepsPerEpoch;
        if (expectedBatchSize != 0) {
            stepsPerEpoch = (exampleCount + expectedBatchSize - 1) / expectedBatchSize;
        } else {
            double inverse = 1.0 / q;
            double nearest = Math.rint(inverse);
            stepsPerEpoch = (long) (Math.abs(inverse - nearest) <= 1e-9 * inverse ? nearest : Math.ceil(inverse));
        }
        return Math.multiplyExact(stepsPerEpoch, (long) epochs);
    }

    /** The (ε, δ) that training on {@code exampleCount} examples will spend, known before training. */
    public PrivacySpent privacySpent(long exampleCount) {
        return RdpAccountant.privacySpent(sampleRate(exampleCount), noiseMultiplier, steps(exampleCount), delta);
    }

    /**
     * Trains from {@code initialParams} (not modified) on the examples in {@code columns} (one column per
     * input, all of the same length N ≥ 1; not modified).
     *
     * @throws IllegalArgumentException on null or ragged columns, an expected batch size above N, or a
     *     {@link ClippedGradientSum} that reports fewer than 0 or more skipped examples than the batch has
     */
    public Result train(ClippedGradientSum clippedGradientSum, double[] initialParams, double[][] columns) {
        checkArguments(clippedGradientSum, "clippedGradientSum", initialParams);
        int exampleCount = exampleCount(columns);
        double q = sampleRate(exampleCount);
        long stepCount = steps(exampleCount);
        double[] params = initialParams.clone();
        int parameterCount = params.length;
        double noiseStandardDeviation = noiseMultiplier * clipNorm;
        double expectedSize = q * exampleCount;
        SplittableRandom random = new SplittableRandom(seed != null ? seed : SecureSeeds.next());
        int[] sampled = new int[exampleCount];
        double[] clippedSum = new double[parameterCount];
        double[] noise = new double[parameterCount];
        long skippedExamples = 0;
        for (long step = 0; step < stepCount; step++) {
            int batchSize = 0;
            for (int i = 0; i < exampleCount; i++) {
                if (random.nextDouble() < q) {
                    sampled[batchSize++] = i;
                }
            }
            Arrays.fill(clippedSum, 0.0); // what an empty batch sums to, and no step sees the last one's sum
            if (batchSize > 0) {
                int skipped = clippedGradientSum.clippedSumInto(params, gather(columns, sampled, batchSize), clipNorm,
                        clippedSum);
                if (skipped < 0 || skipped > batchSize) {
                    throw new IllegalArgumentException("clippedGradientSum reported " + skipped
                            + " skipped examples at step " + step + " but the batch has " + batchSize);
                }
                skippedExamples += skipped;
            }
            addNoiseAndStep(random, params, clippedSum, noise, noiseStandardDeviation, expectedSize);
        }
        PrivacySpent privacySpent = RdpAccountant.privacySpent(q, noiseMultiplier, stepCount, delta);
        return new Result(params, stepCount, q, privacySpent, skippedExamples);
    }

    /**
     * The clipped gradient sum of a Poisson-sampled batch, where the examples live elsewhere (on a cluster's
     * executors): whoever holds the examples draws the batch. {@link #train(SampledClippedSum, double[], long)}
     * calls it once per step.
     */
    @FunctionalInterface
    public interface SampledClippedSum {
        /**
         * Includes each example independently with probability {@code sampleRate}, drawing from random
         * streams that depend only on {@code samplingSeed}, {@code step} and where the example is held
         * (see {@link #samplingStream}); writes {@code Σ g_i·min(1, C/‖g_i‖₂)} over the included examples to
         * {@code out} (length P, zeroed), skipping those with a NaN or infinite gradient; returns how many
         * were skipped.
         */
        long clippedSumOfSample(long samplingSeed, long step, double sampleRate, double[] params, double clipNorm,
                                double[] out);
    }

    /**
     * The random stream for drawing step {@code step}'s batch from one part (a partition) of the examples:
     * the examples of part {@code part} are included in their order when the next {@code nextDouble()} is
     * below q. Streams of different steps and parts are seeded apart by {@link SplittableRandom}'s mixing.
     */
    public static SplittableRandom samplingStream(long samplingSeed, long step, int part) {
        long stepSeed = new SplittableRandom(samplingSeed + 0x9E3779B97F4A7C15L * step).nextLong();
        return new SplittableRandom(stepSeed + 0xBF58476D1CE4E5B9L * part);
    }

    /**
     * Trains from {@code initialParams} (not modified) on {@code exampleCount} examples held elsewhere: each
     * step asks {@code sampledClippedSum} for the clipped sum of a Poisson-sampled batch, then adds the
     * noise and updates the parameters here, exactly as {@link #train(ClippedGradientSum, double[], double[][])}
     * does. The run's seed (given, or from {@link SecureRandom}) gives the batches' sampling seed (its first
     * {@code nextLong()}) and then the noise, so the same seed, data and partitioning give the same bits.
     * The batches differ from the single-machine run's, which draws them from the noise's stream.
     *
     * @throws IllegalArgumentException on null or empty parameters, fewer than 1 example, an expected batch
     *     size above {@code exampleCount}, or a negative skipped count
     */
    public Result train(SampledClippedSum sampledClippedSum, double[] initialParams, long exampleCount) {
        checkArguments(sampledClippedSum, "sampledClippedSum", initialParams);
        double q = sampleRate(exampleCount);
        long stepCount = steps(exampleCount);
        double[] params = initialParams.clone();
        double noiseStandardDeviation = noiseMultiplier * clipNorm;
        double expectedSize = q * exampleCount;
        SplittableRandom random = new SplittableRandom(seed != null ? seed : SecureSeeds.next());
        long samplingSeed = random.nextLong();
        double[] clippedSum = new double[params.length];
        double[] noise = new double[params.length];
        long skippedExamples = 0;
        for (long step = 0; step < stepCount; step++) {
            Arrays.fill(clippedSum, 0.0);
            long skipped = sampledClippedSum.clippedSumOfSample(samplingSeed, step, q, params.clone(), clipNorm,
                    clippedSum);
            if (skipped < 0) {
                throw new IllegalArgumentException("sampledClippedSum reported " + skipped + " skipped examples at step "
                        + step);
            }
            skippedExamples += skipped;
            addNoiseAndStep(random, params, clippedSum, noise, noiseStandardDeviation, expectedSize);
        }
        PrivacySpent privacySpent = RdpAccountant.privacySpent(q, noiseMultiplier, stepCount, delta);
        return new Result(params, stepCount, q, privacySpent, skippedExamples);
    }

    private static void checkArguments(Object clippedSum, String name, double[] initialParams) {
        if (clippedSum == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (initialParams == null || initialParams.length == 0) {
            throw new IllegalArgumentException(initialParams == null ? "initialParams is null"
                    : "initialParams is empty; at least 1 parameter expected");
        }
    }

    /** One step's end: the noise drawn from {@code random}, then {@code params -= lr·(S + σC·noise)/(q·N)}. */
    private void addNoiseAndStep(SplittableRandom random, double[] params, double[] clippedSum, double[] noise,
                                 double noiseStandardDeviation, double expectedSize) {
        GaussianNoise.fill(random, noise);
        for (int p = 0; p < params.length; p++) {
            double noisyGradient = (clippedSum[p] + noiseStandardDeviation * noise[p]) / expectedSize;
            params[p] -= learningRate * noisyGradient;
        }
    }

    /** One shared generator, created on first use, so that seeded runs never touch the system's entropy. */
    private static final class SecureSeeds {

        private static final SecureRandom RANDOM = new SecureRandom();

        static long next() {
            return RANDOM.nextLong(); // SecureRandom is safe to use from several threads
        }
    }

    private static int exampleCount(double[][] columns) {
        if (columns == null || columns.length == 0) {
            throw new IllegalArgumentException(columns == null ? "columns is null"
                    : "columns is empty; at least 1 input column expected");
        }
        for (int k = 0; k < columns.length; k++) {
            if (columns[k] == null) {
                throw new IllegalArgumentException("column " + k + " is null");
            }
            if (columns[k].length != columns[0].length) {
                throw new IllegalArgumentException("column " + k + " has " + columns[k].length
                        + " examples but column 0 has " + columns[0].length);
            }
        }
        if (columns[0].length == 0) {
            throw new IllegalArgumentException("the columns hold no examples; at least 1 expected");
        }
        return columns[0].length;
    }

    private static double[][] gather(double[][] columns, int[] sampled, int batchSize) {
        double[][] batch = new double[columns.length][batchSize];
        for (int k = 0; k < columns.length; k++) {
            double[] column = columns[k];
            double[] batchColumn = batch[k];
            for (int b = 0; b < batchSize; b++) {
                batchColumn[b] = column[sampled[b]];
            }
        }
        return batch;
    }

    @Override
    public String toString() {
        return "DpSgd[learningRate=" + learningRate + ", noiseMultiplier=" + noiseMultiplier + ", clipNorm=" + clipNorm
                + (expectedBatchSize == 0 ? ", sampleRate=" + sampleRate : ", expectedBatchSize=" + expectedBatchSize)
                + (epochs == 0 ? ", steps=" + steps : ", epochs=" + epochs) + ", delta=" + delta
                + (seed == null ? ", seed from SecureRandom" : ", seed=" + seed) + "]";
    }

    /**
     * Settings of {@link DpSgd}. Required: learning rate, noise multiplier, clip norm, δ, one of
     * {@link #sampleRate} and {@link #expectedBatchSize}, and one of {@link #steps} and {@link #epochs}.
     * Optional: {@link #seed}, for reproducible but not private runs. Each setter checks its value;
     * {@link #build()} checks that nothing is missing or given twice.
     */
    public static final class Builder {

        private double learningRate = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double clipNorm = Double.NaN;
        private double sampleRate = Double.NaN;
        private int expectedBatchSize;
        private long steps;
        private int epochs;
        private double delta = Double.NaN;
        private Long seed;

        private Builder() {}

        /** The step size; finite and greater than 0. */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and greater than 0, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /** σ: the noise standard deviation is σ·C; finite and at least 0 (0 means no privacy: ε = ∞). */
        public Builder noiseMultiplier(double noiseMultiplier) {
            if (!(noiseMultiplier >= 0.0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier must be finite and at least 0, got " + noiseMultiplier);
            }
            this.noiseMultiplier = noiseMultiplier;
            return this;
        }

        /** C, the largest L2 norm of one example's gradient (Opacus' {@code max_grad_norm}); finite, greater than 0. */
        public Builder clipNorm(double clipNorm) {
            if (!(clipNorm > 0.0) || Double.isInfinite(clipNorm)) {
                throw new IllegalArgumentException("clip norm must be finite and greater than 0, got " + clipNorm);
            }
            this.clipNorm = clipNorm;
            return this;
        }

        /** q, the probability that a step includes an example; in (0, 1]. */
        public Builder sampleRate(double sampleRate) {
            if (!(sampleRate > 0.0 && sampleRate <= 1.0)) {
                throw new IllegalArgumentException("sample rate must be in (0, 1], got " + sampleRate);
            }
            this.sampleRate = sampleRate;
            return this;
        }

        /** B, the expected batch size: q = B / N for N examples; at least 1 and at most N. */
        public Builder expectedBatchSize(int expectedBatchSize) {
            if (expectedBatchSize < 1) {
                throw new IllegalArgumentException("expected batch size must be at least 1, got " + expectedBatchSize);
            }
            this.expectedBatchSize = expectedBatchSize;
            return this;
        }

        /** The number of steps; at least 1. */
        public Builder steps(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /** The number of epochs; at least 1 (see {@link DpSgd#steps(int)} for the steps of an epoch). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** δ of the reported (ε, δ); in (0, 1), usually below 1/N. */
        public Builder delta(double delta) {
            RdpAccountant.checkDelta(delta);
            this.delta = delta;
            return this;
        }

        /**
         * Seeds the {@link SplittableRandom} that samples batches and noise, so that every run repeats the
         * same bits: for reproducible experiments and tests. This is <em>not private</em>: anyone who knows
         * the seed can recompute the noise and remove it from the parameters, so results trained with a
         * published seed have no privacy at all. Without this setting every run is seeded from
         * {@link SecureRandom}.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The configured trainer. */
        public DpSgd build() {
            StringBuilder missing = new StringBuilder();
            appendIf(missing, Double.isNaN(learningRate), "learningRate");
            appendIf(missing, Double.isNaN(noiseMultiplier), "noiseMultiplier");
            appendIf(missing, Double.isNaN(clipNorm), "clipNorm");
            appendIf(missing, Double.isNaN(sampleRate) && expectedBatchSize == 0, "sampleRate or expectedBatchSize");
            appendIf(missing, steps == 0 && epochs == 0, "steps or epochs");
            appendIf(missing, Double.isNaN(delta), "delta");
            if (missing.length() > 0) {
                throw new IllegalArgumentException("DpSgd is missing " + missing);
            }
            if (!Double.isNaN(sampleRate) && expectedBatchSize != 0) {
                throw new IllegalArgumentException("give either sampleRate or expectedBatchSize, not both");
            }
            if (steps != 0 && epochs != 0) {
                throw new IllegalArgumentException("give either steps or epochs, not both");
            }
            return new DpSgd(this);
        }

        private static void appendIf(StringBuilder missing, boolean condition, String name) {
            if (condition) {
                missing.append(missing.length() == 0 ? "" : ", ").append(name);
            }
        }
    }
}
