package dev.symgrad.compiler.ir;

/** A constant position in an array, as in {@code w[3]}. */
public record FixedIndex(int value) implements IndexTerm {

    public FixedIndex {
        if (value < 0) {
            throw new IllegalArgumentException("a position cannot be negative: " + value);
        }
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
