package dev.symgrad.compiler.ir;

/**
 * An integer index that runs over {@code 0 .. extent-1}: the variable of a {@link Sum} or of a
 * {@link Comprehension}. Every index is a distinct object with its own {@code id} (two loops both
 * called {@code j} are two indices); the name is for printing.
 */
public record Index(String name, int extent, int id) implements IndexTerm {

    public Index {
        if (extent < 1) {
            throw new IllegalArgumentException("an index needs an extent of at least 1, not " + extent);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
