package dev.symgrad.runtime.privacy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RDP of the sampled Gaussian mechanism against the values published in TensorFlow Privacy's tests
 * and against the defining integral.
 */
class SampledGaussianRdpTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * tensorflow/privacy {@code tensorflow_privacy/privacy/analysis/rdp_accountant_test.py} (commit 09270afe),
     * the tests of TF Privacy's {@code compute_rdp}, which Opacus' {@code rdp.py} transcribes.
     */
    @Nested
    class PublishedByTensorFlowPrivacyRdpAccountantTest {

        @Test
        void noDataCostsNothing() { // test_compute_rdp_no_data: compute_rdp(0, 10, 1, 20) == 0
            assertEquals(0.0, SampledGaussianRdp.rdp(0.0, 10.0, 1, 20.0));
        }

        @Test
        void noSamplingIsThePlainGaussianMechanism() { // test_compute_rdp_no_sampling: compute_rdp(1, 10, 1, 20) == 0.1
            assertEquals(0.1, SampledGaussianRdp.rdp(1.0, 10.0, 1, 20.0));
        }

        @Test
        void scalarOrder() { // test_compute_rdp_scalar: compute_rdp(0.1, 2, 10, 5) ≈ 0.07737, places=5
            assertEquals(0.07737, SampledGaussianRdp.rdp(0.1, 2.0, 10, 5.0), 0.5e-5);
        }

        @Test
        void sequenceOfOrders() { // test_compute_rdp_sequence, delta=1e-5
            double[] orders = {1.5, 2.5, 5, 50, 100, INF};
            double[] expected = {0.00065, 0.001085, 0.00218075, 0.023846, 167.416307, INF};
            double[] rdp = SampledGaussianRdp.rdp(0.01, 2.5, 50, orders);
            for (int k = 0; k < orders.length; k++) {
                assertEquals(expected[k], rdp[k], 1e-5, "order " + orders[k]);
            }
        }
    }

    /** tensorflow/privacy {@code tensorflow_privacy/privacy/analysis/rdp_privacy_accountant_test.py} (commit 388f46ff). */
    @Nested
    class PublishedByTensorFlowPrivacyRdpPrivacyAccountantTest {

        @Test
        void poissonSampledGaussian() { // test_compute_rdp_poisson_sampled_gaussian, np.allclose(rtol=1e-4)
            double[] orders = {1.5, 2.5, 5, 50, 100, INF};
            double[] expected = {6.5007e-04, 1.0854e-03, 2.1808e-03, 2.3846e-02, 1.6742e+02, INF};
            double[] rdp = SampledGaussianRdp.rdp(0.01, 2.5, 50, orders);
            for (int k = 0; k < orders.length; k++) {
                // np.allclose: |a - b| <= atol + rtol·|b| with its default atol 1e-8
                assertEquals(expected[k], rdp[k], 1e-8 + 1e-4 * Math.abs(expected[k]), "order " + orders[k]);
            }
        }

        @Test
        void gaussianWithoutSampling() { // test_compute_rdp_gaussian: alpha / (2 sigma^2)
            double alpha = 3.14159;
            double sigma = 2.71828;
            assertEquals(alpha / (2 * sigma * sigma), SampledGaussianRdp.rdp(1.0, sigma, 1, alpha), 1e-7);
        }
    }

    /**
     * log(A_α) at the ten points of TF Privacy's {@code test_compute_log_a_equals_mp} (which requires rtol 1e-4
     * against multi-precision integration). The expected values are {@code log} of the defining integral
     * {@code ∫ N(z; 0, σ²)·((1-q) + q·exp((2z-1)/(2σ²)))^α dz}, computed with mpmath at 40 digits
     * ({@code mp.quad}, split at 0, 1/2, 1, 2, …; for integer α the exact finite binomial sum).
     */
    @Nested
    class AgreesWithTheDefiningIntegral {

        private void assertLogA(double q, double sigma, double alpha, double expected) {
            double actual = SampledGaussianRdp.logA(q, sigma, alpha);
            assertEquals(expected, actual, 1e-6 * Math.abs(expected), "q=" + q + " sigma=" + sigma + " alpha=" + alpha);
        }

        @Test
        void fractionalOrders() {
            assertLogA(1e-7, 0.1, 1.01, 4.0034123225263953e-8);
            assertLogA(1e-5, 0.1, 256.1, 3263607.0397884211);
            assertLogA(1e-4, 1.0, 1.5, 6.4426869538366491e-9);
            assertLogA(0.1, 100.0, 20.5, 0.00019991818458068294);
            assertLogA(0.999, 100.0, 256.1, 3.2601080379731121);
        }

        @Test
        void integerOrders() {
            assertLogA(1e-6, 0.1, 256, 3260463.2292971611);
            assertLogA(1e-6, 1.0, 27, 8.7695113048485018e-10);
            assertLogA(1e-3, 1.0, 2, 1.7182803522145153e-6);
            assertLogA(0.01, 10.0, 20, 0.00019129699912842962);
            assertLogA(0.99, 0.1, 256, 3263997.4271140215);
        }
    }

    @Nested
    class SpecialCases {

        @Test
        void zeroNoiseMeansNoPrivacy() {
            assertEquals(INF, SampledGaussianRdp.rdp(0.01, 0.0, 1, 2.0));
        }

        @Test
        void zeroStepsCostNothing() {
            assertEquals(0.0, SampledGaussianRdp.rdp(0.01, 0.0, 0, 2.0));
        }

        @Test
        void stepsComposeLinearly() {
            double one = SampledGaussianRdp.rdp(0.02, 1.1, 1, 7.5);
            assertEquals(1000 * one, SampledGaussianRdp.rdp(0.02, 1.1, 1000, 7.5), 1e-12 * 1000 * one);
        }

        @Test
        void integerValuedFractionalInputsTakeTheIntegerPath() {
            // Opacus' default orders include 1 + 20/10.0 = 3.0, which float(alpha).is_integer() sends to the
            // integer formula; both formulas agree there anyway.
            double viaDefaultOrder = SampledGaussianRdp.rdp(0.04, 1.5, 1, 1 + 20 / 10.0);
            double nearby = SampledGaussianRdp.rdp(0.04, 1.5, 1, Math.nextUp(3.0));
            assertEquals(viaDefaultOrder, nearby, 1e-12);
        }
    }

    @Nested
    class RejectsBadArguments {

        @Test
        void sampleRateOutsideTheUnitInterval() {
            var e = assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(1.1, 0.04, 1, 2.0));
            assertEquals("sample rate must be in [0, 1], got 1.1", e.getMessage());
        }

        @Test
        void negativeOrNaNNoiseMultiplier() {
            var e = assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, -1.0, 1, 2.0));
            assertEquals("noise multiplier must be finite and at least 0, got -1.0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, Double.NaN, 1, 2.0));
        }

        @Test
        void negativeSteps() {
            var e = assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, 1.0, -1, 2.0));
            assertEquals("steps must be at least 0, got -1", e.getMessage());
        }

        @Test
        void ordersOfOneOrLess() {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> SampledGaussianRdp.rdp(0.1, 1.0, 1, new double[] {2.0, 1.0}));
            assertEquals("orders[1] must be a Rényi order greater than 1, got 1.0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, 1.0, 1, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, 1.0, 1, (double[]) null));
        }
    }

    @Test
    void rdpIsNeverNegative() {
        for (double order : RdpAccountant.defaultOrders()) {
            assertTrue(SampledGaussianRdp.rdp(1e-4, 5.0, 1, order) >= 0.0, "order " + order);
        }
    }
}
