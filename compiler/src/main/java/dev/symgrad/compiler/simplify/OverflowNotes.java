package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.JavaPrinter;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the stable rewrites ({@link StableExponentials}) could not help: the exponentials left in a
 * simplified loss whose argument may pass {@code log(Double.MAX_VALUE) ≈ 709.78}, where they, the loss and
 * its gradient become infinite (or NaN). Each gives one note, not an error: a Poisson loss {@code exp(z)}
 * overflows by its nature. The argument is bounded when a small sign analysis proves it at most 709:
 * constants, negations of what cannot be negative ({@code |a|}, {@code a * a}, {@code sqrt}, {@code exp}),
 * constant multiples of those, a minimum with such a term, and conditionals whose branches all are.
 *
 * <p>Losses over arrays are analysed the same way, loops and all: a loop's sum is as signed as its start
 * and body together, and {@code z - m} is at most 0 where {@code m} is the stable log-sum-exp's maximum of
 * {@code z} over a loop.
 */
public final class OverflowNotes {

    private static final int MAX_DEPTH = 32;

    /** Notes printed in full; the rest are counted. */
    static final int MAX_NOTES = 8;

    /** Above this, {@code exp} overflows. */
    private static final double LARGEST_EXPONENT = Math.log(Double.MAX_VALUE);

    private OverflowNotes() {
    }

    /**
     * One note per exponential of {@code loss} that may overflow, in the order the DAG computes them; past
     * {@value #MAX_NOTES}, one more note counts the rest (a generated loss can hold thousands).
     */
    public static List<String> of(Expr loss) {
        List<String> notes = new ArrayList<>();
        Analysis analysis = new Analysis();
        int unbounded = 0;
        for (Node node : Graph.topologicalOrder(List.of(loss))) {
            if (node instanceof Unary u && overflows(u.op()) && !analysis.boundedAbove(u.operand(), 0)) {
                unbounded++;
                if (unbounded <= MAX_NOTES) {
                    notes.add(JavaPrinter.print(u) + " overflows to Infinity once " + JavaPrinter.print(u.operand())
                            + " passes " + (u.op() == UnaryOp.EXP || u.op() == UnaryOp.EXPM1 ? "709.78" : "710.48")
                            + ", and the loss and gradient with it; no stable form applies. Written as a softplus"
                            + " (Math.log1p(Math.exp(a))), a log-sum-exp (Math.log(Math.exp(a) + Math.exp(b)), or the"
                            + " log of a loop's sum of Math.exp), a sigmoid (Math.exp(a) / (1 + Math.exp(a))) or a log"
                            + " of a sigmoid, symgrad would compute it without overflow (README, \"Overflow\")");
                }
            }
        }
        if (unbounded > MAX_NOTES) {
            notes.add((unbounded - MAX_NOTES) + " more exponentials may overflow the same way");
        }
        return notes;
    }

    /**
     * What an element of a local array stands for: the array's body (a method's {@code e[k] = Math.exp(z)}
     * in a loop); anything else is itself. Signs do not depend on the position, so the body's are the
     * element's.
     */
    private static Expr valueOf(Expr e) {
        return e instanceof Element element && element.array() instanceof Comprehension array ? array.body() : e;
    }

    /**
     * Whether {@code m} is the maximum of {@code z} over an index {@code z} depends on, perhaps clamped to
     * ±{@code Double.MAX_VALUE} (the stable log-sum-exp's shift, {@code StableExponentials}): then
     * {@code z - m <= 0}, or {@code z} is itself infinite.
     */
    private static boolean isMaximumOf(Expr m, Expr z) {
        Expr inner = valueOf(m);
        if (inner instanceof Unary stop && stop.op() == UnaryOp.STOP_GRADIENT) {
            inner = valueOf(stop.operand());
        }
        while (inner instanceof Binary clamp && (clamp.op() == BinaryOp.MIN || clamp.op() == BinaryOp.MAX)) {
            double bound = clamp.op() == BinaryOp.MIN ? Double.MAX_VALUE : -Double.MAX_VALUE;
            if (clamp.left() instanceof Constant c && c.is(bound)) {
                inner = valueOf(clamp.right());
            } else if (clamp.right() instanceof Constant c && c.is(bound)) {
                inner = valueOf(clamp.left());
            } else {
                break;
            }
        }
        if (inner instanceof Sum maximum && maximum.isMaximum()) {
            return valueOf(maximum.body()) == valueOf(z) || valueOf(maximum.start()) == valueOf(z);
        }
        return isTermOfMaximum(inner, valueOf(z));
    }

    /** Whether {@code z} is an operand of a tree of {@code Math.max}: a written-out log-sum-exp's shift. */
    private static boolean isTermOfMaximum(Expr tree, Expr z) {
        Deque<Expr> pending = new ArrayDeque<>(List.of(tree));
        while (!pending.isEmpty()) {
            Expr e = pending.pop();
            if (e instanceof Binary max && max.op() == BinaryOp.MAX) {
                pending.push(valueOf(max.left()));
                pending.push(valueOf(max.right()));
            } else if (e == z) {
                return true;
            }
        }
        return false;
    }

    private static boolean overflows(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.EXPM1 || op == UnaryOp.SINH || op == UnaryOp.COSH;
    }

