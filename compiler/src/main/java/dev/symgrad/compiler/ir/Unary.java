package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code op(operand)}. Equality compares the operand by identity: operands are interned, so identity
 * is structural equality, and hashing stays O(1) however deep the DAG is.
 */
public record Unary(UnaryOp op, Expr operand) implements Expr {

    @Override
    public List<Node> children() {
        return List.of(operand);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Unary that && op == that.op && operand == that.operand;
    }

    @Override
    public int hashCode() {
        return op.hashCode() * 31 + System.identityHashCode(operand);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.unary(this);
    }
}
