package dev.symgrad.compiler.ir;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds IR nodes and interns them, so that structurally equal nodes are one object (hash-consing).
 * Operands of commutative operators are put in a canonical order: constants, then parameter-only
 * terms, then terms that depend on inputs, ties broken by creation order. That order is what lets
 * the simplifier see {@code w*x} and {@code x*w} as one node and pull parameter factors out of sums.
 *
 * <p>One factory serves one compilation and is not thread-safe. It refuses to build more than
 * {@code maxNodes} distinct nodes, which bounds the memory any input can make the compiler use.
 */
public final class ExprFactory {

    /** Facts about a node kept beside it (never inside it): creation order and what it depends on. */
    private record Facts(int order, boolean dependsOnParameter, boolean dependsOnInput, boolean containsBatchSum) {
    }

    private final Map<Node, Node> interned = new HashMap<>();
    private final Map<Node, Facts> facts = new IdentityHashMap<>();
    private final int maxNodes;

    public static final int DEFAULT_MAX_NODES = 2_000_000;

    public ExprFactory() {
        this(DEFAULT_MAX_NODES);
    }

    public ExprFactory(int maxNodes) {
        this.maxNodes = maxNodes;
    }

    /** The number of distinct nodes built so far. */
    public int size() {
        return interned.size();
    }

    public Constant constant(double value) {
        return intern(new Constant(value));
    }

    public Variable variable(String name, Variable.Kind kind, int index) {
        return intern(new Variable(name, kind, index));
    }

    public Expr unary(UnaryOp op, Expr operand) {
        return intern(new Unary(op, operand));
    }

    public Expr binary(BinaryOp op, Expr left, Expr right) {
        if (op.isCommutative() && comesBefore(right, left)) {
            return intern(new Binary(op, right, left));
        }
        return intern(new Binary(op, left, right));
    }

    public Expr conditional(Condition test, Expr ifTrue, Expr ifFalse) {
        return intern(new Conditional(test, ifTrue, ifFalse));
    }

    public Expr batchSum(Expr summand) {
        return intern(new BatchSum(summand));
    }

    public Expr batchSize() {
        return intern(new BatchSize());
    }

    public Condition bool(boolean value) {
        return intern(new BooleanConstant(value));
    }

    public Condition compare(CompareOp op, Expr left, Expr right) {
        return intern(new Comparison(op, left, right));
    }

    public Condition logical(Logical.Operator op, Condition left, Condition right) {
        return intern(new Logical(op, left, right));
    }

    public Condition not(Condition operand) {
        return intern(new Not(operand));
    }

    public Expr add(Expr left, Expr right) {
        return binary(BinaryOp.ADD, left, right);
    }

    public Expr sub(Expr left, Expr right) {
        return binary(BinaryOp.SUB, left, right);
    }

    public Expr mul(Expr left, Expr right) {
        return binary(BinaryOp.MUL, left, right);
    }

    public Expr div(Expr left, Expr right) {
        return binary(BinaryOp.DIV, left, right);
    }

    public Expr neg(Expr operand) {
        return unary(UnaryOp.NEG, operand);
    }

    /** True if the node's value can change with a parameter. */
    public boolean dependsOnParameter(Node node) {
        return factsOf(node).dependsOnParameter;
    }

    /** True if the node's value can change from one example to the next. */
    public boolean dependsOnInput(Node node) {
        return factsOf(node).dependsOnInput;
    }

    /** Canonical order: constants, the batch size, parameter-only nodes, input-dependent nodes; then creation order. */
    public boolean comesBefore(Node a, Node b) {
        int rankA = rank(a);
        int rankB = rank(b);
        return rankA != rankB ? rankA < rankB : factsOf(a).order < factsOf(b).order;
    }

    private int rank(Node node) {
        if (node instanceof Constant) {
            return 0;
        }
        if (node instanceof BatchSize) {
            return 1;
        }
        Facts f = factsOf(node);
        if (f.dependsOnInput) {
            return node instanceof Variable ? 4 : 5;
        }
        if (f.containsBatchSum) {
            return 6;
        }
        return node instanceof Variable ? 2 : 3;
    }

    private Facts factsOf(Node node) {
        Facts f = facts.get(node);
        if (f == null) {
            throw new IllegalArgumentException("node was not built by this factory: " + node.getClass().getSimpleName());
        }
        return f;
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T intern(T candidate) {
        Node existing = interned.get(candidate);
        if (existing != null) {
            return (T) existing;
        }
        if (interned.size() >= maxNodes) {
            throw new NodeLimitExceededException(maxNodes);
        }
        facts.put(candidate, factsFor(candidate));
        interned.put(candidate, candidate);
        return candidate;
    }

    private Facts factsFor(Node node) {
        boolean onParameter = node instanceof Variable v && v.isParameter();
        boolean onInput = node instanceof Variable v && !v.isParameter();
        boolean isSum = node instanceof BatchSum;
        boolean batchSum = isSum;
        for (Node child : node.children()) {
            Facts c = factsOf(child);
            onParameter |= c.dependsOnParameter;
            // A batch sum is the same for every example: summing removes the dependence on inputs.
            onInput |= c.dependsOnInput && !isSum;
            batchSum |= c.containsBatchSum;
        }
        return new Facts(facts.size(), onParameter, onInput, batchSum);
    }
}
