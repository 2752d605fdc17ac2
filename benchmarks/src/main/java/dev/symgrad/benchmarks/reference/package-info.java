/**
 * Hand-written implementations of workloads W1-W4 that symgrad's generated code is benchmarked
 * against: in, a {@link dev.symgrad.benchmarks.Workload}; out, a
 * {@link dev.symgrad.benchmarks.GradientImplementation} computing the same three routes.
 *
 * <ul>
 *   <li>{@link dev.symgrad.benchmarks.reference.StraightforwardLoops}: the first version a competent
 *       engineer writes by hand.
 *   <li>{@link dev.symgrad.benchmarks.reference.BestLoops}: the fastest loops we could write, the
 *       limit to match.
 *   <li>{@link dev.symgrad.benchmarks.reference.HipparchusForwardMode}: forward-mode automatic
 *       differentiation, with Hipparchus {@code Gradient} or {@code DerivativeStructure}.
 * </ul>
 *
 * All of them are checked against symgrad on every route by {@code ReferenceImplementationsTest}.
 */
package dev.symgrad.benchmarks.reference;
