package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.IndexTerm;

import java.util.List;

/**
 * An array a method body indexes: a {@code double[]} or {@code double[][]} parameter (read-only) or a
 * local array the body writes. Both are row-major, like the flat layouts.
 */
sealed interface MethodArray permits ParameterArray, LocalArray {

    String name();

    /** The extent of each dimension: one for a {@code double[]}, two for a {@code double[][]}. */
    List<Integer> shape();

    default int rank() {
        return shape().size();
    }

    /** {@code double[]} or {@code double[][]}. */
    default String typeName() {
        return ArrayShapes.typeName(rank());
    }

    /** {@code w[3]} or {@code V[32][64]}: the name with its extents, as messages show an array. */
    default String declared() {
        StringBuilder text = new StringBuilder(name());
        for (int extent : shape()) {
            text.append('[').append(extent).append(']');
        }
        return text.toString();
    }

    /** {@code w[0]} or {@code V[0][0]}: the first element, as messages suggest using one. */
    default String firstElement() {
        return name() + "[0]".repeat(rank());
    }

    /** The row-major position of an element at fixed positions. */
    static int flatPosition(List<Integer> shape, List<IndexTerm> at) {
        int flat = 0;
        for (int d = 0; d < shape.size(); d++) {
            flat = flat * shape.get(d) + ((FixedIndex) at.get(d)).value();
        }
        return flat;
    }

    /** {@code h[3]} or {@code H[k][2]}: an element as the source names it. */
    static String describe(String name, List<IndexTerm> at) {
        StringBuilder text = new StringBuilder(name);
        for (IndexTerm term : at) {
            text.append('[').append(term).append(']');
        }
        return text.toString();
    }
}
