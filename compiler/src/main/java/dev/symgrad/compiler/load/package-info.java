/**
 * The load stage. In: class bytes from {@code codegen}. Out: a live
 * {@link dev.symgrad.runtime.CompiledLoss} backed by an unloadable hidden class.
 */
package dev.symgrad.compiler.load;
