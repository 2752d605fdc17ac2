/**
 * The parse stage. In: a loss as Java source text plus the declared parameter and input names, or a
 * static method of a Java source file plus the parameters to differentiate and the shapes of its
 * {@code double[]} and {@code double[][]} parameters. Out: a per-example IR expression (for a method
 * with array parameters, in the indexed form: elements of array variables, sums and arrays over
 * indices), or a positioned {@code CompileError}. The only package that uses JavaParser.
 */
package dev.symgrad.compiler.parse;
