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
    private final Excerpt excerpt;

    public CompileError(String sourceName, String source, SourcePosition position, String reason) {
        this(sourceName, position, visible(reason), Excerpt.of(lineOf(source, position.line()), position.column()));
    }

    private CompileError(String sourceName, SourcePosition position, String reason, Excerpt excerpt) {
        super(render(sourceName, position, reason, excerpt), null, false, false);
        this.sourceName = sourceName;
        this.position = position;
        this.reason = reason;
        this.excerpt = excerpt;
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

    /**
     * The source line the position points into, without its line terminator, as shown under the headline:
     * a line longer than {@value #SHOWN_LINE_LENGTH} characters is cut to that many around the column, with
     * {@code "... "} and {@code " ..."} marking what was left off.
     */
    public String sourceLine() {
        return excerpt.text();
    }

    /** The 1-based column of {@link #sourceLine()} the caret sits under: {@link #column()} unless the line was cut. */
    public int sourceLineColumn() {
        return excerpt.caretColumn();
    }

    /** The header line only: {@code <expression>:1:7: error: unknown identifier 'q'}. */
    public String headline() {
        return sourceName + ":" + position + ": error: " + reason;
    }

    private static String render(String sourceName, SourcePosition position, String reason, Excerpt excerpt) {
        String line = excerpt.text();
        StringBuilder caretLine = new StringBuilder();
        // Tabs are copied so the caret lines up under the same character in a terminal.
        for (int i = 0; i < excerpt.caretColumn() - 1; i++) {
            caretLine.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
        }
        caretLine.append('^');
        return sourceName + ":" + position + ": error: " + reason + "\n" + line + "\n" + caretLine;
    }

    /** Lines longer than this are shown cut around the column, so one-line losses of any size stay readable. */
    static final int SHOWN_LINE_LENGTH = 500;

    /** The shown part of the source line and the caret's column in it. */
    private record Excerpt(String text, int caretColumn) {

        private static final String LEFT_OFF = "...";

        static Excerpt of(String line, int column) {
            if (line.length() <= SHOWN_LINE_LENGTH) {
                return new Excerpt(printable(line), column);
            }
            // Keep the column near the middle of the window; a column past the end (end of input) still fits.
            int start = Math.max(0, Math.min(column - 1 - SHOWN_LINE_LENGTH / 2, line.length() - SHOWN_LINE_LENGTH));
            int end = Math.min(line.length(), start + SHOWN_LINE_LENGTH);
            String before = start > 0 ? LEFT_OFF + " " : "";
            String after = end < line.length() ? " " + LEFT_OFF : "";
            return new Excerpt(before + printable(line.substring(start, end)) + after,
                    column - start + before.length());
        }
    }

    /** Line {@code number} (1-based) of {@code source}, or "" past the end. */
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
        return source.substring(start, end);
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
