package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Tensor;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Symbolic reverse-mode differentiation over the DAG: one topological order, one reverse sweep that
 * pushes each node's adjoint to its operands, adjoints summed per node. Every node is visited once, so
 * the gradient of all parameters together is a constant factor larger than the loss.
 *
 * <p>Adjoints that flow into a branch of a conditional carry the branch's test as a guard and stay
 * guarded: the contribution of {@code c ? a : b} to a parameter inside {@code a} is
 * {@code c ? adj·∂a : 0}, never {@code (c ? adj : 0)·∂a}. So the untaken branch contributes exactly
 * nothing, even where its own derivative is infinite or NaN (like {@code lax.cond}, unlike
 * {@code jnp.where}).
 */
public final class ReverseMode {

    private final ExprFactory f;
    private final DerivativeRules rules;
    private ArrayReuse reuse;

    public ReverseMode(ExprFactory factory) {
        this.f = factory;
        this.rules = new DerivativeRules(factory);
    }

    /** ∂ loss / ∂ p for every parameter, in the order given. */
    public List<Expr> gradient(Expr loss, List<Variable> parameters) {
        List<Node> blocks = gradientBlocks(loss, parameters);
        List<Expr> gradient = new ArrayList<>();
        for (Node block : blocks) {
            gradient.add((Expr) block);
        }
        return gradient;
    }

