package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code test ? ifTrue : ifFalse}. Operands are pure, so the generated code may evaluate both branches;
 * only the selected one reaches the result, and only it contributes to the derivative.
 */
public record Conditional(Condition test, Expr ifTrue, Expr ifFalse) implements Expr {

    @Override
    public List<Node> children() {
        return List.of(test, ifTrue, ifFalse);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Conditional that
                && test == that.test && ifTrue == that.ifTrue && ifFalse == that.ifFalse;
    }

    @Override
    public int hashCode() {
        return (System.identityHashCode(test) * 31 + System.identityHashCode(ifTrue)) * 31
                + System.identityHashCode(ifFalse);
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.conditional(this);
    }
}
