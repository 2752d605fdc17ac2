package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * A node of the expression DAG: a {@code double}-valued {@link Expr}, a boolean {@link Condition}, or
 * an array-valued {@link Tensor} (read through {@link Element}). Nodes are immutable and interned by {@link ExprFactory}: equal nodes built by
 * one factory are one object, so children are compared by identity and sharing comes for free.
 */
public sealed interface Node permits Expr, Condition, Tensor {

    /** The direct operands, in order. */
    List<Node> children();
}
