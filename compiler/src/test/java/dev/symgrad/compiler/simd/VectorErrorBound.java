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
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.properties.KernelChecks;
import dev.symgrad.compiler.properties.Slopes;
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
 * most {@link #ulps} of its result, and every operand's error is carried through the operation by the
 * largest slope over the operand's interval ({@link Slopes}). {@code + - * /}, {@code sqrt}, {@code abs},
 * {@code min}, {@code max}, negation and comparisons are IEEE operations, the same in every lane, so an
 * expression made of them alone must agree bit for bit. Where a comparison's operands are within their
 * errors of each other the branch may differ, where an interval leaves a function's domain, and where a
 * value could overflow, the bound is infinite: nothing to compare.
 */
final class VectorErrorBound implements KernelChecks.PerExample {

    private static final double U = 0x1p-53;

    /**
     * A vector function's largest error against the interpreter's {@code Math} function, in ulps of the
     * result: its measured error against {@code StrictMath} ({@code VectorAccuracyTest}: 1 ulp, 2 for
     * sinh, cosh and tanh) plus how far {@code Math} may be from {@code StrictMath} by their
     * specifications (each within 1 ulp of the exact value; {@code Math.sinh/cosh/tanh} within 2.5).
     */
    static double ulps(Enum<?> function) {
        return switch (function.name()) {
            case "SINH", "COSH", "TANH" -> 2 + 2.5 + 1;
            // exp(-|a|) (1 ulp each side of Math) then one division by 1 + e: the result's relative error
            // is e's, plus the roundings of the sum and the quotient.
            case "SIGMOID" -> 1 + 1 + 1 + 2;
            default -> 1 + 1 + 1;
        };
    }

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

    @Override
    public double termError(Expr summand, double[] params, double[] example) {
        return bound(summand, params, example);
    }

    /** The bound on |interpreter − vector backend| for {@code root} at one example. */
    static double bound(Expr root, double[] params, double[] example) {
        Map<Node, Double> values = new Evaluator(List.of(root)).evaluate(params, example, null);
        Map<Node, Double> errors = new IdentityHashMap<>();
        for (Node node : Graph.topologicalOrder(List.of(root))) {
            if (node instanceof Expr expr) {
                double error = error(expr, values, errors);
                // A value within its error of the largest double may come out infinite on the other side.
                boolean mayOverflow = error != 0 && !(Math.abs(values.get(node)) + error <= Double.MAX_VALUE);
                errors.put(node, Double.isNaN(error) || mayOverflow ? Double.POSITIVE_INFINITY : error);
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
                case SQRT -> e == 0 ? 0 : rounded(value, e * Slopes.unary(UnaryOp.SQRT, x, e));
                default -> function(value, e == 0 ? 0 : e * Slopes.unary(unary.op(), x, e), ulps(unary.op()));
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
                case HYPOT -> function(value, ex + ey, ulps(binary.op()));
                case POW -> function(value, Slopes.pow(x, y, ex, ey), ulps(binary.op()));
                // max(x, y) + log1p(exp(-|x - y|)): 1-Lipschitz in the largest coordinate; the log1p term is at
                // most log 2, with its exp's and log1p's ulps (each side of Math) on that scale, then one sum.
                case LOGADDEXP -> !Double.isFinite(value) ? Double.POSITIVE_INFINITY
                        : (ex + ey == 0 ? 0 : Math.max(ex, ey) + 2 * U * Math.abs(value))
                                + 8 * U * (Math.abs(value) + 1) + Double.MIN_VALUE;
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

    /** A vector function's result: the carried error plus its own, and the rounding of the difference. */
    private static double function(double value, double carried, double ulps) {
        if (!Double.isFinite(value) || Double.isNaN(carried)) {
            return Double.POSITIVE_INFINITY; // the edges of the range: overflow and domain ends may differ
        }
        // One ulp of a normal result is at most 2u|result|; the smallest subnormal covers results below.
        double own = ulps * (2 * U * Math.abs(value) + Double.MIN_VALUE);
        return carried + own + (carried == 0 ? 0 : 2 * U * Math.abs(value));
    }

    /** An IEEE operation's rounding, which differs once its operands do. */
    private static double rounded(double value, double carried) {
        if (carried == 0) {
            return 0;
        }
        return Double.isFinite(value) ? carried + 2 * U * Math.abs(value) + Double.MIN_VALUE : Double.POSITIVE_INFINITY;
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
