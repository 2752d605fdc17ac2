package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random indexed losses, built in IR from a seed: parameters {@code w[d]}, {@code V[rows][d]} and
 * {@code b}; inputs {@code x[d]} and {@code s}; a local array {@code h[m] = act(Σ_j V[m][j]·x[j] + ...)};
 * expressions that read them at loop indices or fixed positions inside nested index sums, with the
 * scalar operators (smooth ones only, or also conditionals, abs, max and min). One sum in three is a
 * softmax's log-sum-exp, {@code log(Σ exp(...))} from 0, which the simplifier rewrites with a maximum over
 * its index (StableExponentials), so the maximum's loops and its zero derivative are in every property.
 */
final class RandomIndexedLosses {

    private final Random random;
    private final boolean smooth;
    private final ExprFactory f = new ExprFactory();
    private final int d;
    private final int rows;
    private final ArrayVariable w;
    private final ArrayVariable v;
    private final Variable b;
    private final ArrayVariable x;
    private final Variable s;
    private Comprehension h;

    private RandomIndexedLosses(long seed, boolean smooth) {
        this.random = new Random(seed);
        this.smooth = smooth;
        // Extents from 1 to past LoopEmitter.JAM + 1, so that comprehensions are computed one element at a
        // time, jammed, and jammed with a remainder.
        this.d = 1 + random.nextInt(7);
        this.rows = 1 + random.nextInt(6);
        w = f.arrayVariable("w", Variable.Kind.PARAMETER, List.of(d), 0);
        v = f.arrayVariable("V", Variable.Kind.PARAMETER, List.of(rows, d), d);
        b = f.variable("b", Variable.Kind.PARAMETER, d + rows * d);
        x = f.arrayVariable("x", Variable.Kind.INPUT, List.of(d), 0);
        s = f.variable("s", Variable.Kind.INPUT, d);
    }

    /** A program from {@code seed}; {@code smooth} leaves out conditionals, abs, max and min. */
    static IndexedLossProgram program(long seed, boolean smooth) {
        return new RandomIndexedLosses(seed, smooth).build();
    }

    private IndexedLossProgram build() {
        Index m = f.index("m", rows);
        Index j = f.index("j", d);
        Expr pre = f.sum(j, expression(1, List.of(m)), f.mul(f.element(v, List.of(m, j)), f.element(x, List.of(j))));
        UnaryOp activation = List.of(UnaryOp.TANH, UnaryOp.SIN, UnaryOp.ATAN).get(random.nextInt(3));
        h = f.comprehension(List.of(m), f.unary(activation, pre));
        Expr loss = expression(4, List.of());
        return LossCompiler.buildIndexed(f, loss, List.of(w, v, b), List.of(x, s));
    }

    /** An expression whose free indices are among {@code scope}. */
    private Expr expression(int depth, List<Index> scope) {
        int choice = depth <= 0 ? 0 : random.nextInt(smooth ? 5 : 7);
        switch (choice) {
            case 0 -> {
                return leaf(scope);
            }
            case 1 -> {
                UnaryOp op = List.of(UnaryOp.TANH, UnaryOp.SIN, UnaryOp.COS, UnaryOp.NEG, UnaryOp.ATAN)
                        .get(random.nextInt(5));
                return f.unary(op, expression(depth - 1, scope));
            }
            case 2 -> {
                BinaryOp op = List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL).get(random.nextInt(3));
                return f.binary(op, expression(depth - 1, scope), expression(depth - 1, scope));
            }
            case 3, 4 -> {
                boolean overRows = random.nextInt(3) == 0;
                Index index = f.index(overRows ? "m" : "j", overRows ? rows : d);
                List<Index> inner = new ArrayList<>(scope);
                inner.add(index);
                if (random.nextInt(3) == 0) {
                    return f.unary(UnaryOp.LOG, f.sum(index, f.constant(0.0),
                            f.unary(UnaryOp.EXP, expression(depth - 1, inner))));
                }
                return f.sum(index, expression(depth - 2, scope), expression(depth - 1, inner));
            }
            case 5 -> {
                CompareOp op = List.of(CompareOp.LT, CompareOp.GT, CompareOp.LE).get(random.nextInt(3));
                return f.conditional(f.compare(op, expression(depth - 1, scope), expression(depth - 1, scope)),
                        expression(depth - 1, scope), expression(depth - 1, scope));
            }
            default -> {
                BinaryOp op = List.of(BinaryOp.MAX, BinaryOp.MIN).get(random.nextInt(2));
                return random.nextBoolean() ? f.unary(UnaryOp.ABS, expression(depth - 1, scope))
                        : f.binary(op, expression(depth - 1, scope), expression(depth - 1, scope));
            }
        }
    }

    private Expr leaf(List<Index> scope) {
        return switch (random.nextInt(8)) {
            case 0 -> f.constant(Math.round(random.nextGaussian() * 8) / 4.0);
            case 1 -> b;
            case 2 -> s;
            case 3 -> f.element(w, List.of(position(scope, d)));
            case 4 -> f.element(x, List.of(position(scope, d)));
            case 5 -> f.element(v, List.of(position(scope, rows), position(scope, d)));
            default -> h == null ? f.element(w, List.of(position(scope, d))) : f.element(h, List.of(position(scope, rows)));
        };
    }

    /** An index of the scope with this extent, or a fixed position. */
    private IndexTerm position(List<Index> scope, int extent) {
        List<Index> fitting = new ArrayList<>();
        for (Index index : scope) {
            if (index.extent() == extent) {
                fitting.add(index);
            }
        }
        if (!fitting.isEmpty() && random.nextInt(4) != 0) {
            return fitting.get(random.nextInt(fitting.size()));
        }
        return new FixedIndex(random.nextInt(extent));
    }
}
