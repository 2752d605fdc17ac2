package dev.symgrad.compiler.ir;

/**
 * A {@code double}-valued node. Per-example expressions use {@link Constant}, {@link Variable},
 * {@link Unary}, {@link Binary} and {@link Conditional}; batch-level expressions (route (b), total
 * loss) may also contain {@link BatchSum} and {@link BatchSize}. Indexed losses read arrays with
 * {@link Element} and add over an {@link Index} with {@link Sum}; an expression inside a sum's body may
 * depend on the indices in scope there (its free indices, {@link ExprFactory#freeIndices}).
 */
public sealed interface Expr extends Node permits Constant, Variable, Unary, Binary, Conditional, BatchSum, BatchSize, Element, Sum {

    /** Calls the visitor method for this node's kind. */
    <R> R accept(ExprVisitor<R> visitor);
}
