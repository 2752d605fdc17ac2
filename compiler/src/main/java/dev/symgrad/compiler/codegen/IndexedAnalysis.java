package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexComparison;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each node of an indexed program depends on, for placing it in loops: its free indices, plus
 * {@link #EXAMPLE} if its value changes from one example to the next. The comprehensions the program
 * reads, in the order they are first needed.
 */
final class IndexedAnalysis {

    /** The example of a batch kernel, as an index: inputs depend on it, parameters do not. */
    static final Index EXAMPLE = new Index("example", 1, -1);

    private final Map<Node, Set<Index>> free = new IdentityHashMap<>();
    private final List<Comprehension> comprehensions = new ArrayList<>();

    IndexedAnalysis(Collection<? extends Node> roots) {
        for (Node node : Graph.topologicalOrder(roots)) {
            Set<Index> indices = new HashSet<>();
            if (node instanceof Variable variable && !variable.isParameter()
                    || node instanceof ArrayVariable array && !array.isParameter()) {
                indices.add(EXAMPLE);
            }
            if (node instanceof Element element) {
                addIndices(element.at(), indices);
            } else if (node instanceof IndexComparison comparison) {
                addIndices(List.of(comparison.left(), comparison.right()), indices);
            }
            for (Node child : node.children()) {
                indices.addAll(free.get(child));
            }
            if (node instanceof Sum sum) {
                indices.remove(sum.index());
            } else if (node instanceof Comprehension comprehension) {
                indices.removeAll(comprehension.indices());
                comprehensions.add(comprehension);
            }
            free.put(node, indices.isEmpty() ? Set.of() : indices);
        }
    }

    private static void addIndices(List<IndexTerm> terms, Set<Index> into) {
        for (IndexTerm term : terms) {
            if (term instanceof Index index) {
                into.add(index);
            }
        }
    }

    /** True if every index {@code node} depends on is in {@code bound}: it can be computed there. */
    boolean isWithin(Node node, Set<Index> bound) {
        return bound.containsAll(free.get(node));
    }

    /** True if {@code node}'s value depends on {@code index}. */
    boolean dependsOn(Node node, Index index) {
        return free.get(node).contains(index);
    }

    /** The comprehensions reachable from the roots, each once, inner ones first. */
    List<Comprehension> comprehensions() {
        return comprehensions;
    }
}
