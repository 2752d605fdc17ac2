package dev.symgrad.cli;

/**
 * Bad batch data, rendered like a compiler message: {@code data.csv:3: error: ...}, then the offending
 * line and a caret under the cell. Thrown for user mistakes only, so it carries no stack trace.
 */
final class DataError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DataError(String source, long row, String reason, String line, int column) {
        super(render(source, row, reason, line, column), null, false, false);
    }

    DataError(String source, String reason) {
        super(source + ": error: " + reason, null, false, false);
    }

    private static String render(String source, long row, String reason, String line, int column) {
        String header = source + ":" + row + ": error: " + reason;
        if (line == null) {
            return header;
        }
        String shown = line.length() > 500 ? line.substring(0, 500) + " ..." : line;
        return header + "\n" + shown + "\n" + " ".repeat(Math.max(0, Math.min(column, shown.length()))) + "^";
    }
}
