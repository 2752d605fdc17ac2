package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code (((start + body(0)) + body(1)) + ... ) + body(extent-1)}: the body added over {@code index},
 * left to right onto {@code start}, in exactly the order of a Java loop {@code a = start; for (j...) a += body}
 * (floating-point addition is not associative, so the order is part of the meaning). The index is
 * free in the body and bound here.
 */
public record Sum(Index index, Expr start, Expr body) implements Expr {

    @Override
    public List<Node> children() {
        return List.of(start, body);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sum that && index.equals(that.index) && start == that.start && body == that.body;
    }

    @Override
    public int hashCode() {
        return (index.hashCode() * 31 + System.identityHashCode(start)) * 31 + System.identityHashCode(body);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.sum(this);
    }
}
