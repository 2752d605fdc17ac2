/**
 * The compiler's public entry points: {@link dev.symgrad.compiler.Symgrad} (string to live loss, through
 * the bounded {@link dev.symgrad.compiler.CompileCache}) and {@link dev.symgrad.compiler.LossCompiler}
 * (string to the program the code generator emits). The stages live in sub-packages, each depending
 * only on those before it: {@code parse → ir → diff → simplify → codegen → load}, with {@code diagnostic}
 * shared by all.
 */
package dev.symgrad.compiler;
