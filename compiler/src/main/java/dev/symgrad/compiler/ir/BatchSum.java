package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code Σ_i summand(example i)}: the sum of a per-example expression over the batch. Only batch-level
 * expressions contain it, and its summand never contains another {@code BatchSum}.
 */
public record BatchSum(Expr summand) implements Expr {

    @Override
    public List<Node> children() {
        return List.of(summand);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchSum that && summand == that.summand;
    }

    @Override
    public int hashCode() {
        return 0x5A5A + System.identityHashCode(summand);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.batchSum(this);
    }
}