    /**
     * The gradient by declared parameter: for a scalar {@link Variable} its partial derivative, for an
     * {@link ArrayVariable} the array of its partial derivatives (a {@link Comprehension}, whose body is
     * the constant 0 where the loss does not depend on it).
     *
     * <p>Indices: the adjoint of a node inside a sum over j may depend on j; where it flows to an operand
     * that does not (a parameter used in every term), it is summed over j first: the operand's adjoint
     * is the sum of what each use contributes. Reading {@code w[j]} contributes to the adjoint of the
     * array {@code w} at position j; the array's adjoint is then the comprehension {@code [k ↦ that
     * contribution with j := k]}, a gather, not a scatter: each element is computed where it is read,
     * as Dex and Halide's autodiff do. A fixed position {@code w[3]} contributes {@code k == 3 ? ... : 0}.
     */
    public List<Node> gradientBlocks(Expr loss, List<? extends Node> parameters) {
        Map<Node, Map<Piece, Expr>> adjoints = new IdentityHashMap<>();
        Map<Tensor, List<ElementAdjoint>> elementAdjoints = new IdentityHashMap<>();
        addTo(adjoints, loss, null, f.constant(1.0), List.of());
        List<Node> order = Graph.topologicalOrder(List.of(loss));
        reuse = new ArrayReuse(f, loss);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            if (node instanceof Comprehension comprehension) {
                Tensor adjoint = arrayAdjoint(comprehension, elementAdjoints.get(comprehension), false);
                if (adjoint != null && relevant(comprehension.body())) {
                    addTo(adjoints, comprehension.body(), null, f.element(adjoint, comprehension.indices()),
                            comprehension.indices());
                }
                continue;
            }
            Map<Piece, Expr> adjoint = adjoints.get(node);
            if (adjoint == null || node instanceof Variable) {
                continue;
            }
            Map<Condition, Expr> summed = sumOverUnboundIndices(node, adjoint);
            if (node instanceof Element element) {
                summed.forEach((guard, value) -> elementAdjoints.computeIfAbsent(element.array(), key -> new ArrayList<>())
                        .add(new ElementAdjoint(guard, value, element.at())));
            } else {
                summed.forEach((guard, value) -> propagate((Expr) node, guard, value, adjoints));
            }
        }
        List<Node> gradient = new ArrayList<>();
        for (Node parameter : parameters) {
            if (parameter instanceof ArrayVariable array) {
                Tensor adjoint = arrayAdjoint(array, elementAdjoints.get(array), true);
                gradient.add(adjoint != null ? adjoint : zeroArray(array));
            } else {
                Map<Piece, Expr> adjoint = adjoints.get(parameter);
                gradient.add(reuse.apply(collapse(adjoint == null ? null : sumOverUnboundIndices(parameter, adjoint))));
            }
        }
        return gradient;
    }

    /** What one read {@code array[at]} contributes to the array's adjoint: {@code guard ? value : 0} at {@code at}. */
    private record ElementAdjoint(Condition guard, Expr value, List<IndexTerm> at) {
    }

    /**
     * One part of a node's adjoint: contributions under the same guard that reach the node from a
     * context with the same indices beyond the node's own, {@code over}. A node used inside a sum over
     * j that does not itself depend on j is used once per j: its adjoint is the sum over j of what
     * each use contributes, whether or not the contribution mentions j.
     */
    private record Piece(Condition guard, List<Index> over) {

        /** As the record's method would compare; written out for the reason given on {@link Constant#equals}. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Piece that && Objects.equals(guard, that.guard) && over.equals(that.over);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(guard) * 31 + over.hashCode();
        }
    }

    /**
     * The adjoint of {@code node} as guarded pieces over the node's own indices: pieces that need no sum
     * keep their guards apart (see the class comment), summed ones carry them inside.
     */
    private Map<Condition, Expr> sumOverUnboundIndices(Node node, Map<Piece, Expr> adjoint) {
        Map<Condition, Expr> result = new LinkedHashMap<>();
        for (Map.Entry<Piece, Expr> piece : adjoint.entrySet()) {
            Condition guard = piece.getKey().guard();
            List<Index> over = piece.getKey().over();
            if (over.isEmpty()) {
                result.merge(guard, piece.getValue(), f::add);
                continue;
            }
            Expr term = guard == null ? piece.getValue() : f.conditional(guard, piece.getValue(), f.constant(0.0));
            for (Index index : over) {
                term = f.sum(index, f.constant(0.0), term);
            }
            result.merge(null, term, f::add);
        }
        return result;
    }

    /**
     * The adjoint of an array from the adjoints of its reads, or null if it has none. One read at
     * distinct whole-range indices {@code (m, j)} gives {@code [m, j ↦ adjoint]} as it is; otherwise
     * each read is renamed to fresh indices {@code k0, k1 ...}, with equality tests for fixed or
     * repeated positions and a range test where a loop covers only part of a dimension. A parameter's
     * gradient always gets fresh indices, so that its printed form names its position {@code k0 ...}
     * and no index of a sum inside it has that name.
     */
    private Tensor arrayAdjoint(Tensor array, List<ElementAdjoint> reads, boolean freshIndices) {
        if (reads == null || reads.isEmpty()) {
            return null;
        }
        List<Integer> shape = array.shape();
        if (!freshIndices && reads.size() == 1 && coversWholeArray(reads.get(0).at(), shape)) {
            ElementAdjoint read = reads.get(0);
            List<Index> indices = new ArrayList<>();
            for (IndexTerm term : read.at()) {
                indices.add((Index) term);
            }
            return f.comprehension(indices, guarded(reuse.apply(read.guard()), reuse.apply(read.value())));
        }
        List<Index> fresh = new ArrayList<>();
        for (int d = 0; d < shape.size(); d++) {
            fresh.add(f.index("k" + d, shape.get(d)));
        }
        Expr total = null;
        for (ElementAdjoint read : reads) {
            Map<Index, IndexTerm> renaming = new IdentityHashMap<>();
            Condition where = null;
            for (int d = 0; d < shape.size(); d++) {
                IndexTerm term = read.at().get(d);
                Index k = fresh.get(d);
                Condition test = null;
                if (term instanceof FixedIndex) {
                    test = f.indexComparison(false, k, term);
                } else if (renaming.containsKey((Index) term)) {
                    test = f.indexComparison(false, k, renaming.get((Index) term));
                } else {
                    Index j = (Index) term;
                    renaming.put(j, k);
                    if (j.extent() < k.extent()) {
                        test = f.indexComparison(true, k, new FixedIndex(j.extent()));
                    }
                }
                if (test != null) {
                    where = where == null ? test : f.logical(Logical.Operator.AND, where, test);
                }
            }
            Substitution substitution = new Substitution(f, renaming);
            Condition guard = read.guard() == null ? null : substitution.apply(reuse.apply(read.guard()));
            Expr value = substitution.apply(reuse.apply(read.value()));
            Condition all = guard == null ? where : where == null ? guard : f.logical(Logical.Operator.AND, where, guard);
            Expr term = guarded(all, value);
            total = total == null ? term : f.add(total, term);
        }
        return f.comprehension(fresh, total);
    }

    private static boolean coversWholeArray(List<IndexTerm> at, List<Integer> shape) {
        List<IndexTerm> seen = new ArrayList<>();
        for (int d = 0; d < at.size(); d++) {
            if (!(at.get(d) instanceof Index index) || index.extent() != shape.get(d) || seen.contains(index)) {
                return false;
            }
            seen.add(index);
        }
        return true;
    }

    private Expr guarded(Condition guard, Expr value) {
        return guard == null ? value : f.conditional(guard, value, f.constant(0.0));
    }

    private Comprehension zeroArray(ArrayVariable array) {
        List<Index> indices = new ArrayList<>();
        for (int d = 0; d < array.shape().size(); d++) {
            indices.add(f.index("k" + d, array.shape().get(d)));
        }
        return f.comprehension(indices, f.constant(0.0));
    }

    /** Pushes one guarded piece of {@code node}'s adjoint to its operands. */
    private void propagate(Expr node, Condition guard, Expr adjoint, Map<Node, Map<Piece, Expr>> adjoints) {
        List<Index> context = f.freeIndices(node);
        if (node instanceof Unary unary) {
            // A stop-gradient passes nothing on, as a maximum over an index does not.
            if (unary.op() != UnaryOp.STOP_GRADIENT && relevant(unary.operand())) {
                addTo(adjoints, unary.operand(), guard, times(adjoint, rules.partial(unary)), context);
            }
        } else if (node instanceof Binary binary) {
            if (relevant(binary.left())) {
                addTo(adjoints, binary.left(), guard, times(adjoint, rules.partialLeft(binary)), context);
            }
            if (relevant(binary.right())) {
                addTo(adjoints, binary.right(), guard, times(adjoint, rules.partialRight(binary)), context);
            }
        } else if (node instanceof Conditional conditional) {
            if (relevant(conditional.ifTrue())) {
                addTo(adjoints, conditional.ifTrue(), and(guard, conditional.test()), adjoint, context);
            }
            if (relevant(conditional.ifFalse())) {
                addTo(adjoints, conditional.ifFalse(), and(guard, f.not(conditional.test())), adjoint, context);
            }
        } else if (node instanceof Sum sum && sum.isMaximum()) {
            // A constant to differentiation: the shift of a stable log-sum-exp, through which the derivative
            // is exactly zero (see Sum). Nothing propagates.
            return;
        } else if (node instanceof Sum sum) {
            // d(start + Σ_j body_j) = d start + Σ_j d body_j: the adjoint reaches the body once per j.
            if (relevant(sum.start())) {
                addTo(adjoints, sum.start(), guard, adjoint, context);
            }
            if (relevant(sum.body())) {
                List<Index> inside = new ArrayList<>(context);
                inside.add(sum.index());
                addTo(adjoints, sum.body(), guard, adjoint, inside);
            }
        } else if (!(node instanceof Constant)) {
            throw new IllegalArgumentException("not a per-example expression: " + node.getClass().getSimpleName());
        }
    }

    private boolean relevant(Node operand) {
        return f.dependsOnParameter(operand);
    }

    /** Adds a contribution made where the indices {@code context} are bound (a superset of the target's). */
    private void addTo(Map<Node, Map<Piece, Expr>> adjoints, Node target, Condition guard, Expr contribution,
                       List<Index> context) {
        if (contribution instanceof Constant c && c.isZero()) {
            return;
        }
        List<Index> over = List.of();
        if (!context.isEmpty()) {
            List<Index> own = f.freeIndices(target);
            List<Index> extra = new ArrayList<>();
            for (Index index : context) {
                if (!own.contains(index) && !extra.contains(index)) {
                    extra.add(index);
                }
            }
            extra.sort((a, b) -> Integer.compare(a.id(), b.id()));
            over = List.copyOf(extra);
        }
        adjoints.computeIfAbsent(target, key -> new LinkedHashMap<>())
                .merge(new Piece(guard, over), contribution, f::add);
    }

    /** The adjoint as one expression: unguarded part plus {@code guard ? piece : 0} for each guarded piece. */
    private Expr collapse(Map<Condition, Expr> adjoint) {
        if (adjoint == null) {
            return f.constant(0.0);
        }
        Expr total = null;
        for (Map.Entry<Condition, Expr> piece : adjoint.entrySet()) {
            Expr term = piece.getKey() == null
                    ? piece.getValue()
                    : f.conditional(piece.getKey(), piece.getValue(), f.constant(0.0));
            total = total == null ? term : f.add(total, term);
        }
        return total;
    }

    private Condition and(Condition guard, Condition test) {
        return guard == null ? test : f.logical(Logical.Operator.AND, guard, test);
    }

    /** A product that never builds {@code 1·x}; zero contributions are dropped by {@link #addTo}. */
    private Expr times(Expr adjoint, Expr partial) {
        if (adjoint instanceof Constant c && c.is(1.0)) {
            return partial;
        }
        if (partial instanceof Constant c) {
            if (c.is(1.0)) {
                return adjoint;
            }
            if (c.is(-1.0)) {
                return f.neg(adjoint);
            }
            if (c.isZero()) {
                return c;
            }
        }
        return f.mul(adjoint, partial);
    }
}
