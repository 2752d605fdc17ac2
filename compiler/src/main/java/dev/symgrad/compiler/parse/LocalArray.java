package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local array of a method body, {@code double[] h = new double[32]}, and what has been written to it so
 * far: nothing, the whole array at once by an index loop (a {@link Comprehension}), or elements one by one
 * at constant positions (in straight code and unrolled loops). Each element is written once and read
 * after it is written; the array itself never leaves the method. Copies of the scopes of one path share
 * it; a path that forks (an {@code if} that returns) works on a {@link #copy()}.
 */
final class LocalArray implements MethodArray {

    private final String name;
    private final List<Integer> shape;
    private Comprehension whole;
    /** Elements written one by one, by row-major position; a map, so an unwritten array costs nothing. */
    private final Map<Integer, Expr> elements;

    LocalArray(String name, List<Integer> shape) {
        this(name, List.copyOf(shape), null, new HashMap<>());
    }

    private LocalArray(String name, List<Integer> shape, Comprehension whole, Map<Integer, Expr> elements) {
        this.name = name;
        this.shape = shape;
        this.whole = whole;
        this.elements = elements;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Integer> shape() {
        return shape;
    }

    /** The array written whole by an index loop, or null. */
    Comprehension whole() {
        return whole;
    }

    boolean isUnwritten() {
        return whole == null && elements.isEmpty();
    }

    /** True if elements have been written one by one (then only constant positions can read it). */
    boolean isWrittenElementwise() {
        return !elements.isEmpty();
    }

    /** The element at a row-major position written one by one, or null. */
    Expr element(int flat) {
        return elements.get(flat);
    }

    /** Writes one element; false if it was written before. */
    boolean writeElement(int flat, Expr value) {
        if (whole != null || elements.containsKey(flat)) {
            return false;
        }
        elements.put(flat, value);
        return true;
    }

    /** Writes the whole array; false if any element was written before. */
    boolean writeWhole(Comprehension array) {
        if (!isUnwritten()) {
            return false;
        }
        whole = array;
        return true;
    }

    /** An independent copy, for one of the paths after an {@code if} that returns. */
    LocalArray copy() {
        return new LocalArray(name, shape, whole, new HashMap<>(elements));
    }
}
