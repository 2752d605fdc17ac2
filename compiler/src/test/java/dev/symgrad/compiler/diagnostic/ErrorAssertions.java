package dev.symgrad.compiler.diagnostic;

import dev.symgrad.compiler.Symgrad;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Assertions for error fixtures: the input and the exact headline are written inline at the call site,
 * and every rendered message is also checked to put its caret under the reported column.
 */
public final class ErrorAssertions {

    /** The names every fixture may use: parameters {@code w, b}, inputs {@code x, y}. */
    public static final List<String> PARAMETERS = List.of("w", "b");
    public static final List<String> INPUTS = List.of("x", "y");

    private ErrorAssertions() {
    }

    /** Compiling {@code source} over {@code w, b; x, y} fails with exactly {@code headline}, caret in place. */
    public static CompileError assertError(String source, String headline) {
        CompileError error = assertThrows(CompileError.class,
                () -> Symgrad.compile(source, PARAMETERS, INPUTS), () -> "accepted: " + source);
        assertEquals(headline, error.headline(), () -> "for input: " + source);
        assertRendering(error);
        return error;
    }

    /**
     * The rendered message is the headline, the source line, and a caret line whose caret sits under
     * column {@link CompileError#column()} (its place in the shown part of a cut line), with the tabs of the source line copied so that terminals
     * line it up.
     */
    public static void assertRendering(CompileError error) {
        String[] lines = error.getMessage().split("\n", -1);
        assertEquals(3, lines.length, () -> "three lines expected:\n" + error.getMessage());
        assertEquals(error.headline(), lines[0]);
        assertEquals(error.sourceLine(), lines[1]);
        if (error.sourceLine().length() <= 500) {
            assertEquals(error.column(), error.sourceLineColumn(), "a line that was not cut keeps its columns");
        }
        assertEquals(expectedCaretLine(error.sourceLine(), error.sourceLineColumn()), lines[2],
                () -> "caret not under column " + error.column() + ":\n" + error.getMessage());
    }

    /** Blanks (tabs where the source has tabs) up to the column, then the caret. */
    public static String expectedCaretLine(String sourceLine, int column) {
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < column - 1; i++) {
            caret.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        return caret.append('^').toString();
    }
}
