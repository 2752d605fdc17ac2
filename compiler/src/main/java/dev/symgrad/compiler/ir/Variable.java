package dev.symgrad.compiler.ir;

import java.util.List;

/** A declared name: a parameter (differentiated) or an input (per-example data), with its index in declaration order. */
public record Variable(String name, Kind kind, int index) implements Expr {

    /** Which declaration list a variable comes from. */
    public enum Kind {
        PARAMETER, INPUT
    }

    @Override
    public List<Node> children() {
        return List.of();
    }

    /**
     * As the record's method would compare. Written out for the reason given on {@link Constant#equals}.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Variable that && index == that.index && kind == that.kind && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + kind.hashCode()) * 31 + index;
    }

    public boolean isParameter() {
        return kind == Kind.PARAMETER;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.variable(this);
    }
}
