/**
 * Differentially private training: {@link dev.symgrad.runtime.privacy.DpSgd} (DP-SGD with Poisson
 * sampling, per-example clipping and Gaussian noise) and the Rényi-DP accountant of the sampled Gaussian
 * mechanism that reports the (ε, δ) it spends ({@link dev.symgrad.runtime.privacy.RdpAccountant},
 * {@link dev.symgrad.runtime.privacy.SampledGaussianRdp}).
 *
 * <p>In: a {@link dev.symgrad.runtime.privacy.ClippedGradientSum} (the sum of the per-example gradients of
 * a batch, each first scaled to an L2 norm of at most C, an example with a NaN or infinite gradient adding
 * zero), the initial parameters and the data as columns. Out: the trained parameters, the privacy spent
 * and how many examples were skipped for a non-finite gradient. The accountant is the same computation as
 * Opacus' {@code RDPAccountant} and TensorFlow Privacy's RDP accountant, and is tested against the values
 * their own tests publish. Like the rest of the runtime, this package depends on {@code java.base} only.
 */
package dev.symgrad.runtime.privacy;
