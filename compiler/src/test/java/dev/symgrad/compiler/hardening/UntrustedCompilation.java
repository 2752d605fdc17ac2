package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.diagnostic.CompileError;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one compilation of untrusted text the way a service would, on an ordinary thread, and classifies
 * how it ended: a result, the documented {@link CompileError}, or anything else (another exception, an
 * {@link Error} such as {@code OutOfMemoryError} or {@code StackOverflowError}, or no answer in time),
 * which fails the test with the input that caused it.
 */
final class UntrustedCompilation {

    /** The names every fuzzed input may use, as in the other property tests. */
    static final List<String> PARAMETERS = List.of("w", "b");
    static final List<String> INPUTS = List.of("x", "y");

    /** Far above anything a small input needs (milliseconds); only a hang reaches it. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "untrusted-compilation");
        thread.setDaemon(true);
        return thread;
    });

    private static final Pattern UNKNOWN_IDENTIFIER = Pattern.compile("unknown identifier '([^'\\\\]+)'");

    /** What came back: a value, or the compile error. */
    record Outcome<T>(T value, CompileError error) {
    }

    private UntrustedCompilation() {
    }

    /** Runs {@code compilation}; returns its value or its CompileError, and fails the test on anything else. */
    static <T> Outcome<T> run(String source, Callable<T> compilation) {
        Future<T> future = WORKERS.submit(compilation);
        try {
            return new Outcome<>(future.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CompileError error) {
                return new Outcome<>(null, error);
            }
            throw new AssertionError("threw " + e.getCause() + " instead of a CompileError for " + describe(source),
                    e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            return fail("no answer within " + TIME_LIMIT.toSeconds() + " s for " + describe(source));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /**
     * The error points into the input: a line of it, and a column from 1 to one past that line's last
     * character (where "unexpected end of input" points). An unknown identifier is pointed at exactly.
     */
    static void assertPositionedInside(CompileError error, String source) {
        int offset = offsetOf(source, error.line(), error.column());
        assertTrue(offset >= 0, () -> "position " + error.line() + ":" + error.column() + " is outside "
                + describe(source) + ":\n" + error.getMessage());
        int shown = error.sourceLineColumn() - 1;
        if (offset < source.length() && shown < error.sourceLine().length()) {
            char underCaret = error.sourceLine().charAt(shown);
            // Invisible characters are shown as '?', everything else as it is in the input.
            assertTrue(underCaret == source.charAt(offset) || underCaret == '?', () -> "the caret is under '"
                    + underCaret + "', the input has '" + source.charAt(offset) + "' there:\n" + error.getMessage());
        }
        Matcher unknown = UNKNOWN_IDENTIFIER.matcher(error.reason());
        if (unknown.matches()) {
            String name = unknown.group(1);
            assertTrue(source.startsWith(name, offset), () -> "'" + name + "' is not at " + error.line() + ":"
                    + error.column() + " of " + describe(source));
        }
    }

    /**
     * The offset of a 1-based line and column in {@code source}, counting {@code \n}, {@code \r\n} and
     * {@code \r} as line ends like {@code SourcePosition}; -1 if there is no such place.
     */
    static int offsetOf(String source, int line, int column) {
        int start = 0;
        for (int current = 1; current < line; current++) {
            int next = nextLineStart(source, start);
            if (next < 0) {
                return -1;
            }
            start = next;
        }
        int end = start;
        while (end < source.length() && source.charAt(end) != '\n' && source.charAt(end) != '\r') {
            end++;
        }
        return column >= 1 && start + column - 1 <= end ? start + column - 1 : -1;
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

    /** The input as a Java string literal, every unit outside printable ASCII escaped, so it can be pasted into a test. */
    static String describe(String source) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < source.length() && i < 2_000; i++) {
            char c = source.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(source.length() > 2_000 ? "...\"" : "\"").toString();
    }
}
