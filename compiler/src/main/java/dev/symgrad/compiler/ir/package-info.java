/**
 * The intermediate representation: an immutable, interned DAG of {@code double} expressions
 * ({@link dev.symgrad.compiler.ir.Expr}) and boolean tests ({@link dev.symgrad.compiler.ir.Condition}).
 * In: nothing (it is built by {@code parse}, {@code diff} and {@code simplify} through
 * {@link dev.symgrad.compiler.ir.ExprFactory}). Out: the nodes, iterative traversals
 * ({@link dev.symgrad.compiler.ir.Graph}), an interpreter and a Java-syntax printer.
 */
package dev.symgrad.compiler.ir;
