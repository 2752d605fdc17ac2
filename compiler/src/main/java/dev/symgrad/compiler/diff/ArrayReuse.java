package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Tensor;
import dev.symgrad.compiler.ir.Unary;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a local array instead of recomputing its element. Derivatives refer to the loss's own nodes:
 * the partial of {@code h[m] = tanh(a_m)} is {@code 1 - tanh(a_m)²}, and {@code tanh(a_m)} is the
 * body of the comprehension h, whose value at the current m is already in h's array. Without this,
 * the gradient of the layer before would recompute {@code a_m}, a sum over the layer's inputs, once per
 * weight: backprop as a person writes it reads {@code h[m]}. Replacing a comprehension's body by the
 * element of the comprehension at the body's own indices is exact wherever the body occurs (those
 * indices are bound there), but only where the body depends on all of them; the comprehension's own
 * definition is left alone.
 *
 * <p>A one-index array's body also occurs with its index renamed: differentiation gathers an array's
 * adjoint over a fresh index ({@code ∂/∂W[k0][k1]} holds {@code exp(z_k0)} where the loss's array is
 * {@code z[k] = Σ_j W[k][j]·x[j]}), and such a copy is the array's element at the other index. Without
 * this, softmax regression's gradient computes each of its ten 64-long sums again.
 */
final class ArrayReuse {

    private final ExprFactory f;
    private final Map<Node, Comprehension> arrayOfBody = new IdentityHashMap<>();
    private final Map<Node, Node> done = new IdentityHashMap<>();
    private final Map<Comprehension, Comprehension> replaced = new IdentityHashMap<>();
    private final Map<Node, Renamed> renamedBodies = new IdentityHashMap<>();
    private final Set<Index> renamedTo = new HashSet<>();

    /** A one-index array's body with its index renamed to {@code at}: the array's element at {@code at}. */
    private record Renamed(Comprehension array, Index at) {
    }

    /** Prepares to reuse the comprehensions of {@code loss}. */
    ArrayReuse(ExprFactory factory, Expr loss) {
        this.f = factory;
        for (Node node : Graph.topologicalOrder(List.of(loss))) {
            if (node instanceof Comprehension array
                    && new HashSet<>(f.freeIndices(array.body())).equals(new HashSet<>(array.indices()))) {
                arrayOfBody.putIfAbsent(array.body(), array);
            }
        }
    }

    /** Prepares to read the given arrays wherever their bodies occur (each body depends on all its indices). */
    ArrayReuse(ExprFactory factory, Map<Node, Comprehension> arrays) {
        this.f = factory;
        arrayOfBody.putAll(arrays);
    }

    /** The node rewritten: an expression, a condition or a comprehension (rebuilt around a rewritten body). */
    Node applyTo(Node root) {
        return rewrite(root);
    }

    Expr apply(Expr root) {
        return (Expr) rewrite(root);
    }

    Condition apply(Condition root) {
        return root == null ? null : (Condition) rewrite(root);
    }

    private Node rewrite(Node root) {
        if (arrayOfBody.isEmpty()) {
            return root;
        }
        List<Node> order = Graph.topologicalOrder(List.of(root), done::containsKey);
        addRenamings(order);
        for (Node node : order) {
            if (!done.containsKey(node)) {
                done.put(node, rewritten(node));
            }
        }
        return done.get(root);
    }

    /**
     * A body of one of the arrays becomes the array's element; the array itself is rebuilt around its
     * body with the body's own operands rewritten (never the body itself, which would define the array
     * by itself), so that an array computed inside another's definition is read there too. Children come
     * first in the walk, so a body is met before its array.
     */
    private Node rewritten(Node node) {
        Renamed renamed = renamedBodies.get(node);
        if (renamed != null) {
            rewrite(renamed.array().body());
            return f.element(replaced.getOrDefault(renamed.array(), renamed.array()), List.of(renamed.at()));
        }
        Comprehension array = arrayOfBody.get(node);
        if (array != null) {
            Comprehension rebuilt = f.comprehension(array.indices(), (Expr) structurally(node));
            replaced.put(array, rebuilt);
            return f.element(rebuilt, array.indices());
        }
        if (node instanceof Comprehension comprehension) {
            Comprehension rebuilt = replaced.get(comprehension);
            return rebuilt != null ? rebuilt : f.comprehension(comprehension.indices(), (Expr) get(comprehension.body()));
        }
        return structurally(node);
    }

    /**
     * Registers the one-index arrays' bodies renamed to each index of {@code nodes} (free or summed over)
     * of the same extent; hash-consing makes a copy that occurs the very node the renaming builds. An
     * index bound inside a body is skipped: renaming to it would capture.
     */
    private void addRenamings(List<Node> nodes) {
        Set<Index> indices = new HashSet<>();
        for (Node node : nodes) {
            indices.addAll(f.freeIndices(node));
            if (node instanceof Sum sum) {
                indices.add(sum.index());
            }
        }
        indices.removeAll(renamedTo);
        if (indices.isEmpty()) {
            return;
        }
        renamedTo.addAll(indices);
        for (Map.Entry<Node, Comprehension> entry : List.copyOf(arrayOfBody.entrySet())) {
            Comprehension array = entry.getValue();
            if (array.indices().size() != 1) {
                continue;
            }
            Index own = array.indices().get(0);
            Set<Index> bound = boundIndices(array.body());
            for (Index at : indices) {
                if (at != own && at.extent() == own.extent() && !bound.contains(at)) {
                    Node copy = new Substitution(f, Map.of(own, at)).apply((Expr) entry.getKey());
                    if (copy != entry.getKey() && !arrayOfBody.containsKey(copy)) {
                        renamedBodies.putIfAbsent(copy, new Renamed(array, at));
                    }
                }
            }
        }
    }

    /** The indices that sums and comprehensions inside {@code body} bind. */
    static Set<Index> boundIndices(Node body) {
        Set<Index> bound = new HashSet<>();
        for (Node node : Graph.topologicalOrder(List.of(body))) {
            if (node instanceof Sum sum) {
                bound.add(sum.index());
            } else if (node instanceof Comprehension comprehension) {
                bound.addAll(comprehension.indices());
            }
        }
        return bound;
    }

    /** The node rebuilt from its rewritten operands. */
    private Node structurally(Node node) {
        if (node instanceof Element element) {
            return f.element((Tensor) get(element.array()), element.at());
        }
        if (node instanceof Unary unary) {
            return f.unary(unary.op(), (Expr) get(unary.operand()));
        }
        if (node instanceof Binary binary) {
            return f.binary(binary.op(), (Expr) get(binary.left()), (Expr) get(binary.right()));
        }
        if (node instanceof Conditional conditional) {
            return f.conditional((Condition) get(conditional.test()), (Expr) get(conditional.ifTrue()),
                    (Expr) get(conditional.ifFalse()));
        }
        if (node instanceof Sum sum) {
            return f.reduction(sum, (Expr) get(sum.start()), (Expr) get(sum.body()));
        }
        if (node instanceof Comparison comparison) {
            return f.compare(comparison.op(), (Expr) get(comparison.left()), (Expr) get(comparison.right()));
        }
        if (node instanceof Logical logical) {
            return f.logical(logical.op(), (Condition) get(logical.left()), (Condition) get(logical.right()));
        }
        if (node instanceof Not not) {
            return f.not((Condition) get(not.operand()));
        }
        return node;
    }

    private Node get(Node child) {
        Node rewritten = done.get(child);
        return rewritten != null ? rewritten : child;
    }
}
