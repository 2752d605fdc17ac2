package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code left && right} or {@code left || right}, short-circuit like Java (operands are pure either way). */
public record Logical(Operator op, Condition left, Condition right) implements Condition {

    /** The two binary boolean operators with their spelling. */
    public enum Operator {
        AND("&&"), OR("||");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    @Override
    public List<Node> children() {
        return List.of(left, right);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Logical that && op == that.op && left == that.left && right == that.right;
    }

    @Override
    public int hashCode() {
        return (op.hashCode() * 31 + System.identityHashCode(left)) * 31 + System.identityHashCode(right);
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.logical(this);
    }
}
