package dev.symgrad.compiler.ir;

import java.util.List;

/** A literal {@code double}. Equality is by bits, so {@code 0.0} and {@code -0.0} are different nodes. */
public record Constant(double value) implements Expr {

    @Override
    public List<Node> children() {
        return List.of();
    }

    public boolean isZero() {
        return value == 0.0;
    }

    public boolean is(double other) {
        return Double.compare(value, other) == 0;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.constant(this);
    }
}
