package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * An array-valued node, read element by element through {@link Element}: a parameter or input array
 * ({@link ArrayVariable}) or an array defined elementwise ({@link Comprehension}: a local array of a
 * method, or an adjoint). Row-major, like the flat parameter array.
 */
public sealed interface Tensor extends Node permits ArrayVariable, Comprehension {

    /** The extent of each dimension. */
    List<Integer> shape();

    /** The number of elements. */
    default int size() {
        int size = 1;
        for (int extent : shape()) {
            size = Math.multiplyExact(size, extent);
        }
        return size;
    }

    /** The row-major stride of dimension {@code dimension}. */
    default int stride(int dimension) {
        int stride = 1;
        List<Integer> shape = shape();
        for (int d = dimension + 1; d < shape.size(); d++) {
            stride *= shape.get(d);
        }
        return stride;
    }
}
