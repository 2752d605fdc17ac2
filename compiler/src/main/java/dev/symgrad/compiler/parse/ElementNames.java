package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The names of the slots of a flat layout, in order: a scalar by its name, an array by its elements
 * row-major ({@code w[0]}, {@code w[1]} ..., {@code V[0][0]}, {@code V[0][1]} ...). Each name is made when
 * asked for, so the list of a 100,000-element array costs as little as the array's declaration.
 */
final class ElementNames extends AbstractList<String> implements RandomAccess {

    private final List<Node> declared;
    /** The first slot of each declared node, ascending. */
    private final int[] starts;
    private final int size;

    /** @param declared {@link Variable}s and {@link ArrayVariable}s, in layout order */
    ElementNames(List<Node> declared) {
        this.declared = List.copyOf(declared);
        this.starts = new int[declared.size()];
        int slot = 0;
        for (int i = 0; i < declared.size(); i++) {
            starts[i] = slot;
            slot += declared.get(i) instanceof ArrayVariable array ? array.size() : 1;
        }
        this.size = slot;
    }

    @Override
    public String get(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
        int found = Arrays.binarySearch(starts, slot);
        int k = found >= 0 ? found : -found - 2;
        Node node = declared.get(k);
        return node instanceof ArrayVariable array ? elementName(array.name(), array.shape(), slot - starts[k])
                : ((Variable) node).name();
    }

    @Override
    public int size() {
        return size;
    }

    /** {@code V[1][2]}: the name of the element at row-major position {@code flat}. */
    static String elementName(String name, List<Integer> shape, int flat) {
        int[] positions = new int[shape.size()];
        int rest = flat;
        for (int d = shape.size() - 1; d >= 0; d--) {
            positions[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        StringBuilder text = new StringBuilder(name);
        for (int position : positions) {
            text.append('[').append(position).append(']');
        }
        return text.toString();
    }
}
