package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;

import java.util.List;

/**
 * Everything the loop generator needs for a loss over arrays, differentiated and simplified: the
 * counterpart of {@link LossProgram} whose size does not grow with the arrays' extents.
 *
 * @param parameters         the declared parameters: a {@link Variable} (a scalar at its position of the
 *                           flat parameter array) or an {@link ArrayVariable} (row-major from its offset)
 * @param inputs             the declared inputs, likewise, in the example's (or the columns') layout
 * @param loss               the per-example loss
 * @param gradient           per declared parameter: its partial derivative (an {@link Expr}) or the array of
 *                           its partial derivatives (a {@link Comprehension})
 * @param printedLoss        the loss, printed
 * @param printedDerivatives per declared parameter, its derivative printed; for an array, with the
 *                           comprehension's indices standing for the position
 * @param derivativeIndices  per declared parameter, the names of those indices (empty for a scalar)
 * @param squaredNorm        one example's {@code Σ_p g_p²}, derived from the gradient's structure without
 *                           forming it ({@code dev.symgrad.compiler.diff.GhostNorms}), for fused clipping
 */
public record IndexedLossProgram(
        List<Node> parameters,
        List<Node> inputs,
        Expr loss,
        List<Node> gradient,
        String printedLoss,
        List<String> printedDerivatives,
        List<List<String>> derivativeIndices,
        Expr squaredNorm) {

    public IndexedLossProgram {
        parameters = List.copyOf(parameters);
        inputs = List.copyOf(inputs);
        gradient = List.copyOf(gradient);
        printedDerivatives = List.copyOf(printedDerivatives);
        derivativeIndices = List.copyOf(derivativeIndices);
        if (gradient.size() != parameters.size() || printedDerivatives.size() != parameters.size()) {
            throw new IllegalArgumentException("one gradient block per declared parameter expected");
        }
        for (int p = 0; p < parameters.size(); p++) {
            boolean array = parameters.get(p) instanceof ArrayVariable;
            if (array != gradient.get(p) instanceof Comprehension) {
                throw new IllegalArgumentException("parameter " + p + ": an array's gradient is a comprehension, a"
                        + " scalar's an expression");
            }
        }
    }

    /** The number of scalar parameters: the length of the flat parameter array. */
    public int parameterCount() {
        return flatSize(parameters);
    }

    /** The number of scalar inputs: the number of columns of a batch. */
    public int inputCount() {
        return flatSize(inputs);
    }

    /** The position of declared parameter {@code p}'s first element in the flat parameter array. */
    public int offsetOf(int p) {
        Node parameter = parameters.get(p);
        return parameter instanceof ArrayVariable array ? array.offset() : ((Variable) parameter).index();
    }

    private static int flatSize(List<Node> declared) {
        int size = 0;
        for (Node node : declared) {
            size += node instanceof ArrayVariable array ? array.size() : 1;
        }
        return size;
    }

    /** Declared name of a scalar or array. */
    public static String nameOf(Node declared) {
        return declared instanceof ArrayVariable array ? array.name() : ((Variable) declared).name();
    }

    /** The shape of a declared scalar (empty) or array. */
    public static List<Integer> shapeOf(Node declared) {
        return declared instanceof ArrayVariable array ? array.shape() : List.of();
    }
}
