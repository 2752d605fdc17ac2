package dev.symgrad.compiler.ir;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree-walking interpreter of the IR with the generated code's semantics: the reference the
 * generated classes are tested against, and the measure of what a non-compiling evaluator costs.
 * Walks a precomputed topological order, so it needs no recursion however deep the DAG is.
 */
public final class Evaluator {

    private final List<Node> order;

    /** Prepares to evaluate {@code roots}; the topological order is computed once. */
    public Evaluator(List<? extends Node> roots) {
        // A batch sum evaluates its summand once per example itself; the outer walk stops at it.
        this.order = Graph.topologicalOrder(roots, node -> node instanceof BatchSum);
    }

    /** Convenience: the value of one per-example expression. */
    public static double value(Expr root, double[] params, double[] inputs) {
        return new Evaluator(List.of(root)).evaluate(params, inputs, null).get(root);
    }

    /** Convenience: the value of one batch-level expression ({@link BatchSum} over {@code columns}). */
    public static double batchValue(Expr root, double[] params, double[][] columns) {
        return new Evaluator(List.of(root)).evaluate(params, null, columns).get(root);
    }

    /** The values of the roots for one example, in the order the roots were given. */
    public double[] values(List<? extends Expr> roots, double[] params, double[] inputs) {
        Map<Node, Double> values = evaluate(params, inputs, null);
        double[] out = new double[roots.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(roots.get(i));
        }
        return out;
    }

    /**
     * The value of every expression node; conditions appear as 1.0 or 0.0. With {@code columns}, batch
     * sums are evaluated over them; without, inputs come from {@code inputs}.
     */
    public Map<Node, Double> evaluate(double[] params, double[] inputs, double[][] columns) {
        Map<Node, Double> values = new IdentityHashMap<>();
        Map<Node, Boolean> truth = new IdentityHashMap<>();
        ExprVisitor<Double> exprValue = new ExprVisitor<>() {
            @Override
            public Double constant(Constant node) {
                return node.value();
            }

            @Override
            public Double variable(Variable node) {
                return node.isParameter() ? params[node.index()] : inputs[node.index()];
            }

            @Override
            public Double unary(Unary node) {
                return node.op().apply(values.get(node.operand()));
            }

            @Override
            public Double binary(Binary node) {
                return node.op().apply(values.get(node.left()), values.get(node.right()));
            }

            @Override
            public Double conditional(Conditional node) {
                return truth.get(node.test()) ? values.get(node.ifTrue()) : values.get(node.ifFalse());
            }

            @Override
            public Double batchSum(BatchSum node) {
                return sumOver(node.summand(), params, columns);
            }

            @Override
            public Double batchSize(BatchSize node) {
                return columns == null || columns.length == 0 ? 0.0 : columns[0].length;
            }

            @Override
            public Double element(Element node) {
                throw new IllegalStateException("indexed expressions are evaluated by IndexedEvaluator");
            }

            @Override
            public Double sum(Sum node) {
                throw new IllegalStateException("indexed expressions are evaluated by IndexedEvaluator");
            }
        };
        ConditionVisitor<Boolean> conditionValue = new ConditionVisitor<>() {
            @Override
            public Boolean bool(BooleanConstant node) {
                return node.value();
            }

            @Override
            public Boolean comparison(Comparison node) {
                return node.op().test(values.get(node.left()), values.get(node.right()));
            }

            @Override
            public Boolean logical(Logical node) {
                return node.op() == Logical.Operator.AND
                        ? truth.get(node.left()) && truth.get(node.right())
                        : truth.get(node.left()) || truth.get(node.right());
            }

            @Override
            public Boolean not(Not node) {
                return !truth.get(node.operand());
            }

            @Override
            public Boolean indexComparison(IndexComparison node) {
                throw new IllegalStateException("indexed expressions are evaluated by IndexedEvaluator");
            }
        };
        for (Node node : order) {
            if (node instanceof Expr expr) {
                values.put(node, expr.accept(exprValue));
            } else {
                truth.put(node, ((Condition) node).accept(conditionValue));
            }
        }
        truth.forEach((node, value) -> values.put(node, value ? 1.0 : 0.0));
        return values;
    }

    /** Adds in example order with one accumulator: the plain definition the generated sums are checked against. */
    private static double sumOver(Expr summand, double[] params, double[][] columns) {
        if (columns == null) {
            throw new IllegalStateException("a batch sum needs columns");
        }
        Evaluator inner = new Evaluator(List.of(summand));
        int n = columns.length == 0 ? 0 : columns[0].length;
        double[] example = new double[columns.length];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < columns.length; c++) {
                example[c] = columns[c][i];
            }
            sum += inner.evaluate(params, example, null).get(summand);
        }
        return sum;
    }
}
