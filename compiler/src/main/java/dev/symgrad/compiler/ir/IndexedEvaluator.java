package dev.symgrad.compiler.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The interpreter of indexed expressions ({@link Element}, {@link Sum}, {@link Comprehension}) for one
 * example: the reference the loop kernels are tested against. It follows the definitions literally: a
 * sum adds its body left to right onto its start, a comprehension is evaluated element by element (once,
 * then remembered), an element of an array variable is read at {@code offset + row-major position}.
 * Values of nodes with no free index are remembered; the others are recomputed for each binding.
 *
 * <p>It recurses along the expression, so it is for tests and tools, on losses of moderate depth.
 */
public final class IndexedEvaluator {

    private final double[] params;
    private final double[] inputs;
    private final Map<Node, Double> closedValues = new IdentityHashMap<>();
    private final Map<Comprehension, double[]> arrays = new IdentityHashMap<>();
    private final Map<Index, Integer> binding = new HashMap<>();

    /**
     * @param params the flat parameters (scalars and arrays at their offsets)
     * @param inputs one example's flat inputs
     */
    public IndexedEvaluator(double[] params, double[] inputs) {
        this.params = params;
        this.inputs = inputs;
    }

    /** The value of a closed expression (no free index). */
    public double value(Expr root) {
        return eval(root);
    }

    /** All elements of an array, row-major. */
    public double[] elements(Tensor tensor) {
        if (tensor instanceof ArrayVariable variable) {
            double[] source = variable.isParameter() ? params : inputs;
            double[] out = new double[variable.size()];
            System.arraycopy(source, variable.offset(), out, 0, out.length);
            return out;
        }
        return materialize((Comprehension) tensor).clone();
    }

    private double eval(Expr node) {
        Double known = closedValues.get(node);
        if (known != null) {
            return known;
        }
        double value = compute(node);
        if (isClosed(node)) {
            closedValues.put(node, value);
        }
        return value;
    }

    private final Map<Node, Boolean> closedness = new IdentityHashMap<>();

    /** True if the node depends on no index that is free in it (computed structurally, without a factory). */
    private boolean isClosed(Node node) {
        Boolean known = closedness.get(node);
        if (known != null) {
            return known;
        }
        boolean closed = freeIn(node).isEmpty();
        closedness.put(node, closed);
        return closed;
    }

    private final Map<Node, Set<Index>> freeIndices = new IdentityHashMap<>();

    private Set<Index> freeIn(Node node) {
        Set<Index> known = freeIndices.get(node);
        if (known != null) {
            return known;
        }
        Set<Index> free = new HashSet<>();
        if (node instanceof Element element) {
            for (IndexTerm term : element.at()) {
                if (term instanceof Index index) {
                    free.add(index);
                }
            }
        } else if (node instanceof IndexComparison comparison) {
            for (IndexTerm term : List.of(comparison.left(), comparison.right())) {
                if (term instanceof Index index) {
                    free.add(index);
                }
            }
        }
        if (!(node instanceof Comprehension)) {
            for (Node child : node.children()) {
                free.addAll(freeIn(child));
            }
        }
        if (node instanceof Sum sum) {
            free.remove(sum.index());
        }
        freeIndices.put(node, free);
        return free;
    }

    private double compute(Expr node) {
        if (node instanceof Constant c) {
            return c.value();
        }
        if (node instanceof Variable v) {
            return v.isParameter() ? params[v.index()] : inputs[v.index()];
        }
        if (node instanceof Unary u) {
            return u.op().apply(eval(u.operand()));
        }
        if (node instanceof Binary b) {
            return b.op().apply(eval(b.left()), eval(b.right()));
        }
        if (node instanceof Conditional c) {
            return test(c.test()) ? eval(c.ifTrue()) : eval(c.ifFalse());
        }
        if (node instanceof Element e) {
            return element(e);
        }
        if (node instanceof Sum s) {
            double total = eval(s.start());
            Integer outer = binding.get(s.index());
            for (int j = 0; j < s.index().extent(); j++) {
                binding.put(s.index(), j);
                total = s.isMaximum() ? Math.max(total, eval(s.body())) : total + eval(s.body());
            }
            restore(s.index(), outer);
            return total;
        }
        throw new IllegalArgumentException("not a per-example expression: " + node.getClass().getSimpleName());
    }

    private double element(Element element) {
        Tensor array = element.array();
        int flat = 0;
        for (int d = 0; d < element.at().size(); d++) {
            flat += position(element.at().get(d)) * array.stride(d);
        }
        if (array instanceof ArrayVariable variable) {
            return (variable.isParameter() ? params : inputs)[variable.offset() + flat];
        }
        return materialize((Comprehension) array)[flat];
    }

    private double[] materialize(Comprehension comprehension) {
        double[] values = arrays.get(comprehension);
        if (values != null) {
            return values;
        }
        values = new double[comprehension.size()];
        List<Index> indices = comprehension.indices();
        Map<Index, Integer> saved = new HashMap<>();
        for (Index index : indices) {
            saved.put(index, binding.get(index));
        }
        int[] position = new int[indices.size()];
        for (int flat = 0; flat < values.length; flat++) {
            for (int d = 0; d < indices.size(); d++) {
                binding.put(indices.get(d), position[d]);
            }
            values[flat] = eval(comprehension.body());
            for (int d = indices.size() - 1; d >= 0; d--) {
                if (++position[d] < indices.get(d).extent()) {
                    break;
                }
                position[d] = 0;
            }
        }
        saved.forEach(this::restore);
        arrays.put(comprehension, values);
        return values;
    }

    private int position(IndexTerm term) {
        if (term instanceof FixedIndex fixed) {
            return fixed.value();
        }
        Integer value = binding.get((Index) term);
        if (value == null) {
            throw new IllegalStateException("index " + term + " is not bound here");
        }
        return value;
    }

    private void restore(Index index, Integer value) {
        if (value == null) {
            binding.remove(index);
        } else {
            binding.put(index, value);
        }
    }

    private boolean test(Condition condition) {
        if (condition instanceof BooleanConstant b) {
            return b.value();
        }
        if (condition instanceof Comparison c) {
            return c.op().test(eval(c.left()), eval(c.right()));
        }
        if (condition instanceof Logical l) {
            boolean left = test(l.left());
            boolean right = test(l.right());
            return l.op() == Logical.Operator.AND ? left && right : left || right;
        }
        if (condition instanceof Not n) {
            return !test(n.operand());
        }
        IndexComparison c = (IndexComparison) condition;
        int left = position(c.left());
        int right = position(c.right());
        return c.lessThan() ? left < right : left == right;
    }
}
