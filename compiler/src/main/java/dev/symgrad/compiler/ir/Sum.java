package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code (((start + body(0)) + body(1)) + ... ) + body(extent-1)}: the body added over {@code index},
 * left to right onto {@code start}, in exactly the order of a Java loop {@code a = start; for (j...) a += body}
 * (floating-point addition is not associative, so the order is part of the meaning). The index is
 * free in the body and bound here.
 *
 * <p>With {@code op} {@link BinaryOp#MAX} it is the largest, {@code max(...max(start, body(0))...,
 * body(extent-1))}, whose order does not matter ({@code Math.max} is exact, NaN wins either way). Only the stable log-sum-exp over a loop makes one
 * ({@code simplify.StableExponentials}), as the shift {@code m} of {@code m + log Σ_j exp(z_j - m)}, and
 * differentiation treats it as a constant (JAX's {@code stop_gradient} in {@code logsumexp}): the
 * expression's value does not depend on {@code m}, so its derivative through {@code m} is exactly zero.
 *
 * @param op {@link BinaryOp#ADD} for a sum, {@link BinaryOp#MAX} for the maximum
 */
public record Sum(Index index, Expr start, Expr body, BinaryOp op) implements Expr {

    public Sum {
        if (op != BinaryOp.ADD && op != BinaryOp.MAX) {
            throw new IllegalArgumentException("a reduction adds or takes the maximum, not " + op);
        }
    }

    /** The sum {@code start + Σ body}. */
    public Sum(Index index, Expr start, Expr body) {
        this(index, start, body, BinaryOp.ADD);
    }

    /** True for the maximum, false for the sum. */
    public boolean isMaximum() {
        return op == BinaryOp.MAX;
    }

    @Override
    public List<Node> children() {
        return List.of(start, body);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sum that && op == that.op && index.equals(that.index) && start == that.start
                && body == that.body;
    }

    @Override
    public int hashCode() {
        return ((index.hashCode() * 31 + System.identityHashCode(start)) * 31 + System.identityHashCode(body)) * 31
                + op.hashCode();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.sum(this);
    }
}
