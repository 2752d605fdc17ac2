package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;

/**
 * A linear pass over the raw text that enforces {@link Limits} before the recursive-descent parser sees
 * it, and refuses backslashes: the language has no strings, so a backslash can only be a Unicode escape,
 * which would let the text mean something other than what it shows.
 *
 * <p>Unicode escapes are refused inside comments too. javac replaces them before it finds comments, so
 * <code>w // &#92;u000a * 2</code> means {@code w * 2} to Java, while JavaParser (which symgrad runs without that
 * preprocessing) would see a comment ending the loss at {@code w}. In a whole Java file, escapes in string
 * and character literals are refused for the same reason (<code>&#92;u0022</code> ends a string for javac); other
 * backslashes there are ordinary escape sequences.
 *
 * <p>It also refuses spaces that are not Java white space (JLS §3.6: only space, tab, form feed and
 * CR/LF are), such as U+00A0 or U+3000, outside comments and literals: javac rejects them as illegal
 * characters, JavaParser skips most of them as blanks, so the loss would compile here and nowhere else.
 * This runs before both the fast path and JavaParser.
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
        int comparisonsInSegment = 0;
        boolean operandExpected = true;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (javaSource && (c == '"' || c == '\'')) {
                int end = skipLiteral(source, i);
                refuseUnicodeEscapes(source, sourceName, i, end);
                i = end;
                continue;
            }
            if (c == '\\') {
                throw error(source, sourceName, i, "backslashes (Unicode escapes) are not allowed in a loss");
            }
            if (isJavaWhitespace(c)) {
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw error(source, sourceName, i, illegalSpace(c));
            }
            if (c == '/' && i + 1 < source.length() && (source.charAt(i + 1) == '/' || source.charAt(i + 1) == '*')) {
                int end = skipComment(source, i);
                if (javaSource) {
                    refuseUnicodeEscapes(source, sourceName, i, end);
                } else {
                    refuseBackslashes(source, sourceName, i, end);
                }
                i = end;
                continue;
            }
            if (!javaSource) {
                String refusal = refusal(source, i);
                if (refusal != null) {
                    throw error(source, sourceName, i, refusal);
                }
                int comparison = comparisonLength(source, i);
                if (comparison > 0) {
                    if (++comparisonsInSegment > 1) {
                        throw error(source, sourceName, i,
                                "comparisons cannot be chained; combine them with && or ||");
                    }
                    i += comparison - 1;
                    operandExpected = true;
                    prefixRun = 0;
                    continue;
                }
                if (c == '(' || c == ')' || c == '?' || c == ':' || c == ',' || c == '&' || c == '|') {
                    comparisonsInSegment = 0;
                }
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

    /**
     * Constructs no loss contains, refused here because JavaParser's lookahead on them can take time
     * quadratic or worse in their repetition ({@code (double)(double)...}, {@code a = b = ...}).
     */
    private static String refusal(String source, int i) {
        char c = source.charAt(i);
        char next = i + 1 < source.length() ? source.charAt(i + 1) : 0;
        char previous = i > 0 ? source.charAt(i - 1) : 0;
        if (c == '=' && next != '=' && "=<>!".indexOf(previous) < 0) {
            return "assignment is not allowed in a loss";
        }
        if (c == '-' && next == '>') {
            return "lambda expressions are not allowed in a loss";
        }
        if (c == '[' && !isElementAccess(source, i) || c == ']' && !closesElementAccess(source, i)) {
            return "arrays are not allowed in a loss; only an element of a declared vector, like w[0]";
        }
        if (c == '.' && next == '<') {
            return "type arguments are not allowed in a loss";
        }
        if ((c == '<' && next == '<') || (c == '>' && next == '>')) {
            return "shift operators are not supported; a loss computes with doubles";
        }
        if (c == '{' || c == '}') {
            return "braces are not allowed in a loss expression";
        }
        if (c == '(' && isPrimitiveCast(source, i + 1)) {
            return "casts are not allowed in a loss";
        }
        if (c == '.' && isQualifiedTwice(source, i)) {
            return "only Math.NAME and StrictMath.NAME can be qualified; this name has more than one '.'";
        }
        if (c == ')' && next == '.') {
            return "calls and fields on a value are not allowed in a loss";
        }
        if (c == ')') {
            // ')' followed by an operand is a cast, "(A) w" or "(w)(x)", or a missing operator.
            int after = skipJavaWhitespace(source, i + 1);
            if (after < source.length() && (source.charAt(after) == '(' || Character.isJavaIdentifierPart(source.charAt(after)))) {
                return "expected an operator after ')'; casts and implicit multiplication are not allowed";
            }
        }
        return null;
    }

    /** True at the second '.' of a dotted name such as {@code a.b.c} (numbers like {@code 1.5} do not count). */
    private static boolean isQualifiedTwice(String source, int dot) {
        int start = dot - 1;
        while (start >= 0 && (Character.isJavaIdentifierPart(source.charAt(start)) || source.charAt(start) == '.')) {
            start--;
        }
        start++;
        if (start >= dot || !Character.isJavaIdentifierStart(source.charAt(start))) {
            return false;
        }
        return source.substring(start, dot).indexOf('.') >= 0;
    }

    private static final String[] PRIMITIVE_TYPES = {"boolean", "byte", "char", "short", "int", "long", "float",
        "double"};

    /**
     * True if a primitive type name, then {@code ')'}, follows {@code from} (white space allowed around the
     * name). Matched by hand: this runs at every {@code '('}, and a regular expression's matcher per
     * parenthesis was 4 % of W5's compile (12,000 parentheses).
     */
    private static boolean isPrimitiveCast(String source, int from) {
        int start = skipJavaWhitespace(source, from);
        for (String type : PRIMITIVE_TYPES) {
            if (source.startsWith(type, start)) {
                int after = skipJavaWhitespace(source, start + type.length());
                return after < source.length() && source.charAt(after) == ')';
            }
        }
        return false;
    }

    private static int skipJavaWhitespace(String source, int from) {
        int i = from;
        while (i < source.length() && isJavaWhitespace(source.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The length of a comparison or shift operator starting at {@code i}, or 0. */
    private static int comparisonLength(String source, int i) {
        char c = source.charAt(i);
        char next = i + 1 < source.length() ? source.charAt(i + 1) : 0;
        if (c == '<' || c == '>') {
            return next == '=' || next == c ? 2 : 1;
        }
        if ((c == '=' || c == '!') && next == '=') {
            return 2;
        }
        return 0;
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

    /** Longest text between the brackets of a vector element, {@code w[...]}. */
    private static final int MAX_INDEX_LENGTH = 100;

    /**
     * {@code name[index]}: a name before the bracket, a short, non-empty index without brackets, braces or
     * assignments, and no second bracket after it. Everything else with brackets (array creation, types,
     * {@code a[0][1]}) stays refused: JavaParser's lookahead on repeated brackets is super-linear.
     */
    private static boolean isElementAccess(String source, int open) {
        int before = open - 1;
        while (before >= 0 && source.charAt(before) == ' ') {
            before--;
        }
        if (before < 0 || !Character.isJavaIdentifierPart(source.charAt(before))) {
            return false;
        }
        boolean empty = true;
        for (int i = open + 1; i < source.length() && i <= open + MAX_INDEX_LENGTH; i++) {
            char c = source.charAt(i);
            if (c == ']' && empty) {
                return false;
            }
            empty &= c == ' ';
            if (c == ']') {
                int after = i + 1;
                while (after < source.length() && source.charAt(after) == ' ') {
                    after++;
                }
                return after >= source.length() || source.charAt(after) != '[';
            }
            if (c == '[' || c == '{' || c == '}' || c == '=' || c == ';') {
                return false;
            }
        }
        return false;
    }

    /** True if the {@code ']'} at {@code close} ends an allowed {@link #isElementAccess element access}. */
    private static boolean closesElementAccess(String source, int close) {
        for (int i = close - 1; i >= 0 && i >= close - MAX_INDEX_LENGTH - 1; i--) {
            char c = source.charAt(i);
            if (c == '[') {
                return isElementAccess(source, i);
            }
            if (c == ']') {
                return false;
            }
        }
        return false;
    }

    /** Refuses any backslash in {@code source[from..to]}: in a loss expression it can only start a Unicode escape. */
    private static void refuseBackslashes(String source, String sourceName, int from, int to) {
        for (int i = from; i <= to && i < source.length(); i++) {
            if (source.charAt(i) == '\\') {
                throw error(source, sourceName, i, "backslashes (Unicode escapes) are not allowed in a loss");
            }
        }
    }

    /**
     * Refuses a Unicode escape in {@code source[from..to]}: a backslash preceded by an even number of
     * backslashes and followed by {@code u} (JLS §3.3).
     */
    private static void refuseUnicodeEscapes(String source, String sourceName, int from, int to) {
        int backslashes = 0;
        for (int i = from; i <= to && i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\' && backslashes % 2 == 0 && i + 1 < source.length() && source.charAt(i + 1) == 'u') {
                throw error(source, sourceName, i, "Unicode escapes are not allowed in a loss source file: javac"
                        + " reads them before comments and strings, symgrad does not");
            }
            backslashes = c == '\\' ? backslashes + 1 : 0;
        }
    }

    private static void check(int depth, int max, String source, String sourceName, int offset) {
        if (depth > max) {
            throw error(source, sourceName, offset, "expression nested more than " + max + " levels deep");
        }
    }

    /** Java's white space (JLS §3.6): space, tab, form feed, and the line terminators CR and LF. */
    private static boolean isJavaWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    /**
     * For a Unicode space that is not Java white space (no-break, em, ideographic, line separator, vertical
     * tab ...): JavaParser skips most of them like blanks, javac refuses them as illegal characters.
     */
    private static String illegalSpace(char c) {
        return String.format("illegal character '\\u%04x' (%s): Java whitespace is space, tab, form feed and"
                + " line terminators", (int) c, Character.getName(c));
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
