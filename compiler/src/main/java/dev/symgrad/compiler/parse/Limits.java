package dev.symgrad.compiler.parse;

/**
 * The size limits every input is checked against before anything recursive runs. They are generous for
 * real losses and small enough that no input can exhaust the stack or the heap.
 *
 * @param maxLength  characters of source text
 * @param maxNesting depth of nested parentheses, prefix operators and conditionals together; the parser
 *                   (JavaParser, recursive descent) uses stack in proportion to it; see {@link DeepStack}
 */
public record Limits(int maxLength, int maxNesting) {

    /** The defaults stated in the README. */
    public static final Limits DEFAULT = new Limits(500_000, 1_000);

    public Limits {
        if (maxLength < 1 || maxNesting < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
