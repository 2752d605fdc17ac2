package dev.symgrad.runtime;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The element names of a loss's parameters (or inputs), computed from the declarations behind them: a
 * scalar {@code b} is the element {@code b}; an array {@code V} of shape [32, 64] is the elements
 * {@code V[0][0]}, {@code V[0][1]}, ..., {@code V[31][63]}, row-major, so {@code V[m][j]} is at V's offset
 * plus {@code m·64 + j}. Declarations follow each other in the flat {@code double[]} in their order.
 *
 * <p>Nothing is stored per element: a wide loss ({@code w} of length 100,000) costs its declarations only.
 * {@link #get} formats a name on demand and {@link #indexOf} parses one, so neither scans the list.
 */
final class ElementNames extends AbstractList<String> implements RandomAccess {

    /** The most elements a list may hold: the longest {@code double[]} a JVM allocates, and P + 1 still an int. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Lists up to this long print element by element in error messages; longer ones by declaration. */
    static final int LISTED_IN_FULL = 16;

    private final String[] names;
    private final int[][] shapes;
    /** {@code offsets[d]} is where declaration d's elements begin; the last entry is the size. */
    private final int[] offsets;
    private final Map<String, Integer> declarationIndex;
    private final Map<String, List<Integer>> shapeMap;

    private ElementNames(List<String> names, List<int[]> shapes) {
        this.names = names.toArray(new String[0]);
        this.shapes = shapes.toArray(new int[0][]);
        this.offsets = new int[this.names.length + 1];
        this.declarationIndex = new HashMap<>();
        Map<String, List<Integer>> shapeMap = new LinkedHashMap<>();
        for (int d = 0; d < this.names.length; d++) {
            offsets[d + 1] = offsets[d] + elementCount(this.shapes[d]);
            declarationIndex.put(this.names[d], d);
            shapeMap.put(this.names[d], Arrays.stream(this.shapes[d]).boxed().toList());
        }
        this.shapeMap = Collections.unmodifiableMap(shapeMap);
    }

    /**
     * The elements of declared names with their shapes ({@code new int[0]} for a scalar), as a shaped
     * loss's generated class passes them; {@code role} ("parameter" or "input") names them in errors.
     *
     * @throws IllegalArgumentException if the arrays disagree in length, a name is null, empty, repeated or
     *                                  holds a bracket, a dimension is below 1, or there are too many elements
     */
    static ElementNames declared(String[] names, int[][] shapes, String role) {
        if (names == null || shapes == null) {
            throw new IllegalArgumentException(role + " names and shapes must not be null");
        }
        if (names.length != shapes.length) {
            throw new IllegalArgumentException(names.length + " " + role + " names but " + shapes.length
                    + " shapes; one shape per declared " + role + " expected");
        }
        Set<String> seen = new HashSet<>();
        long count = 0;
        for (int d = 0; d < names.length; d++) {
            checkDeclaredName(names[d], role, seen);
            count += checkedElementCount(names[d], shapes[d], role);
            if (count > MAX_ELEMENTS) {
                throw new IllegalArgumentException("more than " + MAX_ELEMENTS + " " + role + " elements declared");
            }
        }
        List<int[]> copies = new ArrayList<>();
        for (int[] shape : shapes) {
            copies.add(shape.clone());
        }
        return new ElementNames(List.of(names), copies);
    }

    /**
     * The declarations behind element names as the compiler generates them: consecutive {@code w[0]} ..
     * {@code w[k-1]} are the vector {@code w} of shape [k] (unless {@code w} is itself one of the names);
     * any other name is a scalar. The elements are exactly {@code elements}, in their order.
     *
     * @throws IllegalArgumentException if a name is null or repeated
     */
    static ElementNames inferredFrom(List<String> elements, String role) {
        Set<String> seen = new HashSet<>();
        for (String element : elements) {
            if (element == null) {
                throw new IllegalArgumentException("a " + role + " name is null");
            }
            if (!seen.add(element)) {
                throw new IllegalArgumentException("duplicate " + role + " name '" + element + "'");
            }
        }
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < elements.size(); ) {
            String base = vectorOfFirstElement(elements.get(i));
            int length = base == null || seen.contains(base) ? 0 : runLength(elements, i, base);
            names.add(length == 0 ? elements.get(i) : base);
            shapes.add(length == 0 ? new int[0] : new int[] {length});
            i += Math.max(length, 1);
        }
        return new ElementNames(names, shapes);
    }

    /** {@code w} for {@code w[0]} (the first element of a vector, by its name), else null. */
    private static String vectorOfFirstElement(String element) {
        if (!element.endsWith("[0]") || element.length() == "[0]".length()) {
            return null;
        }
        String base = element.substring(0, element.length() - "[0]".length());
        return base.indexOf('[') < 0 && base.indexOf(']') < 0 ? base : null;
    }

    /** How many of {@code elements}, from {@code start}, are {@code base[0]}, {@code base[1]}, ... in turn. */
    private static int runLength(List<String> elements, int start, String base) {
        int length = 0;
        while (start + length < elements.size() && elements.get(start + length).equals(base + "[" + length + "]")) {
            length++;
        }
        return length;
    }

    private static void checkDeclaredName(String name, String role, Set<String> seen) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a declared " + role + " name is " + (name == null ? "null" : "empty"));
        }
        if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
            throw new IllegalArgumentException("declared " + role + " name '" + name
                    + "' holds a bracket; its dimensions belong in its shape");
        }
        if (!seen.add(name)) {
            throw new IllegalArgumentException("duplicate " + role + " name '" + name + "'");
        }
    }

    private static long checkedElementCount(String name, int[] shape, String role) {
        if (shape == null) {
            throw new IllegalArgumentException("the shape of " + role + " '" + name + "' is null; a scalar's is new int[0]");
        }
        long count = 1;
        for (int dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException(role + " '" + name + "' has shape " + Arrays.toString(shape)
                        + "; every dimension must be at least 1");
            }
            count = Math.min(count * dimension, (long) MAX_ELEMENTS + 1);
        }
        return count;
    }

    private static int elementCount(int[] shape) {
        int count = 1;
        for (int dimension : shape) {
            count *= dimension;
        }
        return count;
    }

    @Override
    public int size() {
        return offsets[names.length];
    }

    /** The name of element {@code index}: its declaration's name, then its position in brackets. */
    @Override
    public String get(int index) {
        Objects.checkIndex(index, size());
        int declaration = declarationOf(index);
        int[] position = positionOf(index);
        StringBuilder name = new StringBuilder(names[declaration]);
        for (int k : position) {
            name.append('[').append(k).append(']');
        }
        return name.toString();
    }

    /** The position of {@code element} in the list, found by parsing its name; -1 if it is not one. */
    @Override
    public int indexOf(Object element) {
        if (!(element instanceof String)) {
            return -1;
        }
        String name = (String) element;
        Integer scalar = declarationIndex.get(name);
        if (scalar != null) {
            // A declared array's bare name is not an element; an inferred scalar may be named like one.
            return shapes[scalar].length == 0 ? offsets[scalar] : -1;
        }
        int open = name.indexOf('[');
        Integer declaration = open <= 0 ? null : declarationIndex.get(name.substring(0, open));
        return declaration == null ? -1 : elementIndex(declaration, name, open);
    }

    /** Elements are unique, so the last occurrence is the only one. */
    @Override
    public int lastIndexOf(Object element) {
        return indexOf(element);
    }

    @Override
    public boolean contains(Object element) {
        return indexOf(element) >= 0;
    }

    /** The index of {@code declaration}'s element written {@code name}, whose indices begin at {@code open}. */
    private int elementIndex(int declaration, String name, int open) {
        int[] shape = shapes[declaration];
        int at = open;
        int position = 0;
        for (int dimension : shape) {
            int close = name.indexOf(']', at);
            if (at >= name.length() || name.charAt(at) != '[' || close < 0) {
                return -1;
            }
            int k = parseIndex(name, at + 1, close);
            if (k < 0 || k >= dimension) {
                return -1;
            }
            position = position * dimension + k;
            at = close + 1;
        }
        return at == name.length() ? offsets[declaration] + position : -1;
    }

    /** The index written as {@code name[from..to)} in decimal as {@link #get} writes it (no sign, no leading 0), else -1. */
    private static int parseIndex(String name, int from, int to) {
        if (from == to || to - from > 10 || (name.charAt(from) == '0' && to - from > 1)) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char digit = name.charAt(i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            value = value * 10 + (digit - '0');
        }
        return value <= Integer.MAX_VALUE ? (int) value : -1;
    }

    /** The declaration element {@code index} belongs to. */
    int declarationOf(int index) {
        int found = Arrays.binarySearch(offsets, 0, names.length, index);
        return found >= 0 ? found : -found - 2;
    }

    /** The indices of element {@code index} within its declaration's shape, row-major; empty for a scalar. */
    int[] positionOf(int index) {
        int declaration = declarationOf(index);
        int[] shape = shapes[declaration];
        int[] position = new int[shape.length];
        int remainder = index - offsets[declaration];
        for (int r = shape.length - 1; r >= 0; r--) {
            position[r] = remainder % shape[r];
            remainder /= shape[r];
        }
        return position;
    }

    /** The number of declarations. */
    int declarationCount() {
        return names.length;
    }

    /** The name of declaration {@code declaration}, without brackets for an array. */
    String declaredName(int declaration) {
        return names[declaration];
    }

    /** The rank of declaration {@code d}: 0 for a scalar, 1 for a vector, 2 for a matrix. */
    int rankOf(int declaration) {
        return shapes[declaration].length;
    }

    /** Declared name → dimensions, in declaration order, unmodifiable. */
    Map<String, List<Integer>> shapes() {
        return shapeMap;
    }

    /**
     * The list for an error message: element by element while short ({@code [w[0], w[1], b]}), else by
     * declaration with each index's range ({@code [w[0..99999], V[0..31][0..63], b]}), so a wide loss's
     * message stays short and still says which names exist.
     */
    String summary() {
        if (size() <= LISTED_IN_FULL) {
            return toString();
        }
        StringJoiner declarations = new StringJoiner(", ", "[", "]");
        for (int d = 0; d < names.length; d++) {
            StringBuilder declaration = new StringBuilder(names[d]);
            for (int dimension : shapes[d]) {
                declaration.append(dimension == 1 ? "[0]" : "[0.." + (dimension - 1) + "]");
            }
            declarations.add(declaration);
        }
        return declarations.toString();
    }
}
