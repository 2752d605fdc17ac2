package dev.symgrad.runtime;

import dev.symgrad.runtime.privacy.ClippedGradientSum;
import dev.symgrad.runtime.privacy.DpSgd;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link GeneratedLoss} does around the kernels, with kernels written by hand. */
class GeneratedLossTest {

    /**
     * The loss {@code w·x + b·y}, whose gradient is the example (x, y). The clipped-sum kernel is written to
     * the contract the compiler generates: P sums with the plain norm {@code sqrt(x² + y²)}, then the
     * number of examples whose sum of squares is not finite; the per-example gradients kernel counts its
     * calls, the exact path's.
     */
    private static final class Linear extends GeneratedLoss {

        int materialized;

        Linear() {
            super(new String[] {"w", "b"}, new String[] {"x", "y"}, "w * x + b * y", new String[] {"x", "y"});
        }

        @Override
        protected void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                                double[] out) {
            assertEquals(3, out.length, "P + 1 outputs");
            double clipNorm = paramsAndClipNorm[2];
            for (int i = from; i < to; i++) {
                double x = columns[0][i];
                double y = columns[1][i];
                double squares = x * x + y * y;
                double scale = Math.min(1.0, clipNorm / Math.sqrt(squares));
                out[0] += x * scale;
                out[1] += y * scale;
                out[2] += squares < Double.POSITIVE_INFINITY ? 0 : 1;
            }
        }

        @Override
        protected void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[][] out) {
            materialized++;
            for (int i = from; i < to; i++) {
                out[0][i] = columns[0][i];
                out[1][i] = columns[1][i];
            }
        }

        @Override
        protected double lossKernel(double[] params, double[] example) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void gradientKernel(double[] params, double[] example, double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected double totalLossKernel(double[] params, double[][] columns, int from, int to) {
            throw new UnsupportedOperationException();
        }


        @Override
        protected void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                      double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to,
                                                     double[] out) {
            throw new UnsupportedOperationException();
        }
    }

    private static final CompiledLoss LOSS = new Linear();
    private static final double[] PARAMS = {0.0, 0.0};
    // Gradients (3, 4), (NaN, 1), (0.1, 0.2), (1, -∞): at C = 1 the sum is (0.6 + 0.1, 0.8 + 0.2), 2 skipped.
    // The kernel's own sum is NaN here: the runtime takes the exact path.
    private static final double[][] COLUMNS = {{3.0, Double.NaN, 0.1, 1.0}, {4.0, 1.0, 0.2, Double.NEGATIVE_INFINITY}};
    private static final double[] CLIPPED = {0.7, 1.0};

    @Nested
    class ClippedGradientSums {

        @Test
        void intoWritesThePSumsAndReturnsTheSkippedCount() {
            double[] out = {Double.NaN, Double.NaN};
            assertEquals(2, LOSS.clippedGradientSumInto(PARAMS, COLUMNS, 1.0, out));
            assertArrayEquals(CLIPPED, out, 1e-15);
        }

        @Test
        void theArrayVariantHoldsThePSumsOnly() {
            assertArrayEquals(CLIPPED, LOSS.clippedGradientSum(PARAMS, COLUMNS, 1.0), 1e-15);
        }

        @Test
        void theParallelVariantAddsTheSlicesAndHoldsThePSumsOnly() {
            for (int parallelism = 1; parallelism <= 5; parallelism++) {
                assertArrayEquals(CLIPPED, LOSS.clippedGradientSum(PARAMS, COLUMNS, 1.0, parallelism), 1e-15,
                        "parallelism " + parallelism);
            }
        }

        @Test
        void aBatchWhoseNormsTheKernelCanTrustIsNeverMaterialized() {
            Linear loss = new Linear();
            double[] out = new double[2];
            assertEquals(0, loss.clippedGradientSumInto(PARAMS, new double[][] {{3.0, 0.1}, {4.0, 0.2}}, 1.0, out));
            assertArrayEquals(CLIPPED, out, 1e-15);
            assertEquals(0, loss.materialized, "the fused kernel's sum, no per-example gradients");
            loss.clippedGradientSumInto(PARAMS, COLUMNS, 1.0, out);
            assertEquals(1, loss.materialized, "a NaN gradient takes the exact path");
        }

        @Test
        void aLossIsAClippedGradientSumForDpSgd() {
            ClippedGradientSum clipped = LOSS::clippedGradientSumInto;
            DpSgd.Result result = DpSgd.builder().learningRate(0.1).noiseMultiplier(1.0).clipNorm(1.0).sampleRate(1.0)
                    .steps(3).delta(1e-5).seed(1).build().train(clipped, new double[] {0.0, 0.0}, COLUMNS);
            assertEquals(2 * 3, result.skippedExamples());
            assertTrue(Double.isFinite(result.params()[0]) && Double.isFinite(result.params()[1]));
        }
    }
}
