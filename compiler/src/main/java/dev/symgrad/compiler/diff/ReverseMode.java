package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public ReverseMode(ExprFactory factory) {
        this.f = factory;
        this.rules = new DerivativeRules(factory);
    }

    /** ∂ loss / ∂ p for every parameter, in the order given. */
    public List<Expr> gradient(Expr loss, List<Variable> parameters) {
        Map<Node, Map<Condition, Expr>> adjoints = new IdentityHashMap<>();
        addTo(adjoints, loss, null, f.constant(1.0));
        List<Node> order = Graph.topologicalOrder(List.of(loss));
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            Map<Condition, Expr> adjoint = adjoints.get(node);
            if (adjoint == null || node instanceof Variable) {
                continue;
            }
            adjoint.forEach((guard, value) -> propagate((Expr) node, guard, value, adjoints));
        }
        List<Expr> gradient = new ArrayList<>();
        for (Variable parameter : parameters) {
            gradient.add(collapse(adjoints.get(parameter)));
        }
        return gradient;
    }

    /** Pushes one guarded piece of {@code node}'s adjoint to its operands. */
    private void propagate(Expr node, Condition guard, Expr adjoint, Map<Node, Map<Condition, Expr>> adjoints) {
        if (node instanceof Unary unary) {
            if (relevant(unary.operand())) {
                addTo(adjoints, unary.operand(), guard, times(adjoint, rules.partial(unary)));
            }
        } else if (node instanceof Binary binary) {
            if (relevant(binary.left())) {
                addTo(adjoints, binary.left(), guard, times(adjoint, rules.partialLeft(binary)));
            }
            if (relevant(binary.right())) {
                addTo(adjoints, binary.right(), guard, times(adjoint, rules.partialRight(binary)));
            }
        } else if (node instanceof Conditional conditional) {
            if (relevant(conditional.ifTrue())) {
                addTo(adjoints, conditional.ifTrue(), and(guard, conditional.test()), adjoint);
            }
            if (relevant(conditional.ifFalse())) {
                addTo(adjoints, conditional.ifFalse(), and(guard, f.not(conditional.test())), adjoint);
            }
        } else if (!(node instanceof Constant)) {
            throw new IllegalArgumentException("not a per-example expression: " + node.getClass().getSimpleName());
        }
    }

    private boolean relevant(Expr operand) {
        return f.dependsOnParameter(operand);
    }

    private void addTo(Map<Node, Map<Condition, Expr>> adjoints, Node target, Condition guard, Expr contribution) {
        if (contribution instanceof Constant c && c.isZero()) {
            return;
        }
        adjoints.computeIfAbsent(target, key -> new LinkedHashMap<>())
                .merge(guard, contribution, f::add);
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
