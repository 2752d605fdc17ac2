package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.simplify.Simplifier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simplification keeps the value of a loss up to rounding wherever Java computes it with finite
 * intermediates: the parsed IR and the simplified IR give the same number at random points.
 *
 * <p>The rules are only claimed exact for finite operands ({@code x*0 → 0} is not for x = ∞), so points
 * where any intermediate on the evaluated path is infinite or NaN are skipped, as are points within
 * rounding of a comparison switching, where a rounding difference may pick the other branch, and points
 * where the loss is too ill-conditioned for rounding differences to stay small
 * ({@link DerivativeOracle#isWellConditioned}).
 */
class SimplifierPreservesValuesTest extends RandomLossArbitraries {

    private static final double RELATIVE = 1e-9;
    private static final double KINK_RELATIVE = 1e-6;

    private final DerivativeOracle oracle = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 1);

    @Property(tries = 300)
    void simplifiedLossHasTheValueOfTheParsedLoss(@ForAll("losses") String source, @ForAll("points") Point point) {
        DerivativeOracle.Comparison comparison = oracle.comparableAt(source, point, RELATIVE, KINK_RELATIVE);
        DerivativeOracle.Evaluation java = comparison.expected();
        double tolerance = comparison.tolerance();
        ExprFactory factory = new ExprFactory();
        Expr parsed = new ExpressionParser().parse(source, "<expression>", RandomLosses.PARAMETERS, RandomLosses.INPUTS,
                factory);
        Expr simplified = new Simplifier(factory).simplify(parsed);

        double before = Evaluator.value(parsed, point.params(), point.example());
        double after = Evaluator.value(simplified, point.params(), point.example());
        assertTrue(Math.abs(before - after) <= tolerance, source + " at " + point + ": parsed " + before
                + ", simplified " + after + ", tolerance " + tolerance);
    }

    @Property(tries = 100)
    void parsedLossHasTheValueJavaGives(@ForAll("losses") String source, @ForAll("points") Point point) {
        DerivativeOracle.Comparison comparison = oracle.comparableAt(source, point, RELATIVE, KINK_RELATIVE);
        DerivativeOracle.Evaluation java = comparison.expected();
        double tolerance = comparison.tolerance();
        ExprFactory factory = new ExprFactory();
        Expr parsed = new ExpressionParser().parse(source, "<expression>", RandomLosses.PARAMETERS, RandomLosses.INPUTS,
                factory);
        double value = Evaluator.value(parsed, point.params(), point.example());
        assertTrue(Math.abs(java.value().getValue() - value) <= tolerance, source + " at " + point + ": Java "
                + java.value().getValue() + ", parsed IR " + value + ", tolerance " + tolerance);
    }
}
