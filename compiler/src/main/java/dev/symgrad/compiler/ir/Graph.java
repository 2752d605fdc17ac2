package dev.symgrad.compiler.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.function.Predicate;

/**
 * Whole-DAG traversals. All of them use an explicit stack, never recursion, because a legitimate
 * loss can be thousands of nodes deep (a long sum is a left-leaning chain).
 */
public final class Graph {

    private Graph() {
    }

    /** Every node reachable from {@code roots}, each once, children before parents. */
    public static List<Node> topologicalOrder(Collection<? extends Node> roots) {
        return topologicalOrder(roots, node -> false);
    }

    /**
     * Like {@link #topologicalOrder(Collection)}, but the children of nodes for which {@code leaf} holds
     * are not visited (the node itself is), e.g. to see a batch-level expression without its summands.
     */
    public static List<Node> topologicalOrder(Collection<? extends Node> roots, Predicate<Node> leaf) {
        List<Node> order = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> nextChild = new ArrayDeque<>();
        for (Node root : roots) {
            if (!visited.add(root)) {
                continue;
            }
            stack.push(root);
            nextChild.push(0);
            while (!stack.isEmpty()) {
                Node top = stack.peek();
                int index = nextChild.pop();
                List<Node> children = leaf.test(top) ? List.of() : top.children();
                if (index < children.size()) {
                    nextChild.push(index + 1);
                    Node child = children.get(index);
                    if (visited.add(child)) {
                        stack.push(child);
                        nextChild.push(0);
                    }
                } else {
                    stack.pop();
                    order.add(top);
                }
            }
        }
        return order;
    }

    /** How many times each node is an operand within the DAG of {@code roots} (roots count one extra use each). */
    public static Map<Node, Integer> useCounts(Collection<? extends Node> roots) {
        return useCounts(topologicalOrder(roots), roots);
    }

    /** {@link #useCounts(Collection)} given the topological order of {@code roots}, computed once by the caller. */
    public static Map<Node, Integer> useCounts(List<Node> order, Collection<? extends Node> roots) {
        Map<Node, Integer> uses = new IdentityHashMap<>();
        for (Node node : order) {
            for (Node child : node.children()) {
                uses.merge(child, 1, Integer::sum);
            }
        }
        for (Node root : roots) {
            uses.merge(root, 1, Integer::sum);
        }
        return uses;
    }

    /**
     * The nodes of the DAG whose value can differ between examples: inputs and everything computed from
     * them, except through a batch sum (a sum is the same for every example).
     */
    public static Set<Node> inputDependent(Collection<? extends Node> roots) {
        Set<Node> dependent = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : topologicalOrder(roots)) {
            if (node instanceof Variable v && !v.isParameter()) {
                dependent.add(node);
            } else if (!(node instanceof BatchSum)) {
                for (Node child : node.children()) {
                    if (dependent.contains(child)) {
                        dependent.add(node);
                        break;
                    }
                }
            }
        }
        return dependent;
    }

    /** The number of distinct nodes reachable from {@code roots}. */
    public static int size(Collection<? extends Node> roots) {
        return topologicalOrder(roots).size();
    }
}
