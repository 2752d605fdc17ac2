package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;

/**
 * A linear pass over the raw text that enforces {@link Limits} before the recursive-descent parser sees
 * it, and refuses backslashes: the language has no strings, so a backslash can only be a Unicode escape,
 * which would let the text mean something other than what it shows.
 *
 * <p>The nesting it measures bounds the parser's recursion: at each parenthesis level, the depth is
 * the enclosing level's depth plus one, plus the conditionals opened at this level (they nest to the
 * right), plus the current run of prefix operators ({@code - - !x}).
 */
final class InputScanner {

    private InputScanner() {
    }

    static void check(String source, String sourceName, Limits limits) {
        check(source, sourceName, limits, false);
    }

    /**
     * @param javaSource true for a whole Java file: string and character literals are skipped (their
     *                   backslashes are ordinary escapes), braces nest like parentheses, and the count
     *                   of conditionals restarts at every statement
     */
    static void check(String source, String sourceName, Limits limits, boolean javaSource) {
        if (source.length() > limits.maxLength()) {
            throw new CompileError(sourceName, source, SourcePosition.START, "input is " + source.length()
                    + " characters long; the limit is " + limits.maxLength());
        }
        int max = limits.maxNesting();
        int[] baseOfLevel = new int[max + 2];
        int[] conditionalsOfLevel = new int[max + 2];
        int level = 0;
        int prefixRun = 0;
        boolean operandExpected = true;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (javaSource && (c == '"' || c == '\'')) {
                i = skipLiteral(source, i);
                continue;
            }
            if (c == '\\') {
                throw error(source, sourceName, i, "backslashes (Unicode escapes) are not allowed in a loss");
            }
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (c == '/' && i + 1 < source.length() && (source.charAt(i + 1) == '/' || source.charAt(i + 1) == '*')) {
                i = skipComment(source, i);
                continue;
            }
            if (javaSource && c == ';') {
                conditionalsOfLevel[level] = 0;
                prefixRun = 0;
                operandExpected = true;
                continue;
            }
            if (c == '(' || (javaSource && c == '{')) {
                int depth = baseOfLevel[level] + conditionalsOfLevel[level] + prefixRun + 1;
                check(depth, max, source, sourceName, i);
                level++;
                baseOfLevel[level] = depth;
                conditionalsOfLevel[level] = 0;
                prefixRun = 0;
                operandExpected = true;
            } else if (c == ')' || (javaSource && c == '}')) {
                level = Math.max(0, level - 1);
                prefixRun = 0;
                operandExpected = false;
            } else if (c == '?') {
                conditionalsOfLevel[level]++;
                prefixRun = 0;
                check(baseOfLevel[level] + conditionalsOfLevel[level], max, source, sourceName, i);
                operandExpected = true;
            } else if (isOperatorChar(c) || c == ':' || c == ',') {
                if (operandExpected && (c == '-' || c == '+' || c == '!' || c == '~')) {
                    prefixRun++;
                    check(baseOfLevel[level] + conditionalsOfLevel[level] + prefixRun, max, source, sourceName, i);
                }
                operandExpected = true;
            } else {
                prefixRun = 0;
                operandExpected = false;
            }
        }
    }

    /** The index of the last character of the string, text block or character literal starting at {@code start}. */
    private static int skipLiteral(String source, int start) {
        char quote = source.charAt(start);
        if (quote == '"' && source.startsWith("\"\"\"", start)) {
            int end = source.indexOf("\"\"\"", start + 3);
            return end < 0 ? source.length() : end + 2;
        }
        for (int i = start + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote || c == '\n') {
                return i;
            }
        }
        return source.length();
    }

    private static void check(int depth, int max, String source, String sourceName, int offset) {
        if (depth > max) {
            throw error(source, sourceName, offset, "expression nested more than " + max + " levels deep");
        }
    }

    private static boolean isOperatorChar(char c) {
        return "+-*/%<>=!&|^~".indexOf(c) >= 0;
    }

    private static int skipComment(String source, int start) {
        if (source.charAt(start + 1) == '/') {
            int end = start;
            while (end < source.length() && source.charAt(end) != '\n' && source.charAt(end) != '\r') {
                end++;
            }
            return end;
        }
        int end = source.indexOf("*/", start + 2);
        return end < 0 ? source.length() : end + 1;
    }

    private static CompileError error(String source, String sourceName, int offset, String reason) {
        return new CompileError(sourceName, source, SourcePosition.ofOffset(source, offset), reason);
    }
}
