package dev.symgrad.compiler.parse;

import com.github.javaparser.JavaParser;
import com.github.javaparser.JavaToken;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ParseException;
import com.github.javaparser.Token;
import com.github.javaparser.ast.expr.Expression;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Variable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parse stage for loss strings. In: source text and the declared parameter and input names. Out: a
 * per-example {@link Expr} built by the given factory, or a {@link CompileError} with a position.
 */
public final class ExpressionParser {

    /** The source name used in messages about expression strings. */
    public static final String EXPRESSION_SOURCE = "<expression>";

    private final Limits limits;

    public ExpressionParser(Limits limits) {
        this.limits = limits;
    }

    public ExpressionParser() {
        this(Limits.DEFAULT);
    }

    /** Parses and lowers {@code source}; variables get indices in the order of the two lists. */
    public Expr parse(String source, String sourceName, List<String> parameters, List<String> inputs, ExprFactory factory) {
        InputScanner.check(source, sourceName, limits);
        Expression syntax = parseSyntax(source, sourceName);
        Map<String, Expr> scope = declare(parameters, inputs, factory);
        return new ExpressionLowering(factory, scope, sourceName, source).lowerNumber(syntax);
    }

    /** The variables of a loss, parameters first, each bound to its name. */
    public static Map<String, Expr> declare(List<String> parameters, List<String> inputs, ExprFactory factory) {
        Map<String, Expr> scope = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            scope.put(parameters.get(i), factory.variable(parameters.get(i), Variable.Kind.PARAMETER, i));
        }
        for (int i = 0; i < inputs.size(); i++) {
            scope.put(inputs.get(i), factory.variable(inputs.get(i), Variable.Kind.INPUT, i));
        }
        return scope;
    }

    private static Expression parseSyntax(String source, String sourceName) {
        DeepStack.Outcome<ParseResult<Expression>> outcome = DeepStack.call(() -> {
            Expression fast = FastExpressionSyntax.parse(source);
            return fast != null ? new ParseResult<>(fast, List.of(), null) : newJavaParser().parseExpression(source);
        });
        if (outcome.overflowed()) {
            throw new CompileError(sourceName, source, SourcePosition.START, "expression nested too deeply to parse");
        }
        return resultOrError(outcome.value(), source, sourceName);
    }

    /** The parsed tree, or the first syntax problem as a positioned error. */
    static <T> T resultOrError(ParseResult<T> result, String source, String sourceName) {
        if (result.isSuccessful() && result.getResult().isPresent()) {
            return result.getResult().get();
        }
        SourcePosition position = SourcePosition.START;
        String reason = "syntax error";
        Problem problem = result.getProblems().isEmpty() ? null : result.getProblems().get(0);
        if (problem != null && problem.getCause().orElse(null) instanceof ParseException parse
                && parse.currentToken != null && parse.currentToken.next != null) {
            // JavaParser keeps the offending token only in the cause: the token after the last good one.
            Token token = parse.currentToken.next;
            if (token.kind == 0) {
                position = SourcePosition.ofOffset(source, source.length());
                reason = "unexpected end of input";
            } else {
                position = new SourcePosition(Math.max(1, token.beginLine), Math.max(1, token.beginColumn));
                reason = "unexpected '" + shorten(token.image) + "'";
            }
        } else if (problem != null && problem.getLocation().isPresent()) {
            JavaToken token = problem.getLocation().get().getBegin();
            if (token.getRange().isPresent()) {
                position = ExpressionLowering.toPosition(token.getRange().get().begin);
            }
            reason = token.getKind() == JavaToken.Kind.EOF.getKind()
                    ? "unexpected end of input"
                    : "unexpected '" + shorten(token.getText()) + "'";
        } else if (problem != null && problem.getMessage() != null) {
            Matcher lexical = LEXICAL_ERROR.matcher(problem.getMessage());
            if (lexical.find()) {
                position = new SourcePosition(Math.max(1, Integer.parseInt(lexical.group(1))),
                        Math.max(1, Integer.parseInt(lexical.group(2))));
                reason = "unexpected character";
            }
        }
        throw new CompileError(sourceName, source, position, reason);
    }

    /** JavaParser's lexer reports position only in its message. */
    private static final Pattern LEXICAL_ERROR = Pattern.compile("Lexical error at line (\\d+), column (\\d+)");

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /**
     * A parser that only builds the tree: no language-level validators, no comment attribution, no
     * symbol resolution. Validators would walk the tree recursively, and a long sum is a deep tree.
     */
    static JavaParser newJavaParser() {
        ParserConfiguration configuration = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.RAW)
                .setAttributeComments(false)
                .setLexicalPreservationEnabled(false)
                .setPreprocessUnicodeEscapes(false);
        return new JavaParser(configuration);
    }
}
