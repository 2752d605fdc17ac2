package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loss read from a static Java method.
 *
 * <p>Its values are laid out flat, the differentiated parameters in one array and the inputs of an
 * example in another, each in declaration order: a {@code double} takes one slot, a {@code double[]} or
 * {@code double[][]} its elements row-major ({@code V[m][j]} at {@code offset(V) + m * 64 + j} for a
 * 32x64 {@code V}).
 *
 * @param packageName      the package of the source file, empty for the default package
 * @param className        the simple name of the class declaring the method
 * @param methodName       the method's name
 * @param declarationOrder all method parameter names in declaration order
 * @param parameterNodes   the differentiated method parameters in declaration order, each as its IR
 *                         node: a {@link Variable} for a {@code double}, an {@link ArrayVariable} (with its
 *                         offset in the flat layout) for an array
 * @param inputNodes       the other method parameters, likewise, in the inputs' flat layout
 * @param loss             the method body lowered to a per-example expression: in the indexed form, arrays
 *                         are read as elements of their {@code ArrayVariable}s; in the unrolled form (and for
 *                         methods without array parameters) every element is a scalar {@code Variable} named
 *                         as in {@link #parameters()} and {@link #inputs()}
 */
public record SourceLoss(String packageName, String className, String methodName, List<String> declarationOrder,
                         List<Node> parameterNodes, List<Node> inputNodes, Expr loss) {

    public SourceLoss {
        declarationOrder = List.copyOf(declarationOrder);
        parameterNodes = List.copyOf(parameterNodes);
        inputNodes = List.copyOf(inputNodes);
    }

    /**
     * The names of the parameters' flat slots: a {@code double[]} parameter {@code w} as its elements
     * {@code w[0]}, {@code w[1]} ..., a {@code double[][]} {@code V} as {@code V[0][0]}, {@code V[0][1]} ....
     */
    public List<String> parameters() {
        return new ElementNames(parameterNodes);
    }

    /** The names of the inputs' flat slots, as {@link #parameters()}. */
    public List<String> inputs() {
        return new ElementNames(inputNodes);
    }

    /** The shape of each array parameter, by name, in declaration order; a {@code double} has none. */
    public Map<String, List<Integer>> shapes() {
        Map<String, ArrayVariable> arrays = new LinkedHashMap<>();
        for (List<Node> nodes : List.of(parameterNodes, inputNodes)) {
            for (Node node : nodes) {
                if (node instanceof ArrayVariable array) {
                    arrays.put(array.name(), array);
                }
            }
        }
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        for (String name : declarationOrder) {
            if (arrays.containsKey(name)) {
                shapes.put(name, arrays.get(name).shape());
            }
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** The length of each {@code double[]} parameter, by name, in declaration order ({@code double[][]}s are in {@link #shapes()}). */
    public Map<String, Integer> lengths() {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        shapes().forEach((name, shape) -> {
            if (shape.size() == 1) {
                lengths.put(name, shape.get(0));
            }
        });
        return Collections.unmodifiableMap(lengths);
    }
}
