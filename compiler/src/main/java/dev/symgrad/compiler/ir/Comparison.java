package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code left op right} for a {@link CompareOp}. Operands compare by identity (they are interned). */
public record Comparison(CompareOp op, Expr left, Expr right) implements Condition {

    @Override
    public List<Node> children() {
        return List.of(left, right);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Comparison that && op == that.op && left == that.left && right == that.right;
    }

    @Override
    public int hashCode() {
        return (op.hashCode() * 31 + System.identityHashCode(left)) * 31 + System.identityHashCode(right);
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.comparison(this);
    }
}
