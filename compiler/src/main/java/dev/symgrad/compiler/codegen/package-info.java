/**
 * The code generation stage. In: a {@link dev.symgrad.compiler.codegen.LossProgram} (simplified IR for
 * the loss, its gradient and both batch routes). Out: class-file bytes, from
 * {@link dev.symgrad.compiler.codegen.ClassGenerator}. With {@code load}, the only package that uses ASM.
 */
package dev.symgrad.compiler.codegen;
