package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code left op right}, or {@code Math.op(left, right)}. Operands compare by identity (they are interned). */
public record Binary(BinaryOp op, Expr left, Expr right) implements Expr {

    @Override
    public List<Node> children() {
        return List.of(left, right);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Binary that && op == that.op && left == that.left && right == that.right;
    }

    @Override
    public int hashCode() {
        return (op.hashCode() * 31 + System.identityHashCode(left)) * 31 + System.identityHashCode(right);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.binary(this);
    }
}
