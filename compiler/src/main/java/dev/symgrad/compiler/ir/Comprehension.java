package dev.symgrad.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The array {@code [i1, ..., ir ↦ body]}: element {@code (i1, ..., ir)} is {@code body} with the indices
 * bound to those positions. A method's local array ({@code h[m] = Math.tanh(...)} in a loop over m) and
 * the adjoint of an array are comprehensions. Its body may not depend on any index but its own: a
 * comprehension is the same array wherever it is read.
 */
public record Comprehension(List<Index> indices, Expr body) implements Tensor {

    public Comprehension {
        indices = List.copyOf(indices);
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("a comprehension binds at least one index");
        }
    }

    @Override
    public List<Integer> shape() {
        List<Integer> shape = new ArrayList<>(indices.size());
        for (Index index : indices) {
            shape.add(index.extent());
        }
        return shape;
    }

    @Override
    public List<Node> children() {
        return List.of(body);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Comprehension that && indices.equals(that.indices) && body == that.body;
    }

    @Override
    public int hashCode() {
        return indices.hashCode() * 31 + System.identityHashCode(body);
    }
}
