package dev.symgrad.compiler.properties;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import net.jqwik.api.Assume;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reference for a loss and its derivatives: it reads the loss text with JavaParser and
 * evaluates it with Java's own semantics (int and long arithmetic, short-circuit conditions, only the
 * taken branch of {@code ?:}) on Hipparchus {@link DerivativeStructure}s, forward-mode automatic
 * differentiation. It shares no code with symgrad beyond the syntax tree.
 *
 * <p>Besides the value it reports what a test needs to decide whether a comparison is fair: whether
 * every intermediate value and derivative was finite, how large the intermediates were (the scale of
 * rounding errors), and every non-smooth spot it passed ({@link Kink}: a comparison, {@code abs},
 * {@code max}/{@code min}, {@code hypot} at the origin, {@code pow} at base 0), with the gap to
 * the other side. The non-differentiable points follow JAX's conventions: {@code abs'(0) = 1},
 * a {@code max}/{@code min} tie gives half to each side.
 */
final class DerivativeOracle {

    /** Relative size of the moves {@link #isWellConditioned} tries. */
    private static final double NUDGE = 1e-11;

    /** Sign patterns for the moves, over the parameters and then the inputs. */
    private static final double[][] NUDGE_SIGNS = {{1, -1, 1, -1}, {-1, 1, -1, 1}, {1, 1, -1, -1}, {-1, -1, 1, 1}};

    /** A place where the loss is not smooth, {@code gap} being the signed distance to switching sides. */
    record Kink(String what, DerivativeStructure gap, double scale) {

        /** True if rounding at relative level {@code relative} could put the evaluation on the other side. */
        boolean isWithinRoundingOf(double relative) {
            return !(Math.abs(gap.getValue()) > relative * Math.max(scale, Double.MIN_NORMAL));
        }
    }

    /**
     * The outcome of evaluating a loss at one point.
     *
     * @param value             the loss with its derivatives; null if Java could not evaluate it
     * @param rejected          the text divides an integer constant by zero, which symgrad rejects
     * @param wrappedAtRunTime  an {@code int} that is not a compile-time constant overflowed
     * @param finite            every intermediate value and derivative was finite
     * @param magnitude         the largest absolute intermediate value or first derivative
     * @param kinks             the non-smooth spots passed, in evaluation order
     * @param path              which side of each kink was taken, to detect a switch between two points
     */
    record Evaluation(DerivativeStructure value, boolean rejected, boolean wrappedAtRunTime, boolean finite,
                      double magnitude, List<Kink> kinks, String path) {

        /** True if no kink is within {@code relative} rounding of switching sides. */
        boolean isClearOfKinks(double relative) {
            return kinks.stream().noneMatch(kink -> kink.isWithinRoundingOf(relative));
        }

        /** The first partial derivative with respect to parameter {@code index}. */
        double partial(int index, int parameterCount) {
            int[] orders = new int[parameterCount];
            orders[index] = 1;
            return value.getPartialDerivative(orders);
        }
    }

