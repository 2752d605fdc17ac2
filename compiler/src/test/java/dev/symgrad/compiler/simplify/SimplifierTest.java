package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.diff.ReverseMode;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.JavaPrinter;
import dev.symgrad.compiler.ir.Variable;
import dev.symgrad.compiler.parse.ExpressionParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The rule list as a whole: a fixed point is reached, and every rule is accounted for by its own test. */
class SimplifierTest {

    private static final List<String> PARAMETERS = List.of("w", "b");
    private static final List<String> INPUTS = List.of("x", "y");

    @ParameterizedTest
    @ValueSource(strings = {
            "(w * x) * (w * x)",
            "(w * x + b - y) * (w * x + b - y)",
            "Math.log1p(Math.exp(-y * (w * x + b)))",
            "Math.abs(w * x - y) <= 1 ? 0.5 * (w * x - y) * (w * x - y) : Math.abs(w * x - y) - 0.5",
            "-y * Math.log(1 / (1 + Math.exp(-(w * x + b)))) - (1 - y) * Math.log(1 - 1 / (1 + Math.exp(-(w * x + b))))",
            "Math.pow(x, w) + Math.pow(w, b) + Math.pow(w, 3) + Math.pow(b, -2) + Math.pow(w * b, 0.5)",
            "x > 0 && w > 0 || !(b < x) ? w * x : -w * b",
            "-(-(w * -x)) + 0 * b - (b - b) + w / 1 - -w * 2 * x * 3 * y * w",
            "Math.max(w, b) * Math.min(w * x, 0) + Math.hypot(w, b * x) / (2 * w * 3 * b)"})
    void simplifyingTwiceGivesTheIdenticalNodes(String loss) {
        ExprFactory f = new ExprFactory();
        Simplifier simplifier = new Simplifier(f);
        Expr parsed = new ExpressionParser().parse(loss, "<test>", PARAMETERS, INPUTS, f);
        Expr simplifiedLoss = simplifier.simplify(parsed);
        List<Variable> parameters = List.of(f.variable("w", Variable.Kind.PARAMETER, 0),
                f.variable("b", Variable.Kind.PARAMETER, 1));
        List<Expr> gradient = simplifier.simplify(new ReverseMode(f).gradient(simplifiedLoss, parameters));
        List<Expr> batch = new ArrayList<>();
        for (Expr partial : gradient) {
            batch.add(f.batchSum(partial));
        }
        batch.add(f.batchSum(simplifiedLoss));
        List<Expr> simplifiedBatch = simplifier.simplify(batch);

        List<Expr> all = new ArrayList<>(List.of(simplifiedLoss));
        all.addAll(gradient);
        all.addAll(simplifiedBatch);
        List<Expr> again = simplifier.simplify(all);
        for (int i = 0; i < all.size(); i++) {
            Expr once = all.get(i);
            assertSame(once, again.get(i), () -> "not a fixed point: " + JavaPrinter.print(once));
        }
    }

    @Test
    void stopsAfterABoundedNumberOfPasses() {
        ExprFactory f = new ExprFactory();
        Expr chain = f.variable("w", Variable.Kind.PARAMETER, 0);
        for (int i = 0; i < 2_000; i++) {
            chain = f.neg(f.mul(chain, f.constant(1.0)));
        }
        Expr start = chain;
        Expr simplified = assertDoesNotThrow(() -> new Simplifier(f).simplify(start));
        assertEquals("w", JavaPrinter.print(simplified));
    }

    @Test
    void everyRuleHasItsOwnTestClass() throws ClassNotFoundException {
        for (RewriteRule rule : Simplifier.RULES) {
            Class.forName(rule.getClass().getName() + "Test");
        }
        assertEquals(10, Simplifier.RULES.size(), "a new rule needs its own test class");
    }

    @Test
    void everyRuleHasAName() {
        List<String> names = Simplifier.RULES.stream().map(RewriteRule::name).toList();
        assertEquals(List.of("constant folding", "stable exponentials", "neutral elements", "absorbing elements",
                "same branches", "negation propagation", "integer powers", "like terms", "product normalization",
                "batch sum factoring"), names);
    }
}
