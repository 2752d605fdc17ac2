package dev.symgrad.compiler.parse;

import com.github.javaparser.Position;
import com.github.javaparser.Range;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.SimpleName;
import com.github.javaparser.ast.expr.UnaryExpr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fast path for the common case: a well-formed loss in a plain subset of Java expression syntax,
 * parsed straight into the same JavaParser tree (node for node, with the same ranges) that
 * {@code JavaParser.parseExpression} builds, so that lowering, typing and every later error are
 * unchanged.
 *
 * <p>Why: JavaParser's generated lexer and lookahead cost about 0.8 µs per character here (220 ms for
 * the 268,000-character benchmark loss W5, 0.5 ms for a 110-character logistic loss), and loading
 * its parser classes is a large part of a cold first compile. This parser is one linear pass.
 *
 * <p>It accepts ASCII identifiers, decimal literals without underscores or leading zeros,
 * {@code + - * / %}, comparisons, {@code && || !}, {@code ?:}, parentheses, calls, one-dot names
 * ({@code Math.exp(x)}, {@code Math.PI}) and vector elements ({@code w[2]}), separated by spaces and
 * newlines. Anything else (tabs,
 * comments, Unicode escapes, other literals or operators) and every syntax error returns null: the
 * caller then runs JavaParser, which either parses it or reports the error exactly as before. A test
 * compares both trees on random and hand-picked inputs. Spaces other than Java's never get here:
 * {@link InputScanner} refuses them first.
 */
final class FastExpressionSyntax {

