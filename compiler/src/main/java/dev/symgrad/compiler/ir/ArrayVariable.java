package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * A declared array: a parameter array (differentiated) or an input array (per-example data) of the
 * given shape, whose elements are stored row-major from position {@code offset} of the flat parameter
 * array (or of the example / the batch's columns).
 */
public record ArrayVariable(String name, Variable.Kind kind, List<Integer> shape, int offset) implements Tensor {

    public ArrayVariable {
        shape = List.copyOf(shape);
        if (shape.isEmpty()) {
            throw new IllegalArgumentException("an array has at least one dimension");
        }
    }

    public boolean isParameter() {
        return kind == Variable.Kind.PARAMETER;
    }

    @Override
    public List<Node> children() {
        return List.of();
    }
}
