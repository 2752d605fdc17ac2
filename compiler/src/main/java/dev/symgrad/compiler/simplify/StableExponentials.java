package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The patterns that overflow, put in forms that do not (README, "Overflow"). The loss is simplified
 * before it is differentiated, so its derivatives are those of the stable forms:
 * <ul>
 *   <li>{@code log1p(exp(a)) → logaddexp(a, 0)} (softplus; {@code -log1p(exp(-a))}, the log-sigmoid, is
 *   its negation). Exact: {@code log(1 + e^a) = log(e^a + e^0)}.</li>
 *   <li>{@code log(t_1 + ... + t_n)}, n ≥ 2, where every term is {@code exp(z_k)} or a positive constant
 *   {@code c} (as {@code exp(log c)}), with at least one exponential: log-sum-exp over written-out sums.
 *   Two terms → {@code logaddexp(z_1, z_2)}. Three or more → {@code m + log(Σ_k exp(z_k - m))}, m the
 *   largest {@code z_k} ({@code Math.max} of them) clamped as below and a constant to differentiation
 *   ({@link UnaryOp#STOP_GRADIENT}, as JAX's {@code logsumexp} stops the gradient of its shift), so the
 *   gradient is the softmax {@code exp(z_k - m) / Σ exp(z - m)}, reusing the loss's exponentials. Nested
 *   logaddexps are exact too, but their derivatives are products of sigmoids: a 10-class softmax's first
 *   and second derivatives took about 4 exponentials per class instead of 1 (5.8 ms against 1.1 ms by
 *   hand per 10,000 examples, {@code MarginDerivativesBenchmark}).</li>
 *   <li>{@code log(s + Σ_k exp(z_k))} over a loop (a {@link Sum}), its start {@code s} 0, a positive constant
 *   {@code c} (as {@code exp(log c)}) or {@code exp(a)} → {@code m + log(exp(a - m) + Σ_k exp(z_k - m))} with
 *   {@code m} the largest of {@code a} and the {@code z_k} (a maximum over the index), clamped to
 *   ±{@code Double.MAX_VALUE}: log-sum-exp over an index, as a softmax writes it. Exact for any finite
 *   {@code m}: {@code Σ e^z = e^m Σ e^(z - m)}. Every exponent is at most 0 and one is 0, so the sum is in
 *   [1, n + 1]; the clamp keeps {@code z - m} from being {@code ∞ - ∞} when a term is infinite. {@code m}
 *   is a constant to differentiation (see {@link Sum}), so the gradient is the softmax
 *   {@code exp(z_k - m) / Σ exp(z - m)}.</li>
 *   <li>{@code exp(a) / (1 + exp(a)) → sigmoid(a)}, {@code 1 / (1 + exp(a)) → sigmoid(-a)}. Exact:
 *   {@code e^a/(1 + e^a) = 1/(1 + e^-a)}.</li>
 *   <li>{@code log(sigmoid(a)) → -logaddexp(0, -a)} and {@code log(1 - sigmoid(a)) → -logaddexp(0, a)}
 *   (binary cross-entropy written with a sigmoid): exact, {@code log(1/(1 + e^-a)) = -log(e^0 + e^-a)} and
 *   {@code 1 - σ(a) = σ(-a)}; a sigmoid that underflows to 0 would otherwise give {@code log(0) = -∞}.</li>
 * </ul>
 * {@code StableMath} computes each without an exponential of a positive number; its derivatives are
 * sigmoids of differences ({@code ∂ logaddexp(a, b)/∂a = σ(a - b)}), so the gradient does not overflow
 * either. Where both forms are finite they differ by rounding only (README, "Overflow", gives the ulps).
 */
final class StableExponentials implements RewriteRule {

    @Override
    public String name() {
        return "stable exponentials";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (node instanceof Unary u && u.op() == UnaryOp.LOG1P && exponent(u.operand()) != null) {
            return f.binary(BinaryOp.LOGADDEXP, exponent(u.operand()), f.constant(0.0));
        }
        if (node instanceof Unary u && u.op() == UnaryOp.LOG) {
            Expr logSigmoid = logSigmoid(u.operand(), f);
            if (logSigmoid != null) {
                return logSigmoid;
            }
            return u.operand() instanceof Sum loop ? loopLogSumExp(loop, f) : logSumExp(u.operand(), f);
        }
        if (node instanceof Binary b && b.op() == BinaryOp.DIV) {
            return sigmoid(b, f);
        }
        return null;
    }

    /** {@code log(sigmoid(a)) → -logaddexp(0, -a)}; {@code log(1 - sigmoid(a)) → -logaddexp(0, a)}. */
    private static Expr logSigmoid(Expr argument, ExprFactory f) {
        if (argument instanceof Unary s && s.op() == UnaryOp.SIGMOID) {
            return f.neg(f.binary(BinaryOp.LOGADDEXP, f.constant(0.0), f.neg(s.operand())));
        }
        if (argument instanceof Binary b && b.op() == BinaryOp.SUB && b.left() instanceof Constant c && c.value() == 1.0
                && b.right() instanceof Unary s && s.op() == UnaryOp.SIGMOID) {
            return f.neg(f.binary(BinaryOp.LOGADDEXP, f.constant(0.0), s.operand()));
        }
        return null;
    }

    /** {@code a} if {@code e} is {@code exp(a)}, else null. */
    private static Expr exponent(Expr e) {
        return e instanceof Unary u && u.op() == UnaryOp.EXP ? u.operand() : null;
    }

    /**
     * The exponent of a term of a log-sum-exp: {@code a} for {@code exp(a)}, {@code log c} for a positive
     * finite constant {@code c} (as {@code exp(log c)}); null for anything else.
     */
    private static Expr exponentOf(Expr term, ExprFactory f) {
        Expr a = exponent(term);
        if (a == null && term instanceof Constant c && c.value() > 0 && c.value() < Double.POSITIVE_INFINITY) {
            a = f.constant(Math.log(c.value()));
        }
        return a;
    }

    private static Expr logSumExp(Expr sum, ExprFactory f) {
        List<Expr> terms = new ArrayList<>();
        addTerms(sum, terms);
        if (terms.size() < 2) {
            return null;
        }
        List<Expr> exponents = new ArrayList<>();
        boolean anyExponential = false;
        for (Expr term : terms) {
            Expr exponent = exponentOf(term, f);
            if (exponent == null) {
                return null;
            }
            anyExponential |= exponent(term) != null;
            exponents.add(exponent);
        }
        if (!anyExponential) {
            return null;
        }
        if (exponents.size() == 2) {
            return f.binary(BinaryOp.LOGADDEXP, exponents.get(0), exponents.get(1));
        }
        for (Expr exponent : exponents) {
            if (containsClampedMaximum(exponent)) {
                return null; // already shifted: the simplifier runs the rules to a fixed point
            }
        }
        Expr largest = exponents.get(0);
        for (int k = 1; k < exponents.size(); k++) {
            largest = f.binary(BinaryOp.MAX, largest, exponents.get(k));
        }
        Expr m = f.unary(UnaryOp.STOP_GRADIENT, clamped(largest, f));
        Expr shifted = null;
        for (Expr exponent : exponents) {
            Expr term = f.unary(UnaryOp.EXP, f.binary(BinaryOp.SUB, exponent, m));
            shifted = shifted == null ? term : f.add(shifted, term);
        }
        return f.add(m, f.unary(UnaryOp.LOG, shifted));
    }

    /** {@code x} clamped to ±{@code Double.MAX_VALUE}, so that {@code z - x} is never {@code ∞ - ∞}. */
    private static Expr clamped(Expr x, ExprFactory f) {
        return f.binary(BinaryOp.MAX, f.binary(BinaryOp.MIN, x, f.constant(Double.MAX_VALUE)),
                f.constant(-Double.MAX_VALUE));
    }

    /** Whether {@code e} reads a maximum clamped as {@link #clamped} makes it: an exponent already shifted. */
    private static boolean containsClampedMaximum(Expr e) {
        for (Node node : Graph.topologicalOrder(List.of(e))) {
            if (node instanceof Binary clamp && clamp.op() == BinaryOp.MAX
                    && boundedBy(clamp, -Double.MAX_VALUE) instanceof Binary inner && inner.op() == BinaryOp.MIN
                    && boundedBy(inner, Double.MAX_VALUE) != null) {
                return true;
            }
        }
        return false;
    }

    /** The other operand of {@code b} where one is the constant {@code bound}, in either order; else null. */
    private static Expr boundedBy(Binary b, double bound) {
        if (b.right() instanceof Constant c && c.is(bound)) {
            return b.left();
        }
        return b.left() instanceof Constant c && c.is(bound) ? b.right() : null;
    }

    /**
     * {@code log(s + Σ_k exp(z_k))} as {@code m + log(exp(a - m) + Σ_k exp(z_k - m))}, where the start s is
     * 0 (no a), a positive constant ({@code a = log s}) or {@code exp(a)}; null if not that.
     */
    private static Expr loopLogSumExp(Sum loop, ExprFactory f) {
        Expr z = exponent(loop.body());
        if (loop.isMaximum() || z == null || shiftedByItsMaximum(z, loop)) {
            return null;
        }
        Expr a = null;
        if (!(loop.start() instanceof Constant c && c.isZero())) {
            a = exponentOf(loop.start(), f);
            if (a == null) {
                return null;
            }
        }
        Expr largest = f.maximum(loop.index(), a == null ? f.constant(Double.NEGATIVE_INFINITY) : a, z);
        Expr m = clamped(largest, f);
        Expr start = a == null ? f.constant(0.0) : f.unary(UnaryOp.EXP, f.binary(BinaryOp.SUB, a, m));
        Expr shifted = f.sum(loop.index(), start, f.unary(UnaryOp.EXP, f.binary(BinaryOp.SUB, z, m)));
        return f.add(m, f.unary(UnaryOp.LOG, shifted));
    }

    /**
     * Whether {@code z} already reads a maximum over the loop's index: the rewritten sum's terms do, so
     * the rule, which the simplifier runs to a fixed point, does not shift them again, whatever other
     * rules have made of {@code z - m} since.
     */
    private static boolean shiftedByItsMaximum(Expr z, Sum loop) {
        for (Node node : Graph.topologicalOrder(List.of(z))) {
            if (node instanceof Sum s && s.isMaximum() && s.index().equals(loop.index())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The terms of a tree of additions, left to right. With an explicit stack: a written-out sum is a
     * chain as deep as it has terms, and recursing into 5,000 of them overflowed a 512 KB stack.
     */
    private static void addTerms(Expr sum, List<Expr> terms) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(sum);
        while (!pending.isEmpty()) {
            Expr e = pending.pop();
            if (e instanceof Binary b && b.op() == BinaryOp.ADD) {
                pending.push(b.right());
                pending.push(b.left());
            } else {
                terms.add(e);
            }
        }
    }

    /** {@code exp(a) / (1 + exp(a))} or {@code 1 / (1 + exp(a))}, either order of the sum. */
    private static Expr sigmoid(Binary division, ExprFactory f) {
        Expr a = onePlusExp(division.right());
        if (a == null) {
            return null;
        }
        if (division.left() instanceof Constant c && c.value() == 1.0) {
            return f.unary(UnaryOp.SIGMOID, f.neg(a));
        }
        if (exponent(division.left()) == a) {
            return f.unary(UnaryOp.SIGMOID, a);
        }
        return null;
    }

    /** {@code a} if {@code e} is {@code 1 + exp(a)} or {@code exp(a) + 1}, else null. */
    private static Expr onePlusExp(Expr e) {
        if (!(e instanceof Binary b && b.op() == BinaryOp.ADD)) {
            return null;
        }
        if (b.left() instanceof Constant c && c.value() == 1.0) {
            return exponent(b.right());
        }
        if (b.right() instanceof Constant c && c.value() == 1.0) {
            return exponent(b.left());
        }
        return null;
    }
}
