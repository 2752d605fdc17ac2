package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * A node of the expression DAG: either a {@code double}-valued {@link Expr} or a boolean
 * {@link Condition}. Nodes are immutable and interned by {@link ExprFactory}: equal nodes built by
 * one factory are one object, so children are compared by identity and sharing comes for free.
 */
public sealed interface Node permits Expr, Condition {

    /** The direct operands, in order. */
    List<Node> children();
}
