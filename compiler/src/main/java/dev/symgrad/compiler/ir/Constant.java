package dev.symgrad.compiler.ir;

import java.util.List;

/** A literal {@code double}. Equality is by bits, so {@code 0.0} and {@code -0.0} are different nodes. */
public record Constant(double value) implements Expr {

    @Override
    public List<Node> children() {
        return List.of();
    }

    /**
     * By bits, as the record's method would compare. Written out because the record's generated
     * {@code equals} and {@code hashCode} bootstrap {@code java.lang.runtime.ObjectMethods} on first call,
     * which spins method-handle classes: milliseconds of every JVM's first compile
     * ({@code docs/compile-latency.md}, cold start).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Constant that && Double.doubleToLongBits(value) == Double.doubleToLongBits(that.value);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
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
