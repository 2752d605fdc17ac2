package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code true} or {@code false}. */
public record BooleanConstant(boolean value) implements Condition {

    @Override
    public List<Node> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.bool(this);
    }
}
