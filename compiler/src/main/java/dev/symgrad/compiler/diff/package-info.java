/**
 * The differentiation stage. In: a per-example IR expression and the parameter variables. Out: one IR
 * expression per parameter, the exact partial derivative, built by symbolic reverse mode.
 */
package dev.symgrad.compiler.diff;
