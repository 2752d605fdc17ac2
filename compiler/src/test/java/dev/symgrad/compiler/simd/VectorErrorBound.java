package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.properties.KernelChecks;
import net.jqwik.api.statistics.Statistics;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How far the vector backend's value of a per-example expression may be from the interpreter's: a
 * first-order running error bound (Higham, §3.3) in which every function the vector backend computes
 * with its own code ({@code exp}, {@code log}, {@code tanh}, ..., {@code pow}, {@code hypot}) adds at
 * most {@link #FUNCTION_ULPS} ulp of its result, and every operand's error is carried through the
 * operation by the largest slope over the operand's interval. {@code + - * /}, {@code sqrt}, {@code abs},
 * {@code min}, {@code max}, negation and comparisons are IEEE operations, the same in every lane, so an
 * expression made of them alone must agree bit for bit. Where a comparison's operands are within their
 * errors of each other the branch may differ, and the bound is infinite: nothing to compare.
 */
final class VectorErrorBound implements KernelChecks.PerExample {

    /**
     * A vector function's largest error against the interpreter's {@code Math} function: 2 ulp against
     * {@code StrictMath} ({@code VectorAccuracyTest}) plus the 1 ulp {@code Math} may differ from it.
     */
    static final double FUNCTION_ULPS = 3;

    private static final double U = 0x1p-53;

    @Override
    public void check(Expr root, double expected, double actual, double[] params, double[] example, String what) {
        double bound = bound(root, params, example);
        Statistics.label("vector per-example values").collect(bound == 0 ? "bit for bit"
                : Double.isFinite(bound) && Double.isFinite(expected) ? "within a finite bound" : "not bounded");
        if (bound == 0) {
            assertEquals(expected, actual, what + " (IEEE operations only: bit for bit)");
        } else if (Double.isFinite(bound) && Double.isFinite(expected)) {
            assertTrue(Math.abs(expected - actual) <= bound,
                    what + ": expected " + expected + " within " + bound + " but was " + actual);
        }
    }

    /** The bound on |interpreter − vector backend| for {@code root} at one example. */
    static double bound(Expr root, double[] params, double[] example) {
        Map<Node, Double> values = new Evaluator(List.of(root)).evaluate(params, example, null);
        Map<Node, Double> errors = new IdentityHashMap<>();
        for (Node node : Graph.topologicalOrder(List.of(root))) {
            if (node instanceof Expr expr) {
                errors.put(node, error(expr, values, errors));
            }
        }
        return errors.get(root);
    }

    private static double error(Expr node, Map<Node, Double> values, Map<Node, Double> errors) {
        double value = values.get(node);
        if (node instanceof Unary unary) {
            double x = values.get(unary.operand());
            double e = errors.get(unary.operand());
            return switch (unary.op()) {
                case NEG, ABS -> e;
                case SQRT -> e == 0 ? 0 : rounded(value, Math.min(Math.sqrt(e), e / (2 * Math.sqrt(Math.max(x - e, 0)))));
                default -> function(value, e * slope(unary, x, e));
            };
        }
        if (node instanceof Binary binary) {
            double x = values.get(binary.left());
            double y = values.get(binary.right());
            double ex = errors.get(binary.left());
            double ey = errors.get(binary.right());
            return switch (binary.op()) {
                case ADD, SUB -> rounded(value, ex + ey);
                case MUL -> rounded(value, Math.abs(y) * ex + Math.abs(x) * ey + ex * ey);
                case DIV -> {
                    double margin = Math.abs(y) - ey;
                    yield ex + ey == 0 ? 0 : margin > 0
                            ? rounded(value, (ex + Math.abs(x / y) * ey) / margin) : Double.POSITIVE_INFINITY;
                }
                case MAX, MIN -> Math.max(ex, ey);
                case HYPOT -> function(value, ex + ey);
                case POW -> {
                    // d/dx x^y = y·x^(y-1), d/dy x^y = ln(x)·x^y, at the far ends of the operands' intervals.
                    double slopeX = ex == 0 ? 0 : Math.max(Math.abs(y * Math.pow(Math.abs(x) - ex, y - 1)),
                            Math.abs(y * Math.pow(Math.abs(x) + ex, y - 1)));
                    double slopeY = ey == 0 ? 0 : Math.abs(Math.log(Math.abs(x)) * Math.pow(Math.abs(x), y + ey));
                    yield function(value, slopeX * ex + slopeY * ey);
                }
            };
        }
        if (node instanceof Conditional conditional) {
            if (mayFlip(conditional.test(), values, errors)) {
                return Double.POSITIVE_INFINITY;
            }
            Expr taken = values.get(conditional.test()) == 1.0 ? conditional.ifTrue() : conditional.ifFalse();
            return errors.get(taken);
        }
        return 0; // constants and variables
    }

    /** A vector function's result: the carried error, twice for safety of the first-order slope, plus its own. */
    private static double function(double value, double carried) {
        if (!Double.isFinite(value) || Double.isNaN(carried)) {
            return Double.POSITIVE_INFINITY; // the edges of the range: overflow and domain ends may differ
        }
        double own = FUNCTION_ULPS * Math.ulp(value);
        return 2 * carried + own + (carried == 0 ? 0 : 2 * U * Math.abs(value));
    }

    /** The operation's own rounding, which differs once its operands do. */
    private static double rounded(double value, double carried) {
        if (carried == 0) {
            return 0;
        }
        return Double.isFinite(value) ? carried + 2 * U * Math.abs(value) : Double.POSITIVE_INFINITY;
    }

    /** The largest |f'| over [x - e, x + e]; infinite where the interval reaches a pole or a domain end. */
    private static double slope(Unary unary, double x, double e) {
        if (e == 0) {
            return 0;
        }
        double far = Math.abs(x) + e;
        double near = Math.max(Math.abs(x) - e, 0);
        return switch (unary.op()) {
            case EXP, EXPM1 -> Math.exp(x + e);
            case LOG -> x - e > 0 ? 1 / (x - e) : Double.POSITIVE_INFINITY;
            case LOG1P -> x - e > -1 ? 1 / (1 + x - e) : Double.POSITIVE_INFINITY;
            case SIN, COS -> 1;
            case TAN -> e < 0.1 ? 1 + Math.pow(Math.max(Math.abs(Math.tan(x - e)), Math.abs(Math.tan(x + e))), 2)
                    : Double.POSITIVE_INFINITY;
            case ASIN, ACOS -> far < 1 ? 1 / Math.sqrt(1 - far * far) : Double.POSITIVE_INFINITY;
            case ATAN, TANH -> 1;
            case SINH, COSH -> Math.cosh(far);
            case CBRT -> near > 0 ? 1 / (3 * Math.pow(near, 2.0 / 3)) : Double.POSITIVE_INFINITY;
            case NEG, ABS, SQRT -> throw new IllegalStateException("not a vector function: " + unary.op());
        };
    }

    /** True if some comparison under the test could come out the other way, given its operands' errors. */
    private static boolean mayFlip(Condition test, Map<Node, Double> values, Map<Node, Double> errors) {
        for (Node node : Graph.topologicalOrder(List.of(test))) {
            if (node instanceof Comparison comparison) {
                double ea = errors.get(comparison.left());
                double eb = errors.get(comparison.right());
                if (ea + eb > 0 && !(Math.abs(values.get(comparison.left()) - values.get(comparison.right())) > ea + eb)) {
                    return true;
                }
            }
        }
        return false;
    }
}
