package dev.symgrad.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command's expression comes from: the argument, standard input ({@code -}) or {@code -f FILE}. */
final class ExpressionInput {

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPR",
            description = "The per-example loss in Java syntax; '-' reads it from standard input.")
    String expression;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the expression from FILE.")
    Path file;

    /** The text and the name error messages show for it. */
    record Source(String text, String name) {
    }

    Source read(InputStream standardInput) {
        if (file != null && expression != null) {
            throw new IllegalArgumentException("give the expression either as EXPR or with -f FILE, not both");
        }
        if (file != null) {
            try {
                return new Source(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IOException e) {
                throw new DataError(file.toString(), "cannot read: " + e.getMessage());
            }
        }
        if (expression == null) {
            throw new IllegalArgumentException("missing expression: give EXPR, '-' for standard input, or -f FILE");
        }
        if (expression.equals("-")) {
            try {
                return new Source(new String(standardInput.readAllBytes(), StandardCharsets.UTF_8).strip(), "<expression>");
            } catch (IOException e) {
                throw new DataError("<stdin>", "cannot read: " + e.getMessage());
            }
        }
        return new Source(expression, "<expression>");
    }
}
