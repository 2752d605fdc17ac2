package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.JavaPrinter;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Small IR for rule tests: one factory, parameters {@code w, b} and inputs {@code x, y} (created in that
 * order, which fixes the canonical order of commutative operands), and a simplifier with one rule.
 */
class RuleFixture {

    /** Finite, nonzero points (w, b; x, y): where every rule claims to keep values. */
    static final double[][][] POINTS = {
            {{0.7, -0.3}, {1.5, 2.0}},
            {{-1.25, 2.5}, {-0.5, 3.0}},
            {{3.0, 0.125}, {-2.0, -0.75}},
            {{-0.1, -4.0}, {0.3, -1e3}},
    };

    /** Columns of a batch of five examples, for batch-level expressions. */
    static final double[][] COLUMNS = {{1.5, -2.0, 0.25, 3.0, -0.5}, {2.0, 0.5, -1.0, 4.0, 1.25}};

    final ExprFactory f = new ExprFactory();
    final Variable w = f.variable("w", Variable.Kind.PARAMETER, 0);
    final Variable b = f.variable("b", Variable.Kind.PARAMETER, 1);
    final Variable x = f.variable("x", Variable.Kind.INPUT, 0);
    final Variable y = f.variable("y", Variable.Kind.INPUT, 1);
    private final Simplifier simplifier;

    RuleFixture(RewriteRule rule) {
        this.simplifier = new Simplifier(f, List.of(rule));
    }

    Expr simplify(Expr expr) {
        return simplifier.simplify(expr);
    }

    /** Several roots simplified together, so that the rule sees what they share. */
    List<Expr> simplifyTogether(List<Expr> roots) {
        return simplifier.simplify(roots);
    }

    /** The simplified expression, printed. */
    String simplified(Expr expr) {
        return JavaPrinter.print(simplify(expr));
    }

    static String print(Expr expr) {
        return JavaPrinter.print(expr);
    }

    Constant c(double value) {
        return f.constant(value);
    }

    Expr add(Expr a, Expr b) {
        return f.add(a, b);
    }

    Expr sub(Expr a, Expr b) {
        return f.sub(a, b);
    }

    Expr mul(Expr a, Expr b) {
        return f.mul(a, b);
    }

    Expr div(Expr a, Expr b) {
        return f.div(a, b);
    }

    Expr wTimesX() {
        return f.mul(w, x);
    }

    Expr neg(Expr a) {
        return f.neg(a);
    }

    Expr pow(Expr a, Expr b) {
        return f.binary(BinaryOp.POW, a, b);
    }

    Expr call(UnaryOp op, Expr a) {
        return f.unary(op, a);
    }

    Condition greater(Expr a, Expr b) {
        return f.compare(CompareOp.GT, a, b);
    }

    Expr when(Condition test, Expr ifTrue, Expr ifFalse) {
        return f.conditional(test, ifTrue, ifFalse);
    }

    /** The rule keeps the value at every point: equal as numbers (sign of zero aside), or both NaN. */
    void assertKeepsValues(Expr expr) {
        assertKeepsValues(expr, 0.0);
    }

    /** As {@link #assertKeepsValues(Expr)}, up to {@code relativeError} (for rules exact up to rounding). */
    void assertKeepsValues(Expr expr, double relativeError) {
        Expr simplified = simplify(expr);
        for (double[][] point : POINTS) {
            double before = Evaluator.value(expr, point[0], point[1]);
            double after = Evaluator.value(simplified, point[0], point[1]);
            assertClose(before, after, relativeError, print(expr) + " → " + print(simplified));
        }
    }

    /** As {@link #assertKeepsValues(Expr, double)} for a batch-level expression over {@link #COLUMNS}. */
    void assertKeepsBatchValues(Expr expr, double relativeError) {
        Expr simplified = simplify(expr);
        for (double[][] point : POINTS) {
            double before = batchValue(expr, point[0], COLUMNS);
            double after = batchValue(simplified, point[0], COLUMNS);
            assertClose(before, after, relativeError, print(expr) + " → " + print(simplified));
        }
    }

    /**
     * The value of a small batch-level expression: each batch sum adds its summand's per-example values
     * ({@link Evaluator#value}) in example order. Written out here because {@link Evaluator#batchValue}
     * cannot evaluate a sum over an input (it evaluates the summand's nodes once without an example).
     */
    static double batchValue(Expr expr, double[] params, double[][] columns) {
        int n = columns.length == 0 ? 0 : columns[0].length;
        if (expr instanceof BatchSum sum) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double[] example = new double[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    example[c] = columns[c][i];
                }
                total += Evaluator.value(sum.summand(), params, example);
            }
            return total;
        }
        if (expr instanceof BatchSize) {
            return n;
        }
        if (expr instanceof Unary u) {
            return u.op().apply(batchValue(u.operand(), params, columns));
        }
        if (expr instanceof Binary b) {
            return b.op().apply(batchValue(b.left(), params, columns), batchValue(b.right(), params, columns));
        }
        if (expr instanceof Conditional c) {
            // Batch-level tests read parameters only, so any example (none here) evaluates them.
            double test = new Evaluator(List.of(c.test())).evaluate(params, new double[columns.length], null).get(c.test());
            return batchValue(test != 0.0 ? c.ifTrue() : c.ifFalse(), params, columns);
        }
        return Evaluator.value(expr, params, new double[columns.length]);
    }

    static void assertClose(double expected, double actual, double relativeError, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual) || expected == actual) {
            return;
        }
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        if (!(Math.abs(expected - actual) <= relativeError * scale)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
        assertTrue(Double.isFinite(actual), what);
    }
}
