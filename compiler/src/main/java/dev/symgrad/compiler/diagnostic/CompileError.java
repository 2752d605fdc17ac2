package dev.symgrad.compiler.diagnostic;

/**
 * The one error type for mistakes in a user's loss: it carries where (source name, line, column) and
 * what, and renders like a compiler diagnostic:
 *
 * <pre>
 * &lt;expression&gt;:1:7: error: unknown identifier 'q'
 * w * x + q
 *         ^
 * </pre>
 *
 * {@link #getMessage()} is the rendered form; the parts are available separately. It is unchecked so that
 * callers who compile trusted, constant strings need no ceremony, but it is always thrown with a position
 * inside the input and never wraps an internal exception.
 */
public final class CompileError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final SourcePosition position;
    private final String reason;
    private final String sourceLine;

    public CompileError(String sourceName, String source, SourcePosition position, String reason) {
        super(render(sourceName, lineOf(source, position.line()), position, visible(reason)), null, false, false);
        this.sourceName = sourceName;
        this.position = position;
        this.reason = visible(reason);
        this.sourceLine = lineOf(source, position.line());
    }

    /** The name shown before the position, e.g. {@code <expression>} or {@code Losses.java}. */
    public String sourceName() {
        return sourceName;
    }

    public SourcePosition position() {
        return position;
    }

    public int line() {
        return position.line();
    }

    public int column() {
        return position.column();
    }

    /** The message without position and source line, e.g. {@code unknown identifier 'q'}. */
    public String reason() {
        return reason;
    }

    /** The source line the position points into, without its line terminator. */
    public String sourceLine() {
        return sourceLine;
    }

    /** The header line only: {@code <expression>:1:7: error: unknown identifier 'q'}. */
    public String headline() {
        return sourceName + ":" + position + ": error: " + reason;
    }

    private static String render(String sourceName, String line, SourcePosition position, String reason) {
        StringBuilder caretLine = new StringBuilder();
        // Tabs are copied so the caret lines up under the same character in a terminal.
        for (int i = 0; i < position.column() - 1 && i < line.length(); i++) {
            caretLine.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        caretLine.append('^');
        return sourceName + ":" + position + ": error: " + reason + "\n" + line + "\n" + caretLine;
    }

    /** Line {@code number} (1-based) of {@code source}, shortened around nothing; long lines are cut at 500 chars. */
    private static String lineOf(String source, int number) {
        if (source == null) {
            return "";
        }
        int start = 0;
        for (int current = 1; current < number; current++) {
            int next = nextLineStart(source, start);
            if (next < 0) {
                return "";
            }
            start = next;
        }
        int end = start;
        while (end < source.length() && source.charAt(end) != '\n' && source.charAt(end) != '\r') {
            end++;
        }
        String line = source.substring(start, end);
        return printable(line.length() > 500 ? line.substring(0, 500) + " ..." : line);
    }

    private static int nextLineStart(String source, int from) {
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < source.length() && source.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return -1;
    }

    /**
     * Control characters would garble a terminal, and invisible ones (format characters such as the
     * bidirectional overrides of "Trojan Source", line separators, unpaired surrogates) would hide or
     * reorder what the user wrote; show each as '?' so columns still line up.
     */
    private static String printable(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            out.append(c != '\t' && isInvisible(line, i) ? '?' : c);
        }
        return out.toString();
    }

    /**
     * The reason with invisible characters spelled as <code>&#92;uXXXX</code>: reasons quote the user's text
     * (<code>unknown identifier 'w&#92;u200b'</code>), and a name with a zero-width character in it should not
     * look like a declared one.
     */
    private static String visible(String reason) {
        StringBuilder out = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (isInvisible(reason, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isInvisible(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
