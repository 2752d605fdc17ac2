package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.List;

/**
 * How far apart two evaluations of one batch-level expression can be when they add the examples of
 * each batch sum in different orders (the interpreter with one accumulator, the generated code with
 * four) and otherwise perform the same operations: a first-order running error bound (Higham, §3.3).
 *
 * <p>A batch sum of N terms is off by at most {@code 2(N-1)u Σ|term|} between two orders; the
 * operations around the sums ({@code + - * /}, negation and conditionals with parameter-only tests,
 * which is all batch-sum factoring builds) propagate those differences, each adding its own rounding
 * {@code u|result|}. Nodes without a batch sum are computed identically and contribute nothing.
 */
final class SummationOrderBound {

    private static final double U = 0x1p-53;

    private record Bounded(double value, double error) {
    }

    /** How far a backend's value of one term of a sum may be from the interpreter's. */
    interface TermError {
        double of(Expr summand, double[] params, double[] example);

        /** Terms computed with the interpreter's operations in its order: exactly. */
        TermError NONE = (summand, params, example) -> 0;
    }

    private final double[] params;
    private final double[][] columns;
    private final TermError termError;

    private SummationOrderBound(double[] params, double[][] columns, TermError termError) {
        this.params = params;
        this.columns = columns;
        this.termError = termError;
    }

    /** The bound on |interpreter − generated| for {@code root}; infinite if it cannot be bounded. */
    static double of(Expr root, double[] params, double[][] columns) {
        return of(root, params, columns, TermError.NONE);
    }

    /**
     * As {@link #of(Expr, double[], double[][])} where each term of a sum may also be off by
     * {@code termError} (the vector backend's functions): a sum's bound adds the terms' errors.
     */
    static double of(Expr root, double[] params, double[][] columns, TermError termError) {
        return new SummationOrderBound(params, columns, termError).bound(root).error;
    }

    private Bounded bound(Expr node) {
        if (node instanceof BatchSize) {
            return new Bounded(columns[0].length, 0);
        }
        if (node instanceof BatchSum sum) {
            return sum(sum.summand());
        }
        if (!isBatchLevel(node)) {
            return new Bounded(Evaluator.value(node, params, new double[columns.length]), 0);
        }
        if (node instanceof Unary unary && unary.op() == UnaryOp.NEG) {
            Bounded operand = bound(unary.operand());
            return new Bounded(-operand.value, operand.error);
        }
        if (node instanceof Conditional conditional) {
            // The test reads no inputs (batch-sum factoring only lifts such conditionals), so both
            // evaluations take the same branch.
            Expr selector = new Conditional(conditional.test(), new Constant(1.0), new Constant(0.0));
            boolean taken = Evaluator.value(selector, params, new double[columns.length]) == 1.0;
            return bound(taken ? conditional.ifTrue() : conditional.ifFalse());
        }
        if (node instanceof Binary binary) {
            return binary(binary, bound(binary.left()), bound(binary.right()));
        }
        throw new IllegalStateException("no summation-order bound for a batch-level " + node);
    }

    private Bounded sum(Expr summand) {
        int n = columns[0].length;
        double sum = 0;
        double absoluteSum = 0;
        double termErrors = 0;
        double[] example = new double[columns.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < columns.length; c++) {
                example[c] = columns[c][i];
            }
            double term = Evaluator.value(summand, params, example);
            sum += term;
            absoluteSum += Math.abs(term);
            termErrors += termError.of(summand, params, example);
        }
        return new Bounded(sum, 2 * Math.max(n - 1, 0) * U * absoluteSum + termErrors);
    }

    private static Bounded binary(Binary node, Bounded a, Bounded b) {
        double x = a.value;
        double y = b.value;
        return switch (node.op()) {
            case ADD -> rounded(x + y, a.error + b.error);
            case SUB -> rounded(x - y, a.error + b.error);
            case MUL -> rounded(x * y, Math.abs(y) * a.error + Math.abs(x) * b.error + a.error * b.error);
            case DIV -> {
                double margin = Math.abs(y) - b.error;
                yield margin > 0
                        ? rounded(x / y, (a.error + Math.abs(x / y) * b.error) / margin)
                        : new Bounded(x / y, Double.POSITIVE_INFINITY);
            }
            default -> throw new IllegalStateException("no summation-order bound for a batch-level " + node.op());
        };
    }

    /** The propagated error plus the operation's own rounding, which differs when its operands do. */
    private static Bounded rounded(double value, double propagated) {
        return new Bounded(value, propagated == 0 ? 0 : propagated + 2 * U * Math.abs(value));
    }

    private static boolean isBatchLevel(Expr node) {
        List<Node> order = Graph.topologicalOrder(List.of(node), n -> n instanceof BatchSum);
        return order.stream().anyMatch(n -> n instanceof BatchSum || n instanceof BatchSize);
    }
}
