package dev.symgrad.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The superclass of every class symgrad generates: it holds the names and printed derivatives, checks
 * arguments once per call, and leaves the arithmetic to the generated kernels.
 *
 * <p>Not meant to be extended by hand. The kernels receive arguments that have already been checked,
 * so the generated loops contain no checks beyond the JVM's own array bounds checks, which C2 removes.
 *
 * <p>A class passes its names in one of two ways. The element constructor takes every element's name
 * and printed derivative, so its constant pool grows with the width; the shaped constructor takes the
 * declarations, their shapes and one derivative template per declared parameter, so a loss with
 * {@code w[100000]} is as small as one with {@code w[3]}. Either way {@link #parameters()} lists the
 * elements, and names are looked up by parsing them, never by scanning.
 */
public abstract class GeneratedLoss implements CompiledLoss {

    private final ElementNames parameters;
    private final ElementNames inputs;
    private final Supplier<String> expression;
    /** The printed derivative with respect to each parameter element, by its index. */
    private final IntFunction<String> derivatives;

    /**
     * The element constructor: the shapes are inferred from the names ({@link CompiledLoss#parameterShapes()}).
     *
     * @param parameters  parameter names in order
     * @param inputs      input names in order
     * @param expression  the simplified loss, printed
     * @param derivatives the simplified partial derivatives, printed, one per parameter
     * @throws IllegalArgumentException if the counts disagree or a name repeats
     */
    protected GeneratedLoss(String[] parameters, String[] inputs, String expression, String[] derivatives) {
        if (derivatives.length != parameters.length) {
            throw new IllegalArgumentException("one derivative per parameter expected");
        }
        this.parameters = ElementNames.inferredFrom(List.of(parameters), "parameter");
        this.inputs = ElementNames.inferredFrom(List.of(inputs), "input");
        this.expression = () -> expression;
        this.derivatives = List.of(derivatives)::get;
    }

    /**
     * The element constructor with the printed forms made on demand: a class compiled at run time prints its
     * loss and derivatives only if they are asked for ({@link #expression()}, {@link #derivative}), which
     * is most of the cost of compiling a small loss. Both functions must be thread-safe and return the same
     * text on every call.
     *
     * @param expression  the simplified loss, printed
     * @param derivatives the simplified partial derivative with respect to the parameter of each index
     * @throws IllegalArgumentException if a name repeats
     */
    protected GeneratedLoss(String[] parameters, String[] inputs, Supplier<String> expression,
                            IntFunction<String> derivatives) {
        this.parameters = ElementNames.inferredFrom(List.of(parameters), "parameter");
        this.inputs = ElementNames.inferredFrom(List.of(inputs), "input");
        this.expression = expression;
        this.derivatives = derivatives;
    }

    /**
     * The shaped constructor, whose arguments do not grow with the width. A declaration's shape lists its
     * dimensions: {@code new int[0]} for a scalar, {@code {100000}} for {@code w}, {@code {32, 64}} for a
     * matrix {@code V} whose elements {@code V[m][j]} lie row-major. Per declared parameter, the template
     * is the printed derivative with respect to any one of its elements, written with that parameter's
     * index names (one Java identifier per dimension) standing for the element's position: with
     * {@code {"k0"}}, {@code w}'s template {@code x[k0] * t} gives {@code x[5] * t} for {@code w[5]}.
     *
     * @param parameterNames      declared parameter names in order, without brackets
     * @param parameterShapes     the dimensions of each declared parameter
     * @param inputNames          declared input names in order, without brackets
     * @param inputShapes         the dimensions of each declared input
     * @param expression          the simplified loss, printed
     * @param derivativeTemplates the simplified partial derivative of each declared parameter, printed
     * @param templateIndices     the index names of each template, one per dimension of its parameter
     * @throws IllegalArgumentException if the counts disagree, a name is empty, repeated or holds a
     *                                  bracket, a dimension is below 1, an index name is not an identifier,
     *                                  or the elements do not fit a {@code double[]}
     */
    protected GeneratedLoss(String[] parameterNames, int[][] parameterShapes, String[] inputNames, int[][] inputShapes,
                            String expression, String[] derivativeTemplates, String[][] templateIndices) {
        this.parameters = ElementNames.declared(parameterNames, parameterShapes, "parameter");
        this.inputs = ElementNames.declared(inputNames, inputShapes, "input");
        this.expression = () -> expression;
        this.derivatives = new DerivativeTemplates(this.parameters, derivativeTemplates, templateIndices)::derivative;
    }

    /** Loss of one example; arguments are checked. */
    protected abstract double lossKernel(double[] params, double[] example);

    /** Gradient of one example into {@code out}; arguments are checked. */
    protected abstract void gradientKernel(double[] params, double[] example, double[] out);

    // Batch kernels work on examples from (inclusive) to (exclusive), so a batch can be split.

    /** Per-example losses of examples {@code from..to-1} into the same positions of {@code out}. */
    protected abstract void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out);

    /** Sum of the losses of examples {@code from..to-1}. */
    protected abstract double totalLossKernel(double[] params, double[][] columns, int from, int to);

    /** Route (a) materialized for examples {@code from..to-1} into {@code out[p][from..to-1]}. */
    protected abstract void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                      double[][] out);

    /** Route (a) summed over examples {@code from..to-1} into {@code out[P]}. */
    protected abstract void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                           double[] out);

    /** Route (b) over examples {@code from..to-1} into {@code out[P]}. */
    protected abstract void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out);

    /**
     * Σ g_i·min(1, C/‖g_i‖₂) over examples from..to-1 into {@code out[0..P-1]}, where an example whose
     * gradient has a NaN or infinite component adds zero; {@code out[P]} is the number of such examples, as a
     * double. {@code out} has length P + 1 and holds zeros; {@code paramsAndClipNorm} is the parameters, then C.
     */
    protected abstract void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                                     double[] out);

    /** ‖g_i‖₂ of examples from..to-1 into {@code out[from..to-1]}. */
    protected abstract void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to,
                                                          double[] out);

    @Override
    public final List<String> parameters() {
        return parameters;
    }

    @Override
    public final List<String> inputs() {
        return inputs;
    }

    @Override
    public final Map<String, List<Integer>> parameterShapes() {
        return parameters.shapes();
    }

    @Override
    public final Map<String, List<Integer>> inputShapes() {
        return inputs.shapes();
    }

    @Override
    public final String expression() {
        return expression.get();
    }

    @Override
    public final String derivative(String parameter) {
        if (parameter == null) {
            throw new IllegalArgumentException("parameter is null; parameters are " + parameters.summary());
        }
        int index = parameters.indexOf(parameter);
        if (index < 0) {
            throw new IllegalArgumentException("unknown parameter '" + parameter + "'; parameters are " + parameters.summary());
        }
        return derivatives.apply(index);
    }

    @Override
    public final double loss(double[] params, double[] example) {
        checkParams(params);
        checkExample(example);
        return lossKernel(params, example);
    }

    @Override
    public final double[] gradient(double[] params, double[] example) {
        double[] out = new double[parameters.size()];
        gradientInto(params, example, out);
        return out;
    }

    @Override
    public final void gradientInto(double[] params, double[] example, double[] out) {
        checkParams(params);
        checkExample(example);
        checkLength("out", out, parameters.size(), "the number of parameters");
        gradientKernel(params, example, out);
    }

    @Override
    public final double[] perExampleLosses(double[] params, double[][] columns) {
        double[] out = new double[batchSize(columns)];
        perExampleLossesInto(params, columns, out);
        return out;
    }

    @Override
    public final void perExampleLossesInto(double[] params, double[][] columns, double[] out) {
        checkParams(params);
        int n = batchSize(columns);
        checkLength("out", out, n, "the batch size");
        perExampleLossesKernel(params, columns, 0, n, out);
    }

    @Override
    public final double totalLoss(double[] params, double[][] columns) {
        checkParams(params);
        return totalLossKernel(params, columns, 0, batchSize(columns));
    }

    @Override
    public final double[][] perExampleGradients(double[] params, double[][] columns) {
        double[][] out = new double[parameters.size()][batchSize(columns)];
        perExampleGradientsInto(params, columns, out);
        return out;
    }

    @Override
    public final void perExampleGradientsInto(double[] params, double[][] columns, double[][] out) {
        checkParams(params);
        int n = batchSize(columns);
        if (out == null) {
            throw new IllegalArgumentException("out is null");
        }
        if (out.length != parameters.size()) {
            throw new IllegalArgumentException("out has " + out.length + " rows but the loss has "
                    + parameters.size() + " parameters " + parameters.summary());
        }
        for (int p = 0; p < out.length; p++) {
            checkLength("out[" + p + "] (parameter '" + parameters.get(p) + "')", out[p], n, "the batch size");
        }
        perExampleGradientsKernel(params, columns, 0, n, out);
    }

    @Override
    public final double[] sumOfPerExampleGradients(double[] params, double[][] columns) {
        double[] out = new double[parameters.size()];
        sumOfPerExampleGradientsInto(params, columns, out);
        return out;
    }

    @Override
    public final void sumOfPerExampleGradientsInto(double[] params, double[][] columns, double[] out) {
        checkParams(params);
        int n = batchSize(columns);
        checkLength("out", out, parameters.size(), "the number of parameters");
        sumOfPerExampleGradientsKernel(params, columns, 0, n, out);
    }

    @Override
    public final double[] gradientOfSum(double[] params, double[][] columns) {
        double[] out = new double[parameters.size()];
        gradientOfSumInto(params, columns, out);
        return out;
    }

    @Override
    public final void gradientOfSumInto(double[] params, double[][] columns, double[] out) {
        checkParams(params);
        int n = batchSize(columns);
        checkLength("out", out, parameters.size(), "the number of parameters");
        gradientOfSumKernel(params, columns, 0, n, out);
    }

    @Override
    public final double[] sumOfPerExampleGradients(double[] params, double[][] columns, int parallelism) {
        checkParams(params);
        return ParallelSplit.sum(batchSize(columns), parallelism, parameters.size(),
                (from, to, out) -> sumOfPerExampleGradientsKernel(params, columns, from, to, out));
    }

    @Override
    public final double[] gradientOfSum(double[] params, double[][] columns, int parallelism) {
        checkParams(params);
        return ParallelSplit.sum(batchSize(columns), parallelism, parameters.size(),
                (from, to, out) -> gradientOfSumKernel(params, columns, from, to, out));
    }

    @Override
    public final double[][] perExampleGradients(double[] params, double[][] columns, int parallelism) {
        checkParams(params);
        int n = batchSize(columns);
        double[][] out = new double[parameters.size()][n];
        ParallelSplit.run(n, parallelism, (from, to) -> perExampleGradientsKernel(params, columns, from, to, out));
        return out;
    }

    @Override
    public final double[] clippedGradientSum(double[] params, double[][] columns, double clipNorm) {
        double[] out = new double[parameters.size()];
        clippedGradientSumInto(params, columns, clipNorm, out);
        return out;
    }

    @Override
    public final int clippedGradientSumInto(double[] params, double[][] columns, double clipNorm, double[] out) {
        double[] paramsAndClipNorm = withClipNorm(params, clipNorm);
        int n = batchSize(columns);
        int parameterCount = parameters.size();
        checkLength("out", out, parameterCount, "the number of parameters");
        double[] sumAndSkipped = new double[parameterCount + 1];
        clippedSlice(paramsAndClipNorm, columns, 0, n, sumAndSkipped);
        System.arraycopy(sumAndSkipped, 0, out, 0, parameterCount);
        return (int) sumAndSkipped[parameterCount];
    }

    /**
     * The clipped sum of examples {@code from..to-1} and its count of skipped examples into the P + 1
     * entries of {@code sumAndSkipped}. The generated kernel forms each norm as {@code sqrt(Σ g²)}, the
     * fast way, and counts the examples where that cannot be trusted: the sum of squares overflowed, is
     * NaN, or underflowed while C is tiny. Only if there are any (huge or non-finite gradients are rare)
     * are the slice's per-example gradients materialized and clipped by the reference arithmetic of
     * {@link Clipping}, which rescales those norms and skips non-finite gradients.
     */
    private void clippedSlice(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                              double[] sumAndSkipped) {
        clippedGradientSumKernel(paramsAndClipNorm, columns, from, to, sumAndSkipped);
        int parameterCount = parameters.size();
        if (sumAndSkipped[parameterCount] == 0) {
            return;
        }
        double[][] gradients = new double[parameterCount][to];
        perExampleGradientsKernel(paramsAndClipNorm, columns, from, to, gradients);
        sumAndSkipped[parameterCount] = Clipping.sumClippedInto(gradients, from, to, paramsAndClipNorm[parameterCount],
                sumAndSkipped);
    }

    @Override
    public final double[] clippedGradientSum(double[] params, double[][] columns, double clipNorm, int parallelism) {
        double[] paramsAndClipNorm = withClipNorm(params, clipNorm);
        // Each slice writes its sum and its skipped count; the counts add up like the sums.
        double[] sumAndSkipped = ParallelSplit.sum(batchSize(columns), parallelism, parameters.size() + 1,
                (from, to, out) -> clippedSlice(paramsAndClipNorm, columns, from, to, out));
        return Arrays.copyOf(sumAndSkipped, parameters.size());
    }

    @Override
    public final double[] perExampleGradientNorms(double[] params, double[][] columns) {
        double[] out = new double[batchSize(columns)];
        perExampleGradientNormsInto(params, columns, out);
        return out;
    }

    @Override
    public final void perExampleGradientNormsInto(double[] params, double[][] columns, double[] out) {
        checkParams(params);
        int n = batchSize(columns);
        checkLength("out", out, n, "the batch size");
        perExampleGradientNormsKernel(params, columns, 0, n, out);
    }

    /** The kernel finds C after the parameters, where it is one more loop-invariant value. */
    private double[] withClipNorm(double[] params, double clipNorm) {
        checkParams(params);
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be positive, got " + clipNorm);
        }
        double[] paramsAndClipNorm = Arrays.copyOf(params, params.length + 1);
        paramsAndClipNorm[params.length] = clipNorm;
        return paramsAndClipNorm;
    }

    @Override
    public String toString() {
        return "CompiledLoss[" + expression + "; parameters " + parameters.summary() + "; inputs " + inputs.summary() + "]";
    }

    private void checkParams(double[] params) {
        if (params == null) {
            throw new IllegalArgumentException("params is null; expected " + parameters.size() + " values for " + parameters.summary());
        }
        if (params.length != parameters.size()) {
            throw new IllegalArgumentException("params has " + params.length + " values but the loss has "
                    + parameters.size() + " parameters " + parameters.summary());
        }
    }

    private void checkExample(double[] example) {
        if (example == null) {
            throw new IllegalArgumentException("example is null; expected " + inputs.size() + " values for " + inputs.summary());
        }
        if (example.length != inputs.size()) {
            throw new IllegalArgumentException("example has " + example.length + " values but the loss has "
                    + inputs.size() + " inputs " + inputs.summary());
        }
    }

    /** Checks the columns and returns the common length N. */
    private int batchSize(double[][] columns) {
        if (columns == null) {
            throw new IllegalArgumentException("columns is null; expected one column per input " + inputs.summary());
        }
        if (columns.length != inputs.size()) {
            throw new IllegalArgumentException("columns has " + columns.length + " columns but the loss has "
                    + inputs.size() + " inputs " + inputs.summary());
        }
        if (columns.length == 0) {
            throw new IllegalArgumentException("the loss has no inputs, so a batch has no size; call loss() instead");
        }
        for (int c = 0; c < columns.length; c++) {
            if (columns[c] == null) {
                throw new IllegalArgumentException("column " + c + " (input '" + inputs.get(c) + "') is null");
            }
        }
        int n = columns[0].length;
        for (int c = 1; c < columns.length; c++) {
            if (columns[c].length != n) {
                throw new IllegalArgumentException("ragged batch: column " + c + " (input '" + inputs.get(c) + "') has "
                        + columns[c].length + " rows but column 0 (input '" + inputs.get(0) + "') has " + n);
            }
        }
        return n;
    }

    private static void checkLength(String what, double[] array, int expected, String meaning) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " has length " + array.length + " but " + meaning + " is " + expected);
        }
    }
}
