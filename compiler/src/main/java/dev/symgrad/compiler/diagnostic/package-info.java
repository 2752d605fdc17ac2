/**
 * The diagnostics model shared by every stage: one position type ({@link SourcePosition}, 1-based line
 * and column) and one error type ({@link CompileError}) rendered like a compiler message.
 */
package dev.symgrad.compiler.diagnostic;
