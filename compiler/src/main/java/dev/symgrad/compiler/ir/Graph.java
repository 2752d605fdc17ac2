package dev.symgrad.compiler.ir;

import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collection;
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
        return topologicalOrder(roots, leaf, Integer.MAX_VALUE);
    }

    /** The first {@code limit + 1} nodes of the topological order at most: enough to know it is longer. */
    private static List<Node> topologicalOrder(Collection<? extends Node> roots, Predicate<Node> leaf, int limit) {
        // Arrays rather than deques of boxed positions, and each node's children fetched once (a Binary
        // makes a new list per call): a profile of W5's compile put this method at 28% of the time, most
        // of it in those allocations and in the visited set's growth.
        List<Node> order = new ArrayList<>();
        VisitedSet visited = new VisitedSet(64);
        Node[] nodes = new Node[64];
        List<?>[] childLists = new List<?>[64];
        int[] next = new int[64];
        for (Node root : roots) {
            if (!visited.add(root)) {
                continue;
            }
            int depth = 0;
            nodes[0] = root;
            childLists[0] = leaf.test(root) ? List.of() : root.children();
            next[0] = 0;
            while (depth >= 0) {
                List<?> children = childLists[depth];
                if (next[depth] < children.size()) {
                    Node child = (Node) children.get(next[depth]++);
                    if (visited.add(child)) {
                        depth++;
                        if (depth == nodes.length) {
                            nodes = Arrays.copyOf(nodes, 2 * depth);
                            childLists = Arrays.copyOf(childLists, 2 * depth);
                            next = Arrays.copyOf(next, 2 * depth);
                        }
                        nodes[depth] = child;
                        childLists[depth] = leaf.test(child) ? List.of() : child.children();
                        next[depth] = 0;
                    }
                } else {
                    order.add(nodes[depth]);
                    if (order.size() > limit) {
                        return order;
                    }
                    nodes[depth] = null;
                    childLists[depth] = null;
                    depth--;
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
        Map<Node, Integer> uses = new IdentityHashMap<>(order.size());
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

    /**
     * Whether more than {@code limit} distinct nodes are reachable from {@code roots}; stops counting
     * there, so a large loss's kernels are not each walked whole to learn they are over a limit.
     */
    public static boolean isLargerThan(Collection<? extends Node> roots, int limit) {
        return topologicalOrder(roots, node -> false, limit).size() > limit;
    }

    /** The number of distinct nodes reachable from {@code roots}. */
    public static int size(Collection<? extends Node> roots) {
        return topologicalOrder(roots).size();
    }
}
