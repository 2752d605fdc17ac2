package dev.symgrad.compiler.parse;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import dev.symgrad.compiler.properties.RandomLosses;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast path builds exactly JavaParser's tree, ranges included, or gives up. */
class FastExpressionSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "(w * x) * (w * x)",
            "(w * x + b - y) * (w * x + b - y)",
            "Math.log1p(Math.exp(-y * (w0 * x0 + w1 * x1 + b)))",
            "(v0 * Math.tanh(a0 * x + c0) + d - y) * (v0 * Math.tanh(a0 * x + c0) + d - y)",
            "Math.PI * x + StrictMath.E",
            "-2147483648 + -9223372036854775808L + 2147483648",
            "1.5e-3f + .5 + 5d + 0L + 0 + 00.5 + 1e+5 + 2E-3D + 7. + 1.f",
            "x > 0 ? w : y < 1 ? b : -w",
            "!(x > 0) || y <= 2 && w != 1 || x == y && !!(b >= w)",
            "w *\n  x\n+ b",
            "  Math.max(w, x) - Math.pow(w, 2) + exp(x) + Math.hypot(w, Math.min(x, y)) ",
            "((((w))))",
            "w % 3 / 2 - +x",
            "true ? w : x",
            "f()",
            "w[0] * x[2] + w[1 + 1] - x[ 3 ]",
    })
    void buildsJavaParsersTree(String source) {
        Expression fast = FastExpressionSyntax.parse(source);
        assertNotNull(fast, "should be in the fast subset: " + source);
        assertSameTree(javaParser(source), fast);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "x\t+ w", "x +\r\n w", "/* c */ x", "x // c", "0x1F", "1_000", "017", "0b101", "w += 1", "x << 2", "x >> 2",
            "x & y", "x | y", "x ^ y", "~x", "x++", "--x", "\\u0077", "a.b.c", "(double) x", "new int[1]",
            "'a'", "\"s\"", "null", "w[0][1]", "w[", "this", "x -> x", "Math::exp", "w = 1", "été", "Math.exp(x).y", "x instanceof Y",
            "w\u00a0* x", "w\u2003* x", "w\u000b* x",
            // Syntax errors are JavaParser's to report.
            "w +", "(w", "w x", "Math.exp(", "? :", "", "   ", "1e", "1.2.3", "1x", "Math.", "x ? y", "f(x,)",
    })
    void givesUpOutsideTheSubsetOrOnErrors(String source) {
        assertNull(FastExpressionSyntax.parse(source), source);
    }

    @Property(tries = 300)
    void randomLossesParseToJavaParsersTree(@ForAll("losses") String source) {
        Expression fast = FastExpressionSyntax.parse(source);
        Statistics.label("fast path").collect(fast != null);
        if (fast != null) {
            assertSameTree(javaParser(source), fast);
        } else {
            // Then JavaParser must either fail or see something outside the subset.
            assertTrue(!javaParserResult(source).isSuccessful() || outsideSubset(source), source);
        }
    }

    @Provide
    Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 20_000})
    void longFlatSumsStayIterative(int terms) {
        String source = "w" + " + w".repeat(terms - 1);
        // JavaParser's equals and printer recurse through the 20,000-deep tree; compare node by node only.
        assertSameTree(javaParser(source), FastExpressionSyntax.parse(source), false);
    }

    private static boolean outsideSubset(String source) {
        return source.chars().anyMatch(c -> c == '\t' || c == '\r' || c > 127)
                || source.matches("(?s).*(0[0-9xXbB]|_|//|/\\*|\\\\).*");
    }

    private static ParseResult<Expression> javaParserResult(String source) {
        return ExpressionParser.newJavaParser().parseExpression(source);
    }

    private static Expression javaParser(String source) {
        ParseResult<Expression> result = javaParserResult(source);
        assertTrue(result.isSuccessful(), () -> "JavaParser fails on " + source + ": " + result.getProblems());
        return result.getResult().orElseThrow();
    }

    /**
     * Same node classes, operators, leaf values and ranges everywhere, compared iteratively (a 60,000-term
     * sum is a tree 60,000 deep); small trees are also compared with JavaParser's own {@code equals}.
     */
    private static void assertSameTree(Node expected, Node actual) {
        assertSameTree(expected, actual, true);
    }

    private static void assertSameTree(Node expected, Node actual, boolean alsoJavaParserEquals) {
        if (alsoJavaParserEquals) {
            assertEquals(expected, actual);
        }
        Deque<Node[]> pending = new ArrayDeque<>();
        pending.push(new Node[] {expected, actual});
        while (!pending.isEmpty()) {
            Node[] pair = pending.pop();
            assertEquals(pair[0].getRange(), pair[1].getRange(), () -> "range of " + abbreviated(pair[0]));
            assertEquals(pair[0].getClass(), pair[1].getClass());
            if (pair[0] instanceof BinaryExpr binary) {
                assertEquals(binary.getOperator(), ((BinaryExpr) pair[1]).getOperator());
            } else if (pair[0] instanceof UnaryExpr unary) {
                assertEquals(unary.getOperator(), ((UnaryExpr) pair[1]).getOperator());
            }
            List<Node> expectedChildren = pair[0].getChildNodes();
            if (expectedChildren.isEmpty()) {
                assertEquals(pair[0].toString(), pair[1].toString());
            }
            List<Node> actualChildren = pair[1].getChildNodes();
            assertEquals(expectedChildren.size(), actualChildren.size());
            for (int i = 0; i < expectedChildren.size(); i++) {
                pending.push(new Node[] {expectedChildren.get(i), actualChildren.get(i)});
            }
        }
    }

    private static String abbreviated(Node node) {
        String text = node.getRange().map(Object::toString).orElse("?");
        return node.getClass().getSimpleName() + "@" + text;
    }
}
