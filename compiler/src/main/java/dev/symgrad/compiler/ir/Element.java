package dev.symgrad.compiler.ir;

import java.util.List;

/** {@code array[at_1]...[at_r]}: one element of an array, at indices or fixed positions. */
public record Element(Tensor array, List<IndexTerm> at) implements Expr {

    public Element {
        at = List.copyOf(at);
        if (at.size() != array.shape().size()) {
            throw new IllegalArgumentException("an element of a " + array.shape().size() + "-dimensional array needs "
                    + array.shape().size() + " positions, not " + at.size());
        }
    }

    @Override
    public List<Node> children() {
        return List.of(array);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Element that && array == that.array && at.equals(that.at);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(array) * 31 + at.hashCode();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.element(this);
    }
}