    private final List<String> parameters;
    private final List<String> inputs;
    private final DSFactory factory;
    private final JavaParser javaParser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.RAW));
    /** Parsed losses: a property evaluates one loss at many points. */
    private final Map<String, Expression> parsed = new HashMap<>();

    /** An oracle for losses over these names, computing derivatives up to {@code order}. */
    DerivativeOracle(List<String> parameters, List<String> inputs, int order) {
        this.parameters = List.copyOf(parameters);
        this.inputs = List.copyOf(inputs);
        this.factory = new DSFactory(parameters.size(), order);
    }

    /** Evaluates {@code source} at the given parameter and input values. */
    Evaluation evaluate(String source, double[] params, double[] example) {
        Expression syntax = parse(source);
        boolean rejected = dividesIntegerConstantByZero(syntax);
        JavaEvaluation walk = new JavaEvaluation(factory, parameters, inputs, params, example);
        try {
            JavaEvaluation.Real result = walk.real(walk.eval(syntax));
            boolean finite = walk.finite() && JavaEvaluation.isFinite(result.ds());
            return new Evaluation(result.ds(), rejected, walk.wrappedAtRunTime(), finite,
                    Math.max(walk.magnitude(), result.magnitude()), walk.kinks(), walk.path());
        } catch (JavaEvaluation.NotEvaluable e) {
            return new Evaluation(null, rejected, walk.wrappedAtRunTime(), false, Double.NaN, walk.kinks(), walk.path());
        }
    }

    /**
     * The oracle at a point where a compiled value can be compared with it, and the tolerance to compare
     * with: {@code relative} times the larger of 1 and the evaluation's magnitude.
     */
    record Comparison(Evaluation expected, double tolerance) {
    }

    /**
     * Evaluates {@code source} at {@code point} and assumes (jqwik's {@link Assume}, which skips the try
     * otherwise) that comparing there means something: the text is accepted, every intermediate is finite,
     * no kink is within {@code kinkRelative} rounding, and the loss is well-conditioned at the tolerance.
     */
    Comparison comparableAt(String source, Point point, double relative, double kinkRelative) {
        Evaluation expected = evaluate(source, point.params(), point.example());
        Assume.that(!expected.rejected() && expected.finite() && expected.isClearOfKinks(kinkRelative));
        double tolerance = relative * Math.max(1, expected.magnitude());
        Assume.that(isWellConditioned(source, point.params(), point.example(), tolerance));
        return new Comparison(expected, tolerance);
    }

    /**
     * True if moving each coordinate of the point by a relative {@value #NUDGE}, in a few sign patterns,
     * passes no kink and changes the value and every first derivative by at most {@code tolerance}.
     * Rounding differences between two correct evaluations act like such a move (backward stability),
     * so they stay within the tolerance too; elsewhere (say {@code Math.sin} of 1e12, where one ulp of
     * the argument changes the result) the loss is too ill-conditioned to compare two evaluations.
     */
    boolean isWellConditioned(String source, double[] params, double[] example, double tolerance) {
        Evaluation center = evaluate(source, params, example);
        if (center.value == null) {
            return false;
        }
        for (double[] signs : NUDGE_SIGNS) {
            double[] movedParams = params.clone();
            double[] movedExample = example.clone();
            for (int i = 0; i < movedParams.length; i++) {
                movedParams[i] *= 1 + NUDGE * signs[i % signs.length];
            }
            for (int i = 0; i < movedExample.length; i++) {
                movedExample[i] *= 1 + NUDGE * signs[(params.length + i) % signs.length];
            }
            Evaluation moved = evaluate(source, movedParams, movedExample);
            if (moved.value == null || !moved.path.equals(center.path)
                    || !(Math.abs(moved.value.getValue() - center.value.getValue()) <= tolerance)) {
                return false;
            }
            for (int p = 0; p < parameters.size(); p++) {
                if (!(Math.abs(moved.partial(p, parameters.size()) - center.partial(p, parameters.size())) <= tolerance)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True if {@code source} divides an integer constant by zero anywhere, taken branch or not: symgrad
     * folds integer constants as javac does and rejects such a loss.
     */
    boolean rejects(String source) {
        return dividesIntegerConstantByZero(parse(source));
    }

    /** True if {@code source} has an {@code int} or {@code long} division that is not a compile-time constant. */
    boolean hasRunTimeIntegerDivision(String source) {
        return JavaTypes.hasRunTimeIntegerDivision(parse(source));
    }

    /** True if {@code source} has a conditional with two integer branches, which Java types as an integer. */
    boolean hasIntegerConditional(String source) {
        return JavaTypes.hasIntegerConditional(parse(source));
    }

    private Expression parse(String source) {
        return parsed.computeIfAbsent(source, text -> javaParser.parseExpression(text).getResult()
                .orElseThrow(() -> new IllegalArgumentException("not a Java expression: " + text)));
    }

    private boolean dividesIntegerConstantByZero(Expression syntax) {
        JavaEvaluation constants = new JavaEvaluation(factory, parameters, inputs, new double[parameters.size()],
                new double[inputs.size()]);
        for (BinaryExpr division : syntax.findAll(BinaryExpr.class, d -> d.getOperator() == BinaryExpr.Operator.DIVIDE)) {
            Expression divisor = division.getRight();
            JavaTypes.JavaType type = JavaTypes.typeOf(division);
            boolean integerDivision = type == JavaTypes.JavaType.INT || type == JavaTypes.JavaType.LONG;
            if (integerDivision && JavaTypes.isConstantExpression(division.getLeft())
                    && JavaTypes.isConstantExpression(divisor)) {
                try {
                    if (((JavaEvaluation.Whole) constants.eval(divisor)).value() == 0) {
                        return true;
                    }
                } catch (JavaEvaluation.NotEvaluable e) {
                    return true;
                }
            }
        }
        return false;
    }
}
