package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes once, as an array, what a sum would otherwise recompute in every iteration of a loop around
 * it. In the network's gradient, {@code Σ_k W[k][m]·(exp(z_k)/S - y_k)} is evaluated for each m, and its
 * term {@code exp(z_k)/S - y_k} depends on k only: written as it is, the exponential is taken 32 times
 * per k. Such a term (a node whose only free index is the sum's index, and that costs a call or a sum
 * to compute) becomes the array {@code [k ↦ term]}, read as its element at k; the array is computed
 * once per example, before the loop over m. Exact: the array's element at k is the term at k wherever
 * the term occurs. The same holds for a term that two sums over one index both compute.
 */
public final class InvariantArrays {

    private InvariantArrays() {
    }

    /** The roots (expressions or comprehensions) with recomputed terms read from arrays. */
    public static List<Node> apply(ExprFactory f, List<Node> roots) {
        Map<Node, Comprehension> arrays = new LinkedHashMap<>();
        Map<Node, Integer> sumsUsing = new IdentityHashMap<>();
        List<Node> order = Graph.topologicalOrder(roots);
        Set<Node> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
        nodes.addAll(order);
        Set<Index> indices = new HashSet<>();
        for (Node node : order) {
            indices.addAll(f.freeIndices(node));
            if (node instanceof Sum sum) {
                indices.add(sum.index());
            }
        }
        for (Node node : order) {
            if (node instanceof Sum sum) {
                if (!f.freeIndices(sum).isEmpty()) {
                    for (Node term : terms(f, sum, true)) {
                        arrays.computeIfAbsent(term, body -> f.comprehension(List.of(sum.index()), (Expr) body));
                    }
                }
                // A sum with no free index runs once per example: nothing around it repeats, but two such
                // sums over one index (Σ_k exp(z_k) and Σ_k y_k·z_k) would each compute z_k, and a term
                // that also occurs over another index (the gradient's exp(z_k0), gathered over k0) would
                // be computed again there.
                for (Node term : terms(f, sum, false)) {
                    if (sumsUsing.merge(term, 1, Integer::sum) == 2
                            || occursRenamed(f, (Expr) term, sum.index(), indices, nodes)) {
                        arrays.computeIfAbsent(term, body -> f.comprehension(List.of(sum.index()), (Expr) body));
                    }
                }
            }
        }
        if (arrays.isEmpty()) {
            return roots;
        }
        ArrayReuse reuse = new ArrayReuse(f, arrays);
        List<Node> rewritten = new ArrayList<>();
        for (Node root : roots) {
            rewritten.add(reuse.applyTo(root));
        }
        return rewritten;
    }

    /**
     * True if {@code term}, whose only free index is {@code k}, occurs among {@code nodes} with k renamed
     * to another index of the same extent (one not bound inside the term, which would capture).
     */
    private static boolean occursRenamed(ExprFactory f, Expr term, Index k, Set<Index> indices, Set<Node> nodes) {
        Set<Index> bound = ArrayReuse.boundIndices(term);
        for (Index at : indices) {
            if (at != k && at.extent() == k.extent() && !bound.contains(at)
                    && nodes.contains(new Substitution(f, Map.of(k, at)).apply(term))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The terms of the sum's body that depend on its index alone and are worth an array: the largest
     * ones, or ({@code largest} false) all of them.
     */
    private static List<Node> terms(ExprFactory f, Sum sum, boolean largest) {
        Index k = sum.index();
        List<Index> onlyK = List.of(k);
        List<Node> terms = new ArrayList<>();
        for (Node node : Graph.topologicalOrder(List.of(sum.body()),
                node -> !f.freeIndices(node).contains(k) || largest && f.freeIndices(node).equals(onlyK))) {
            if (f.freeIndices(node).equals(onlyK) && node instanceof Expr && !(node instanceof Element)
                    && costly(f, node, k)) {
                terms.add(node);
            }
        }
        return terms;
    }

    /** True if computing {@code node} once per k takes a call or a sum (not just a few multiplications). */
    private static boolean costly(ExprFactory f, Node node, Index k) {
        for (Node part : Graph.topologicalOrder(List.of(node), part -> !f.freeIndices(part).contains(k))) {
            if (part instanceof Sum || part instanceof Unary u && u.op() != UnaryOp.NEG
                    || part instanceof Binary b && b.op() != BinaryOp.ADD && b.op() != BinaryOp.SUB
                    && b.op() != BinaryOp.MUL) {
                if (f.freeIndices(part).contains(k)) {
                    return true;
                }
            }
        }
        return false;
    }
}