    /**
     * The sign analysis, each answer remembered per node: the DAG shares subexpressions, and without the
     * memory the mutual recursion would revisit them exponentially often. An answer cut off by the depth
     * bound is remembered as "unbounded", which can only add a note.
     */
    private static final class Analysis {
        private final Map<Node, Boolean> knownBounded = new IdentityHashMap<>();
        private final Map<Node, Boolean> knownNonPositive = new IdentityHashMap<>();
        private final Map<Node, Boolean> knownNonNegative = new IdentityHashMap<>();

        /** {@code compute}'s answer for {@code e}, remembered in {@code known}; false past the depth bound. */
        private static boolean remembered(Map<Node, Boolean> known, Expr e, int depth, Question compute) {
            Boolean answer = known.get(e);
            if (answer == null) {
                answer = depth <= MAX_DEPTH && compute.ask(e, depth);
                known.put(e, answer);
            }
            return answer;
        }

        @FunctionalInterface
        private interface Question {
            boolean ask(Expr e, int depth);
        }

        /** Whether {@code e} is provably at most 709 (depth-bounded: deep expressions count as unbounded). */
        boolean boundedAbove(Expr e, int depth) {
            return remembered(knownBounded, e, depth, this::computeBoundedAbove);
        }

        private boolean computeBoundedAbove(Expr expr, int depth) {
            Expr e = valueOf(expr);
            if (e instanceof Constant c) {
                return c.value() <= LARGEST_EXPONENT - 1;
            }
            if (nonPositive(e, depth) || e instanceof Unary u && u.op() == UnaryOp.SIGMOID) {
                return true;
            }
            if (e instanceof Binary b && b.op() == BinaryOp.MIN) {
                return boundedAbove(b.left(), depth + 1) || boundedAbove(b.right(), depth + 1);
            }
            if (e instanceof Binary b && b.op() == BinaryOp.MAX) {
                return boundedAbove(b.left(), depth + 1) && boundedAbove(b.right(), depth + 1);
            }
            return e instanceof Conditional c && boundedAbove(c.ifTrue(), depth + 1) && boundedAbove(c.ifFalse(), depth + 1);
        }

        boolean nonPositive(Expr e, int depth) {
            return remembered(knownNonPositive, e, depth, this::computeNonPositive);
        }

        private boolean computeNonPositive(Expr expr, int depth) {
            Expr e = valueOf(expr);
            if (e instanceof Constant c) {
                return c.value() <= 0;
            }
            if (e instanceof Unary u) {
                return u.op() == UnaryOp.NEG && nonNegative(u.operand(), depth + 1);
            }
            if (e instanceof Binary b) {
                Expr l = b.left();
                Expr r = b.right();
                int d = depth + 1;
                if (b.op() == BinaryOp.SUB && isMaximumOf(r, l)) {
                    return true;
                }
                return switch (b.op()) {
                    case MUL, DIV -> nonPositive(l, d) && nonNegative(r, d) || nonNegative(l, d) && nonPositive(r, d);
                    case ADD, MAX -> nonPositive(l, d) && nonPositive(r, d);
                    case SUB -> nonPositive(l, d) && nonNegative(r, d);
                    case MIN -> nonPositive(l, d) || nonPositive(r, d);
                    default -> false;
                };
            }
            if (e instanceof Sum s) {
                // A sum, or a maximum, of what is at most 0 (a maximum's start is at most 0 when it is -∞).
                return nonPositive(s.start(), depth + 1) && nonPositive(s.body(), depth + 1);
            }
            return e instanceof Conditional c && nonPositive(c.ifTrue(), depth + 1) && nonPositive(c.ifFalse(), depth + 1);
        }

        boolean nonNegative(Expr e, int depth) {
            return remembered(knownNonNegative, e, depth, this::computeNonNegative);
        }

        private boolean computeNonNegative(Expr expr, int depth) {
            Expr e = valueOf(expr);
            if (e instanceof Constant c) {
                return c.value() >= 0;
            }
            if (e instanceof Unary u) {
                return switch (u.op()) {
                    case ABS, SQRT, EXP, COSH, SIGMOID -> true;
                    case NEG -> nonPositive(u.operand(), depth + 1);
                    default -> false;
                };
            }
            if (e instanceof Binary b) {
                Expr l = b.left();
                Expr r = b.right();
                int d = depth + 1;
                return switch (b.op()) {
                    case MUL, DIV -> l == r || nonNegative(l, d) && nonNegative(r, d) || nonPositive(l, d) && nonPositive(r, d);
                    case ADD, MIN -> nonNegative(l, d) && nonNegative(r, d);
                    case MAX -> nonNegative(l, d) || nonNegative(r, d);
                    case HYPOT -> true;
                    case POW -> r instanceof Constant c && c.value() % 2 == 0;
                    default -> false;
                };
            }
            if (e instanceof Conditional c) {
                return nonNegative(c.ifTrue(), depth + 1) && nonNegative(c.ifFalse(), depth + 1);
            }
            if (e instanceof Sum s) {
                // A maximum is at least its start and at least each term; a sum needs both signs.
                return s.isMaximum() ? nonNegative(s.start(), depth + 1) || nonNegative(s.body(), depth + 1)
                        : nonNegative(s.start(), depth + 1) && nonNegative(s.body(), depth + 1);
            }
            return false;
        }
    }
}
