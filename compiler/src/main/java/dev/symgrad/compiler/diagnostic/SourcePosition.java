package dev.symgrad.compiler.diagnostic;

/**
 * A place in the user's text: 1-based line and 1-based column, counted in characters (UTF-16 units)
 * as the user sees them in the source line printed under the error.
 */
public record SourcePosition(int line, int column) {

    /** The start of the text, for errors about the input as a whole. */
    public static final SourcePosition START = new SourcePosition(1, 1);

    public SourcePosition {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
    }

    /** The position of character {@code offset} (0-based) in {@code text}, counting \n, \r\n and \r as line ends. */
    public static SourcePosition ofOffset(String text, int offset) {
        int line = 1;
        int column = 1;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r') {
                column++;
            }
        }
        return new SourcePosition(line, column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
