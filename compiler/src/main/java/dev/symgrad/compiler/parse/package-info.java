/**
 * The parse stage. In: a loss as Java source text plus the declared parameter and input names, or a
 * static method of a Java source file plus the parameters to differentiate and the lengths of its
 * {@code double[]} parameters. Out: a per-example IR expression, or a positioned {@code CompileError}.
 * The only package that uses JavaParser.
 */
package dev.symgrad.compiler.parse;
