/**
 * The simplification stage. In: IR expressions (per-example or batch-level). Out: equal expressions,
 * up to rounding of finite values, after the named rewrite rules of
 * {@link dev.symgrad.compiler.simplify.Simplifier#RULES} reached a fixed point.
 */
package dev.symgrad.compiler.simplify;
