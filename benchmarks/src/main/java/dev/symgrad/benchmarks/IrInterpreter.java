package dev.symgrad.benchmarks;

import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What evaluating symgrad's IR without compiling it costs: the per-example gradient DAG flattened once
 * into arrays in topological order, then walked node by node for every example with a switch on the
 * node kind. This is the usual shape of an AD interpreter (a "tape"), and a fair non-compiling baseline.
 */
public final class IrInterpreter implements GradientImplementation {

    private static final int CONSTANT = 0;
    private static final int PARAMETER = 1;
    private static final int INPUT = 2;
    private static final int UNARY = 3;
    private static final int BINARY = 4;
    private static final int CONDITIONAL = 5;
    private static final int COMPARISON = 6;
    private static final int AND = 7;
    private static final int OR = 8;
    private static final int NOT = 9;
    private static final int TRUE = 10;
    private static final int FALSE = 11;

    private final int[] kind;
    private final int[] operator;
    private final int[] first;
    private final int[] second;
    private final int[] third;
    private final double[] constant;
    private final int[] roots;

    public IrInterpreter(LossProgram program) {
        List<Expr> gradient = program.gradient();
        List<Node> order = Graph.topologicalOrder(gradient);
        Map<Node, Integer> index = new IdentityHashMap<>();
        int size = order.size();
        kind = new int[size];
        operator = new int[size];
        first = new int[size];
        second = new int[size];
        third = new int[size];
        constant = new double[size];
        for (int i = 0; i < size; i++) {
            Node node = order.get(i);
            index.put(node, i);
            if (node instanceof Constant c) {
                kind[i] = CONSTANT;
                constant[i] = c.value();
            } else if (node instanceof Variable v) {
                kind[i] = v.isParameter() ? PARAMETER : INPUT;
                first[i] = v.index();
            } else if (node instanceof Unary u) {
                kind[i] = UNARY;
                operator[i] = u.op().ordinal();
                first[i] = index.get(u.operand());
            } else if (node instanceof Binary b) {
                kind[i] = BINARY;
                operator[i] = b.op().ordinal();
                first[i] = index.get(b.left());
                second[i] = index.get(b.right());
            } else if (node instanceof Conditional c) {
                kind[i] = CONDITIONAL;
                first[i] = index.get(c.test());
                second[i] = index.get(c.ifTrue());
                third[i] = index.get(c.ifFalse());
            } else if (node instanceof Comparison c) {
                kind[i] = COMPARISON;
                operator[i] = c.op().ordinal();
                first[i] = index.get(c.left());
                second[i] = index.get(c.right());
            } else if (node instanceof Logical l) {
                kind[i] = l.op() == Logical.Operator.AND ? AND : OR;
                first[i] = index.get(l.left());
                second[i] = index.get(l.right());
            } else if (node instanceof Not n) {
                kind[i] = NOT;
                first[i] = index.get(n.operand());
            } else if (node instanceof BooleanConstant b) {
                kind[i] = b.value() ? TRUE : FALSE;
            } else if (node instanceof BatchSum || node instanceof BatchSize) {
                throw new IllegalArgumentException("per-example gradients contain no batch nodes");
            }
        }
        roots = gradient.stream().mapToInt(index::get).toArray();
    }

    /** Evaluates every node for one example; conditions are 1.0 or 0.0. */
    private void evaluate(double[] params, double[][] columns, int example, double[] values) {
        dev.symgrad.compiler.ir.UnaryOp[] unaryOps = UNARY_OPS;
        dev.symgrad.compiler.ir.BinaryOp[] binaryOps = BINARY_OPS;
        for (int i = 0; i < kind.length; i++) {
            values[i] = switch (kind[i]) {
                case CONSTANT -> constant[i];
                case PARAMETER -> params[first[i]];
                case INPUT -> columns[first[i]][example];
                case UNARY -> unaryOps[operator[i]].apply(values[first[i]]);
                case BINARY -> binaryOps[operator[i]].apply(values[first[i]], values[second[i]]);
                case CONDITIONAL -> values[first[i]] != 0 ? values[second[i]] : values[third[i]];
                case COMPARISON -> COMPARE_OPS[operator[i]].test(values[first[i]], values[second[i]]) ? 1 : 0;
                case AND -> values[first[i]] != 0 && values[second[i]] != 0 ? 1 : 0;
                case OR -> values[first[i]] != 0 || values[second[i]] != 0 ? 1 : 0;
                case NOT -> values[first[i]] != 0 ? 0 : 1;
                case TRUE -> 1;
                default -> 0;
            };
        }
    }

    private static final dev.symgrad.compiler.ir.UnaryOp[] UNARY_OPS = dev.symgrad.compiler.ir.UnaryOp.values();
    private static final dev.symgrad.compiler.ir.BinaryOp[] BINARY_OPS = dev.symgrad.compiler.ir.BinaryOp.values();
    private static final dev.symgrad.compiler.ir.CompareOp[] COMPARE_OPS = dev.symgrad.compiler.ir.CompareOp.values();

    @Override
    public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        double[] values = new double[kind.length];
        int n = columns[0].length;
        for (int i = 0; i < n; i++) {
            evaluate(params, columns, i, values);
            for (int p = 0; p < roots.length; p++) {
                out[p][i] = values[roots[p]];
            }
        }
    }

    @Override
    public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
        double[] values = new double[kind.length];
        java.util.Arrays.fill(out, 0.0);
        int n = columns[0].length;
        for (int i = 0; i < n; i++) {
            evaluate(params, columns, i, values);
            for (int p = 0; p < roots.length; p++) {
                out[p] += values[roots[p]];
            }
        }
    }

    /** An interpreter has no separate route (b): the gradient of the sum is the sum of the gradients. */
    @Override
    public void gradientOfSum(double[] params, double[][] columns, double[] out) {
        sumOfPerExampleGradients(params, columns, out);
    }
}