    /** Java's reserved words and literals other than {@code true}/{@code false}: left to JavaParser. */
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "null", "var", "yield", "record", "sealed", "permits", "non-sealed", "_");

    /** Thrown to give up; no stack trace, it never escapes {@link #parse}. */
    private static final class NotInSubset extends RuntimeException {
        NotInSubset() {
            super(null, null, false, false);
        }
    }

    private static final NotInSubset GIVE_UP = new NotInSubset();

    private enum Kind { NAME, NUMBER, OPERATOR, END }

    private record Token(Kind kind, String text, int line, int column, int endLine, int endColumn) {
        Position begin() {
            return new Position(line, column);
        }

        Position end() {
            return new Position(endLine, endColumn);
        }

        boolean is(String operator) {
            return kind == Kind.OPERATOR && text.equals(operator);
        }
    }

    private final List<Token> tokens;
    private int next;

    private FastExpressionSyntax(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The JavaParser tree of {@code source}, or null if it is outside the subset or not well formed. */
    static Expression parse(String source) {
        try {
            FastExpressionSyntax parser = new FastExpressionSyntax(tokenize(source));
            Expression expression = parser.conditional();
            return parser.peek().kind == Kind.END ? expression : null;
        } catch (NotInSubset e) {
            return null;
        }
    }

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (c == '\n') {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            int start = i;
            Kind kind;
            if (isNameStart(c)) {
                while (i < n && isNamePart(source.charAt(i))) {
                    i++;
                }
                kind = Kind.NAME;
                if (KEYWORDS.contains(source.substring(start, i))) {
                    throw GIVE_UP;
                }
            } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(source.charAt(i + 1))) {
                i = endOfNumber(source, i);
                kind = Kind.NUMBER;
            } else {
                i = endOfOperator(source, i);
                kind = Kind.OPERATOR;
            }
            int column = start - lineStart + 1;
            tokens.add(new Token(kind, source.substring(start, i), line, column, line, column + (i - start) - 1));
        }
        tokens.add(new Token(Kind.END, "", line, 1, line, 1));
        return tokens;
    }

    private static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Decimal integer, long or floating-point literal; octal, hex, binary and underscores give up. */
    private static int endOfNumber(String s, int start) {
        int i = start;
        int n = s.length();
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        boolean floating = false;
        if (i < n && s.charAt(i) == '.') {
            floating = true;
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            floating = true;
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int digits = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw GIVE_UP;
            }
        }
        boolean integerPart = isDigit(s.charAt(start));
        if (!floating && integerPart && s.charAt(start) == '0' && i - start > 1) {
            throw GIVE_UP; // octal
        }
        if (i < n) {
            char suffix = s.charAt(i);
            if (suffix == 'f' || suffix == 'F' || suffix == 'd' || suffix == 'D' || !floating && (suffix == 'l' || suffix == 'L')) {
                i++;
            }
        }
        if (i < n && (isNamePart(s.charAt(i)) || s.charAt(i) == '.')) {
            throw GIVE_UP; // 1x, 0x1F, 1_000, 1.2.3: JavaParser decides
        }
        return i;
    }

    private static int endOfOperator(String s, int i) {
        char c = s.charAt(i);
        char d = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        switch (c) {
            case '&', '|' -> {
                if (d != c) {
                    throw GIVE_UP; // & | and compound assignments
                }
                return i + 2;
            }
            case '<', '>', '=', '!' -> {
                if (d == '=') {
                    return i + 2;
                }
                if (c == '=' || c != '!' && d == c) {
                    throw GIVE_UP; // assignment, shifts
                }
                return i + 1;
            }
            case '+', '-' -> {
                if (d == c || d == '=' || c == '-' && d == '>') {
                    throw GIVE_UP; // ++ -- += -= ->
                }
                return i + 1;
            }
            case '*', '/', '%' -> {
                if (d == '=' || c == '/' && (d == '/' || d == '*')) {
                    throw GIVE_UP; // compound assignments, comments
                }
                return i + 1;
            }
            case '(', ')', ',', '?', ':', '.', '[', ']' -> {
                if (c == ':' && d == ':') {
                    throw GIVE_UP; // method references
                }
                return i + 1;
            }
            default -> throw GIVE_UP;
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private Token expect(String operator) {
        Token token = take();
        if (!token.is(operator)) {
            throw GIVE_UP;
        }
        return token;
    }

    private static <T extends Node> T ranged(T node, Position begin, Position end) {
        node.setRange(new Range(begin, end));
        return node;
    }

    private static Position begin(Node node) {
        return node.getRange().orElseThrow().begin;
    }

    private static Position end(Node node) {
        return node.getRange().orElseThrow().end;
    }

    /** {@code a ? b : c}, right-associative, below every binary operator. */
    private Expression conditional() {
        Expression test = binary(0);
        if (!peek().is("?")) {
            return test;
        }
        take();
        Expression ifTrue = conditional();
        expect(":");
        Expression ifFalse = conditional();
        return ranged(new ConditionalExpr(test, ifTrue, ifFalse), begin(test), end(ifFalse));
    }

    /** Binary levels from loosest to tightest, as in the JLS (§15.17-15.24). */
    private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("==", "!="),
            List.of("<", ">", "<=", ">="), List.of("+", "-"), List.of("*", "/", "%"));

    private Expression binary(int level) {
        if (level == LEVELS.size()) {
            return unary();
        }
        Expression left = binary(level + 1);
        while (peek().kind == Kind.OPERATOR && LEVELS.get(level).contains(peek().text)) {
            BinaryExpr.Operator operator = binaryOperator(take().text);
            Expression right = binary(level + 1);
            left = ranged(new BinaryExpr(left, right, operator), begin(left), end(right));
        }
        return left;
    }

    private static BinaryExpr.Operator binaryOperator(String text) {
        return switch (text) {
            case "||" -> BinaryExpr.Operator.OR;
            case "&&" -> BinaryExpr.Operator.AND;
            case "==" -> BinaryExpr.Operator.EQUALS;
            case "!=" -> BinaryExpr.Operator.NOT_EQUALS;
            case "<" -> BinaryExpr.Operator.LESS;
            case ">" -> BinaryExpr.Operator.GREATER;
            case "<=" -> BinaryExpr.Operator.LESS_EQUALS;
            case ">=" -> BinaryExpr.Operator.GREATER_EQUALS;
            case "+" -> BinaryExpr.Operator.PLUS;
            case "-" -> BinaryExpr.Operator.MINUS;
            case "*" -> BinaryExpr.Operator.MULTIPLY;
            case "/" -> BinaryExpr.Operator.DIVIDE;
            default -> BinaryExpr.Operator.REMAINDER;
        };
    }

    private Expression unary() {
        Token token = peek();
        UnaryExpr.Operator operator = token.is("-") ? UnaryExpr.Operator.MINUS : token.is("+") ? UnaryExpr.Operator.PLUS
                : token.is("!") ? UnaryExpr.Operator.LOGICAL_COMPLEMENT : null;
        if (operator == null) {
            return primary();
        }
        take();
        Expression operand = unary();
        return ranged(new UnaryExpr(operand, operator), token.begin(), end(operand));
    }

    private Expression primary() {
        Token token = take();
        if (token.kind == Kind.NUMBER) {
            return ranged(literal(token.text), token.begin(), token.end());
        }
        if (token.is("(")) {
            Expression inner = conditional();
            Token close = expect(")");
            return ranged(new EnclosedExpr(inner), token.begin(), close.end());
        }
        if (token.kind != Kind.NAME) {
            throw GIVE_UP;
        }
        if (token.text.equals("true") || token.text.equals("false")) {
            return ranged(new BooleanLiteralExpr(token.text.equals("true")), token.begin(), token.end());
        }
        SimpleName name = ranged(new SimpleName(token.text), token.begin(), token.end());
        if (peek().is("(")) {
            return call(null, name, token.begin());
        }
        if (peek().is("[")) {
            take();
            NameExpr vector = ranged(new NameExpr(name), token.begin(), token.end());
            Expression index = conditional();
            Token close = expect("]");
            if (peek().is("[")) {
                throw GIVE_UP; // w[0][1]: JavaParser's
            }
            return ranged(new ArrayAccessExpr(vector, index), token.begin(), close.end());
        }
        if (!peek().is(".")) {
            return ranged(new NameExpr(name), token.begin(), token.end());
        }
        take();
        Token member = take();
        if (member.kind != Kind.NAME || member.text.equals("true") || member.text.equals("false")) {
            throw GIVE_UP;
        }
        NameExpr scope = ranged(new NameExpr(name), token.begin(), token.end());
        SimpleName memberName = ranged(new SimpleName(member.text), member.begin(), member.end());
        if (peek().is("(")) {
            return call(scope, memberName, token.begin());
        }
        if (peek().is(".")) {
            throw GIVE_UP; // a.b.c: JavaParser's names, and refused by the input scanner anyway
        }
        return ranged(new FieldAccessExpr(scope, null, memberName), token.begin(), member.end());
    }

    private Expression call(Expression scope, SimpleName name, Position begin) {
        expect("(");
        NodeList<Expression> arguments = new NodeList<>();
        if (!peek().is(")")) {
            arguments.add(conditional());
            while (peek().is(",")) {
                take();
                arguments.add(conditional());
            }
        }
        Token close = expect(")");
        return ranged(new MethodCallExpr(scope, null, name, arguments), begin, close.end());
    }

    private static Expression literal(String text) {
        char last = text.charAt(text.length() - 1);
        if (last == 'l' || last == 'L') {
            return new LongLiteralExpr(text);
        }
        boolean floating = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0
                || last == 'f' || last == 'F' || last == 'd' || last == 'D';
        return floating ? new DoubleLiteralExpr(text) : new IntegerLiteralExpr(text);
    }
}
