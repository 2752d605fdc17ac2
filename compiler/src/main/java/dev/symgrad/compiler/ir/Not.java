package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code !operand}. */
public record Not(Condition operand) implements Condition {

    @Override
    public List<Node> children() {
        return List.of(operand);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Not that && operand == that.operand;
    }

    @Override
    public int hashCode() {
        return 0x4E4E + System.identityHashCode(operand);
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.not(this);
    }
}
