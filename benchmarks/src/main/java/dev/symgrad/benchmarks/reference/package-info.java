/**
 * Hand-written implementations of workloads W1-W4 that symgrad's generated code is benchmarked
 * against: in, a {@link dev.symgrad.benchmarks.Workload}; out, a
 * {@link dev.symgrad.benchmarks.GradientImplementation} computing the same three routes. For the
 * digits models W6-W8 (a {@link dev.symgrad.benchmarks.DigitsModel}), a
 * {@link dev.symgrad.benchmarks.ClippedGradientImplementation} that also clips and takes norms.
 *
 * <ul>
 *   <li>{@link dev.symgrad.benchmarks.reference.StraightforwardLoops}: the first version a competent
 *       engineer writes by hand.
 *   <li>{@link dev.symgrad.benchmarks.reference.BestLoops}: the fastest loops we could write, the
 *       limit to match.
 *   <li>{@link dev.symgrad.benchmarks.reference.HipparchusForwardMode}: forward-mode automatic
 *       differentiation, with Hipparchus {@code Gradient} or {@code DerivativeStructure}.
 *   <li>{@link dev.symgrad.benchmarks.reference.StraightforwardDigitsLoops} and
 *       {@link dev.symgrad.benchmarks.reference.BestDigitsLoops}: the same two kinds for W6-W8.
 * </ul>
 *
 * All of them are checked against symgrad on every route by {@code ReferenceImplementationsTest}
 * and {@code DigitsImplementationsTest}.
 */
package dev.symgrad.benchmarks.reference;
