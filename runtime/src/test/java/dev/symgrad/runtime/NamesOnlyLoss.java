package dev.symgrad.runtime;

/**
 * A {@link GeneratedLoss} for testing what it does with names: both constructors are open, and every
 * kernel throws, so a test that reaches one has passed the argument checks.
 */
final class NamesOnlyLoss extends GeneratedLoss {

    /** The element constructor, with {@code d(name)} as each derivative. */
    NamesOnlyLoss(String[] parameters, String[] inputs) {
        super(parameters, inputs, "loss", derivatives(parameters));
    }

    /** The shaped constructor. */
    NamesOnlyLoss(String[] parameterNames, int[][] parameterShapes, String[] inputNames, int[][] inputShapes,
                  String[] derivativeTemplates, String[][] templateIndices) {
        super(parameterNames, parameterShapes, inputNames, inputShapes, "loss", derivativeTemplates, templateIndices);
    }

    /** A shaped loss of the given parameters, without inputs, whose templates are {@code d(name)[index names]}. */
    static NamesOnlyLoss shaped(String[] parameterNames, int[][] parameterShapes) {
        String[] templates = new String[parameterNames.length];
        String[][] indices = new String[parameterNames.length][];
        for (int d = 0; d < parameterNames.length; d++) {
            indices[d] = new String[parameterShapes[d].length];
            StringBuilder template = new StringBuilder("d(" + parameterNames[d] + ")");
            for (int r = 0; r < indices[d].length; r++) {
                indices[d][r] = "k" + r;
                template.append("[k").append(r).append(']');
            }
            templates[d] = template.toString();
        }
        return new NamesOnlyLoss(parameterNames, parameterShapes, new String[0], new int[0][], templates, indices);
    }

    static String[] derivatives(String[] parameters) {
        String[] derivatives = new String[parameters.length];
        for (int p = 0; p < parameters.length; p++) {
            derivatives[p] = "d(" + parameters[p] + ")";
        }
        return derivatives;
    }

    @Override
    protected double lossKernel(double[] params, double[] example) {
        throw new UnsupportedOperationException("lossKernel");
    }

    @Override
    protected void gradientKernel(double[] params, double[] example, double[] out) {
        throw new UnsupportedOperationException("gradientKernel");
    }

    @Override
    protected void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw new UnsupportedOperationException("perExampleLossesKernel");
    }

    @Override
    protected double totalLossKernel(double[] params, double[][] columns, int from, int to) {
        throw new UnsupportedOperationException("totalLossKernel");
    }

    @Override
    protected void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to, double[][] out) {
        throw new UnsupportedOperationException("perExampleGradientsKernel");
    }

    @Override
    protected void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                  double[] out) {
        throw new UnsupportedOperationException("sumOfPerExampleGradientsKernel");
    }

    @Override
    protected void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
        throw new UnsupportedOperationException("gradientOfSumKernel");
    }

    @Override
    protected void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                            double[] out) {
        throw new UnsupportedOperationException("clippedGradientSumKernel");
    }

    @Override
    protected void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to,
                                                 double[] out) {
        throw new UnsupportedOperationException("perExampleGradientNormsKernel");
    }
}
