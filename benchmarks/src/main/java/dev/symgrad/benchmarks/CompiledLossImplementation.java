package dev.symgrad.benchmarks;

import dev.symgrad.runtime.CompiledLoss;

/** symgrad's generated code (run-time or build-time), reached through the public {@link CompiledLoss} interface. */
public final class CompiledLossImplementation implements ClippedGradientImplementation {

    private final CompiledLoss loss;

    public CompiledLossImplementation(CompiledLoss loss) {
        this.loss = loss;
    }

    @Override
    public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        loss.perExampleGradientsInto(params, columns, out);
    }

    @Override
    public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
        loss.sumOfPerExampleGradientsInto(params, columns, out);
    }

    @Override
    public void gradientOfSum(double[] params, double[][] columns, double[] out) {
        loss.gradientOfSumInto(params, columns, out);
    }

    @Override
    public void clippedGradientSum(double[] params, double[][] columns, double clipNorm, double[] out) {
        loss.clippedGradientSumInto(params, columns, clipNorm, out);
    }

    @Override
    public void perExampleGradientNorms(double[] params, double[][] columns, double[] out) {
        loss.perExampleGradientNormsInto(params, columns, out);
    }
}
