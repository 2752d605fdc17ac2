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

    public boolean isParameter() {
        return kind == Kind.PARAMETER;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.variable(this);
    }
}
