package dev.symgrad.compiler.ir;

import java.util.ArrayList;
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
    private record Facts(int order, boolean dependsOnParameter, boolean dependsOnInput, boolean containsBatchSum,
                         List<Index> free) {
    }

    private final Map<Node, Node> interned;
    private final Map<Node, Facts> facts;
    private final int maxNodes;
    private int indices;

    public static final int DEFAULT_MAX_NODES = 2_000_000;

    public ExprFactory() {
        this(DEFAULT_MAX_NODES);
    }

    public ExprFactory(int maxNodes) {
        this(maxNodes, 0);
    }

    /**
     * A factory whose tables start sized for {@code expectedNodes} (at most {@code maxNodes}): growing them
     * to W5's tens of thousands of nodes, one doubling at a time, was 6 % of its compile.
     */
    public ExprFactory(int maxNodes, int expectedNodes) {
        this.maxNodes = maxNodes;
        int expected = Math.max(16, Math.min(maxNodes, expectedNodes));
        this.interned = new HashMap<>((int) (expected / 0.75f) + 1);
        this.facts = new IdentityHashMap<>(expected);
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

    /** A new index over {@code 0 .. extent-1}, distinct from every other (not interned). */
    public Index index(String name, int extent) {
        return new Index(name, extent, indices++);
    }

    /** A parameter or input array; its elements are at {@code offset ...} of the flat array. */
    public ArrayVariable arrayVariable(String name, Variable.Kind kind, List<Integer> shape, int offset) {
        return intern(new ArrayVariable(name, kind, shape, offset));
    }

    /** {@code [indices ↦ body]}; the body may depend on no other index. */
    public Comprehension comprehension(List<Index> indices, Expr body) {
        List<Index> free = new ArrayList<>(freeIndices(body));
        free.removeAll(indices);
        if (!free.isEmpty()) {
            throw new IllegalArgumentException("a comprehension's body depends on indices it does not bind: " + free);
        }
        return intern(new Comprehension(indices, body));
    }

    /**
     * {@code array[at...]}. An element of a comprehension whose body is a constant is that constant, so a
     * zero adjoint stays a symbolic zero when it is read.
     */
    public Expr element(Tensor array, List<? extends IndexTerm> at) {
        if (array instanceof Comprehension c && c.body() instanceof Constant constant) {
            return constant;
        }
        for (int d = 0; d < at.size(); d++) {
            IndexTerm term = at.get(d);
            int bound = term instanceof Index i ? i.extent() - 1 : ((FixedIndex) term).value();
            if (d < array.shape().size() && bound >= array.shape().get(d)) {
                throw new IllegalArgumentException("position " + term + " out of range for dimension " + d
                        + " of extent " + array.shape().get(d));
            }
        }
        return intern(new Element(array, List.copyOf(at)));
    }

    /**
     * {@code start + body(0) + ... + body(extent-1)}, left to right. A zero body adds nothing: the sum is
     * {@code start}, exact except for the sign of a zero start ({@code -0.0 + 0.0} is {@code 0.0}), the
     * same allowance the simplifier's {@code x + 0 → x} makes.
     */
    public Expr sum(Index index, Expr start, Expr body) {
        if (body instanceof Constant c && c.isZero()) {
            return start;
        }
        return intern(new Sum(index, start, body));
    }

    /** {@code max(start, max over index of body)}: see {@link Sum} on where it is made. */
    public Expr maximum(Index index, Expr start, Expr body) {
        return intern(new Sum(index, start, body, BinaryOp.MAX));
    }

    /** {@code reduction} again with other operands: a sum or a maximum, as it was. */
    public Expr reduction(Sum reduction, Expr start, Expr body) {
        return reduction.isMaximum() ? maximum(reduction.index(), start, body) : sum(reduction.index(), start, body);
    }

    /** {@code left == right}, or {@code left < right}, between positions; decided at once where both are fixed. */
    public Condition indexComparison(boolean lessThan, IndexTerm left, IndexTerm right) {
        if (left instanceof FixedIndex a && right instanceof FixedIndex b) {
            return bool(lessThan ? a.value() < b.value() : a.value() == b.value());
        }
        if (!lessThan && left.equals(right)) {
            return bool(true);
        }
        if (lessThan && right instanceof FixedIndex b && left instanceof Index a && a.extent() <= b.value()) {
            return bool(true);
        }
        return intern(new IndexComparison(lessThan, left, right));
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

    /**
     * The indices {@code node} depends on that no enclosing node of it binds yet, ordered by id: an
     * element {@code x[j]} depends on j, a {@code Sum} over j does not.
     */
    public List<Index> freeIndices(Node node) {
        return factsOf(node).free;
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
        boolean onParameter = node instanceof Variable v && v.isParameter()
                || node instanceof ArrayVariable a && a.isParameter();
        boolean onInput = node instanceof Variable v && !v.isParameter()
                || node instanceof ArrayVariable a && !a.isParameter();
        boolean isSum = node instanceof BatchSum;
        boolean batchSum = isSum;
        for (Node child : node.children()) {
            Facts c = factsOf(child);
            onParameter |= c.dependsOnParameter;
            // A batch sum is the same for every example: summing removes the dependence on inputs.
            onInput |= c.dependsOnInput && !isSum;
            batchSum |= c.containsBatchSum;
        }
        return new Facts(facts.size(), onParameter, onInput, batchSum, freeIndicesOf(node));
    }

    private List<Index> freeIndicesOf(Node node) {
        List<Index> free = new ArrayList<>();
        if (node instanceof Element element) {
            for (IndexTerm term : element.at()) {
                if (term instanceof Index index && !free.contains(index)) {
                    free.add(index);
                }
            }
        } else if (node instanceof IndexComparison comparison) {
            for (IndexTerm term : List.of(comparison.left(), comparison.right())) {
                if (term instanceof Index index && !free.contains(index)) {
                    free.add(index);
                }
            }
        }
        for (Node child : node.children()) {
            for (Index index : factsOf(child).free) {
                if (!free.contains(index)) {
                    free.add(index);
                }
            }
        }
        if (node instanceof Sum sum) {
            free.remove(sum.index());
        } else if (node instanceof Comprehension comprehension) {
            free.removeAll(comprehension.indices());
        }
        if (free.isEmpty()) {
            return List.of();
        }
        free.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return List.copyOf(free);
    }
}
