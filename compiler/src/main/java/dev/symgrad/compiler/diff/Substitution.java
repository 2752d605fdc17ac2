package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexComparison;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renames free indices in an expression ({@code j := k}), rebuilding only the nodes that depend on a
 * renamed index; everything else, arrays and sums over other indices included, stays shared. A node
 * can occur both where j is free and inside a sum over j (the adjoint of {@code V[m][j]} contains
 * {@code tanh(Σ_j V[m][j]·x[j])}): inside that sum j is bound and is not renamed, so a sum's body is
 * rebuilt with its own index left out of the renaming. Walks a topological order per renaming;
 * recursion only follows the nesting of such sums.
 *
 * <p>{@link #replacingVariables} replaces variables instead, by other expressions, rebuilding what
 * depends on them.
 */
public final class Substitution {

    private final ExprFactory f;
    private final Map<Index, IndexTerm> renaming;

    Substitution(ExprFactory factory, Map<Index, IndexTerm> renaming) {
        this.f = factory;
        this.renaming = renaming;
    }

    Expr apply(Expr root) {
        return (Expr) rebuild(root);
    }

    Condition apply(Condition root) {
        return (Condition) rebuild(root);
    }

    /**
     * {@code roots} with each variable of {@code replacement} replaced by its expression, in expressions
     * without sums: how a derivative taken with respect to a parameter becomes one with respect to a
     * per-example input ({@code MarginDerivatives}: reverse mode follows only what depends on parameters).
     */
    public static List<Expr> replacingVariables(ExprFactory factory, List<Expr> roots,
                                                Map<Variable, ? extends Expr> replacement) {
        Substitution rebuild = new Substitution(factory, Map.of());
        Map<Node, Node> done = new IdentityHashMap<>();
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Sum) {
                throw new IllegalArgumentException("variables are replaced in expressions without sums");
            }
            Node replaced = replacement.get(node);
            if (replaced == null) {
                boolean changed = node.children().stream().anyMatch(child -> done.get(child) != child);
                replaced = changed ? rebuild.rebuilt(node, done) : node;
            }
            done.put(node, replaced);
        }
        List<Expr> result = new ArrayList<>();
        for (Expr root : roots) {
            result.add((Expr) done.get(root));
        }
        return result;
    }

    private boolean affected(Node node) {
        for (Index index : f.freeIndices(node)) {
            if (renaming.containsKey(index)) {
                return true;
            }
        }
        return false;
    }

    private Node rebuild(Node root) {
        Map<Node, Node> done = new IdentityHashMap<>();
        // A sum over a renamed index is a leaf here: its body is rebuilt by a renaming without that index.
        for (Node node : Graph.topologicalOrder(List.of(root),
                node -> !affected(node) || node instanceof Sum sum && renaming.containsKey(sum.index()))) {
            done.put(node, affected(node) ? rebuilt(node, done) : node);
        }
        return done.get(root);
    }

    private Node rebuilt(Node node, Map<Node, Node> done) {
        if (node instanceof Sum sum && renaming.containsKey(sum.index())) {
            Map<Index, IndexTerm> inner = new IdentityHashMap<>(renaming);
            inner.remove(sum.index());
            Substitution body = new Substitution(f, inner);
            return f.reduction(sum, apply(sum.start()), body.apply(sum.body()));
        }
        if (node instanceof Element element) {
            List<IndexTerm> at = new ArrayList<>();
            for (IndexTerm term : element.at()) {
                at.add(term instanceof Index index && renaming.containsKey(index) ? renaming.get(index) : term);
            }
            return f.element(element.array(), at);
        }
        if (node instanceof Unary unary) {
            return f.unary(unary.op(), (Expr) done.get(unary.operand()));
        }
        if (node instanceof Binary binary) {
            return f.binary(binary.op(), (Expr) done.get(binary.left()), (Expr) done.get(binary.right()));
        }
        if (node instanceof Conditional conditional) {
            return f.conditional((Condition) done.get(conditional.test()), (Expr) done.get(conditional.ifTrue()),
                    (Expr) done.get(conditional.ifFalse()));
        }
        if (node instanceof Sum sum) {
            return f.reduction(sum, (Expr) done.get(sum.start()), (Expr) done.get(sum.body()));
        }
        if (node instanceof Comparison comparison) {
            return f.compare(comparison.op(), (Expr) done.get(comparison.left()), (Expr) done.get(comparison.right()));
        }
        if (node instanceof Logical logical) {
            return f.logical(logical.op(), (Condition) done.get(logical.left()), (Condition) done.get(logical.right()));
        }
        if (node instanceof Not not) {
            return f.not((Condition) done.get(not.operand()));
        }
        if (node instanceof IndexComparison comparison) {
            return f.indexComparison(comparison.lessThan(), renamed(comparison.left()), renamed(comparison.right()));
        }
        if (node instanceof BooleanConstant) {
            return node;
        }
        throw new IllegalStateException("cannot rename indices in " + node.getClass().getSimpleName());
    }

    private IndexTerm renamed(IndexTerm term) {
        return term instanceof Index index && renaming.containsKey(index) ? renaming.get(index) : term;
    }
}
