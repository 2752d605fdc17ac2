package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.ClippedGradientImplementation;
import dev.symgrad.benchmarks.Digits;
import dev.symgrad.benchmarks.DigitsModel;

import java.util.Arrays;

/**
 * W6-W8 as fast as we could write them in plain Java: the examples go in blocks, and within a block every layer
 * is a blocked matrix product of loops that C2 vectorizes ({@link DigitsBlocks}). Each model is one or two dense
 * layers; after the forward pass and backprop of a block, layer l holds its input {@code a} ({@code x} or
 * {@code h}) and its error {@code e} ({@code ε} for the hidden layer, {@code δ = softmax(z) - y} for the output),
 * and every operation is written over the layers:
 *
 * <ul>
 *   <li>route (b) and route (a) summed, the same computation: {@code ∂/∂W_l += Σ_t e_t a_tᵀ}, {@code ∂/∂b_l += Σ_t e_t};
 *   <li>route (a) materialized: {@code out[W_l[u][f]][t] = e_t[u]·a_t[f]}, a block-long run of each row;
 *   <li>norms from the outer-product structure ("ghost norms"), never from the P entries:
 *       {@code ‖g_t‖² = Σ_l ‖e_t‖²·(1 + ‖a_t‖²)};
 *   <li>the clipped sum: every example's errors scaled by {@code min(1, C/‖g_t‖)} (zero where the norm is not
 *       finite), then route (b).
 * </ul>
 *
 * {@code Math.tanh} and {@code Math.exp} are called per value, as in the generated code (neither is vectorized
 * by C2). Scratch is allocated per call (under 1 MB for W8, 7.5 MB for its route (a) materialized), so instances
 * are stateless.
 */
public final class BestDigitsLoops implements ClippedGradientImplementation {

    /**
     * Examples per block: for W8's route (b) on JDK 17, blocks of 32, 64 and 128 took 13.5, 11.1 and 11.4 µs per
     * example (one run each, on a busy machine).
     */
    static final int BLOCK = 64;

    private final int hidden;
    private final int block;
    private final Layer[] layers;

    /** A dense layer's weights {@code [units][fanIn]} and biases in the parameter vector. */
    private record Layer(int weights, int biases, int units, int fanIn) {
    }

    BestDigitsLoops(int hidden, int block) {
        this.hidden = hidden;
        this.block = block;
        Layer output = hidden == 0
                ? new Layer(0, Digits.CLASSES * Digits.PIXELS, Digits.CLASSES, Digits.PIXELS)
                : new Layer(hidden * (Digits.PIXELS + 1), hidden * (Digits.PIXELS + 1) + Digits.CLASSES * hidden,
                        Digits.CLASSES, hidden);
        layers = hidden == 0 ? new Layer[] {output}
                : new Layer[] {new Layer(0, hidden * Digits.PIXELS, hidden, Digits.PIXELS), output};
    }

    public static ClippedGradientImplementation forModel(DigitsModel model) {
        return new BestDigitsLoops(model.hidden(), BLOCK);
    }

    @Override
    public void gradientOfSum(double[] params, double[][] columns, double[] out) {
        Pass pass = new Pass(columns);
        for (int from = 0; from < columns[0].length; from += block) {
            pass.run(params, from);
            pass.addGradients();
        }
        pass.writeGradient(out);
    }

    /** The same computation as route (b): the gradient of the sum is the sum of the gradients. */
    @Override
    public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
        gradientOfSum(params, columns, out);
    }

    /**
     * First every block's errors and activations into arrays over the whole batch, then each row of {@code out}
     * in one go, {@code e_l[u][0..N)·a_l[f][0..N)}: written row by row, the {@code [P][N]} result streams to memory
     * (about 7 GB/s on the benchmark machine, 154 kB per example for W8); written a block at a time, each block
     * touched all P rows and ran about half as fast (W8: 58-69 µs per example against 35.5 µs).
     */
    @Override
    public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
        int n = columns[0].length;
        double[][][] errors = new double[layers.length][][];
        for (int l = 0; l < layers.length; l++) {
            errors[l] = new double[layers[l].units()][n];
        }
        double[][] activations = new double[hidden][n];
        Pass pass = new Pass(columns);
        for (int from = 0; from < n; from += block) {
            pass.run(params, from);
            for (int l = 0; l < layers.length; l++) {
                DigitsBlocks.writeRows(pass.error(l), layers[l].units(), pass.length, errors[l], 0, from);
            }
            DigitsBlocks.writeRows(pass.activations, hidden, pass.length, activations, 0, from);
        }
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            DigitsBlocks.writeOuterProducts(errors[l], layer.units(), l == 0 ? columns : activations, layer.fanIn(), n,
                    out, layer.weights());
            DigitsBlocks.writeRows(errors[l], layer.units(), n, out, layer.biases(), 0);
        }
    }

    @Override
    public void perExampleGradientNorms(double[] params, double[][] columns, double[] out) {
        Pass pass = new Pass(columns);
        for (int from = 0; from < columns[0].length; from += block) {
            pass.run(params, from);
            pass.squaredNorms();
            for (int t = 0; t < pass.length; t++) {
                out[from + t] = Math.sqrt(pass.squaredNorm[t]);
            }
        }
    }

    @Override
    public void clippedGradientSum(double[] params, double[][] columns, double clipNorm, double[] out) {
        Pass pass = new Pass(columns);
        for (int from = 0; from < columns[0].length; from += block) {
            pass.run(params, from);
            pass.squaredNorms();
            double[] factor = pass.squaredNorm;
            boolean skips = false;
            for (int t = 0; t < pass.length; t++) {
                double norm = Math.sqrt(factor[t]);
                factor[t] = Math.min(1.0, clipNorm / norm);
                skips |= !Double.isFinite(norm);
            }
            for (int l = 0; l < layers.length; l++) {
                DigitsBlocks.scale(pass.error(l), layers[l].units(), factor, pass.length);
            }
            if (skips) {
                pass.skipNonFinite();
            }
            pass.addGradients();
        }
        pass.writeGradient(out);
    }

    /** One call's scratch, the current block, and the gradient summed so far. */
    private final class Pass {

        private final double[][] columns;
        private final double[][] inputs;
        private final double[][] labels;
        final double[][] activations;
        private final double[][] hiddenError;
        private final double[][] outputError;
        private final double[][][] rows;
        private final double[][][] weightGradients;
        private final double[][] biasGradients;
        private final double[] work;
        private final double[] errorSquares;
        private final double[] inputSquares;
        final double[] squaredNorm;
        int length;

        Pass(double[][] columns) {
            this.columns = columns;
            inputs = new double[Digits.PIXELS][block];
            labels = new double[Digits.CLASSES][block];
            activations = new double[hidden][block];
            hiddenError = new double[hidden][block];
            outputError = new double[Digits.CLASSES][block];
            rows = new double[layers.length][][];
            weightGradients = new double[layers.length][][];
            biasGradients = new double[layers.length][];
            for (int l = 0; l < layers.length; l++) {
                rows[l] = new double[block][layers[l].fanIn()];
                weightGradients[l] = new double[layers[l].units()][layers[l].fanIn()];
                biasGradients[l] = new double[layers[l].units()];
            }
            work = new double[block];
            errorSquares = new double[block];
            inputSquares = new double[block];
            squaredNorm = new double[block];
        }

        double[][] input(int layer) {
            return layer == 0 ? inputs : activations;
        }

        double[][] error(int layer) {
            return layer == layers.length - 1 ? outputError : hiddenError;
        }

        /** Copies in examples {@code from .. from + length - 1}, and runs their forward pass and backprop. */
        void run(double[] params, int from) {
            length = Math.min(block, columns[0].length - from);
            DigitsBlocks.copyBlock(columns, 0, Digits.PIXELS, from, length, inputs);
            DigitsBlocks.copyBlock(columns, Digits.PIXELS, Digits.CLASSES, from, length, labels);
            if (hidden > 0) {
                Layer first = layers[0];
                DigitsBlocks.affine(params, first.weights(), first.biases(), hidden, Digits.PIXELS, inputs, length,
                        activations);
                for (double[] row : activations) {
                    for (int t = 0; t < length; t++) {
                        row[t] = Math.tanh(row[t]);
                    }
                }
            }
            int last = layers.length - 1;
            Layer output = layers[last];
            DigitsBlocks.affine(params, output.weights(), output.biases(), Digits.CLASSES, output.fanIn(), input(last),
                    length, outputError);
            DigitsBlocks.softmaxError(outputError, labels, length, work);
            if (hidden > 0) {
                backpropagate(params, output.weights());
            }
        }

        /** {@code ε_m = (1 - h_m²)·Σ_k W[k][m] δ_k}. */
        private void backpropagate(double[] params, int weights) {
            for (int m = 0; m < hidden; m++) {
                double[] error = hiddenError[m];
                double[] delta = outputError[0];
                double w = params[weights + m];
                for (int t = 0; t < length; t++) {
                    error[t] = w * delta[t];
                }
                for (int k = 1; k < Digits.CLASSES; k++) {
                    delta = outputError[k];
                    w = params[weights + k * hidden + m];
                    for (int t = 0; t < length; t++) {
                        error[t] += w * delta[t];
                    }
                }
                double[] h = activations[m];
                for (int t = 0; t < length; t++) {
                    error[t] *= 1 - h[t] * h[t];
                }
            }
        }

        /** Adds the block's gradients to the sums. */
        void addGradients() {
            for (int l = 0; l < layers.length; l++) {
                Layer layer = layers[l];
                DigitsBlocks.toRows(input(l), layer.fanIn(), length, rows[l]);
                DigitsBlocks.addOuterProducts(error(l), layer.units(), rows[l], layer.fanIn(), length,
                        weightGradients[l]);
                DigitsBlocks.addSums(error(l), layer.units(), length, biasGradients[l]);
            }
        }

        /**
         * Zeroes the errors and inputs of the examples whose clip factor (in {@link #squaredNorm}) is NaN or zero,
         * because their gradient norm is NaN or infinite: the clipped sum skips them, so they must add nothing, not
         * even a NaN.
         */
        void skipNonFinite() {
            for (int t = 0; t < length; t++) {
                if (!(squaredNorm[t] > 0.0 && squaredNorm[t] <= 1.0)) {
                    for (int l = 0; l < layers.length; l++) {
                        for (double[] row : error(l)) {
                            row[t] = 0.0;
                        }
                        for (double[] row : input(l)) {
                            row[t] = 0.0;
                        }
                    }
                }
            }
        }

        /** {@code squaredNorm[t] = Σ_l ‖e_t‖²·(1 + ‖a_t‖²)}. */
        void squaredNorms() {
            Arrays.fill(squaredNorm, 0, length, 0.0);
            for (int l = 0; l < layers.length; l++) {
                Arrays.fill(errorSquares, 0, length, 0.0);
                Arrays.fill(inputSquares, 0, length, 1.0);
                DigitsBlocks.addSquares(error(l), layers[l].units(), length, errorSquares);
                DigitsBlocks.addSquares(input(l), layers[l].fanIn(), length, inputSquares);
                for (int t = 0; t < length; t++) {
                    squaredNorm[t] += errorSquares[t] * inputSquares[t];
                }
            }
        }

        /** Writes the summed gradient into {@code out}, in the parameter order. */
        void writeGradient(double[] out) {
            for (int l = 0; l < layers.length; l++) {
                Layer layer = layers[l];
                for (int u = 0; u < layer.units(); u++) {
                    System.arraycopy(weightGradients[l][u], 0, out, layer.weights() + u * layer.fanIn(), layer.fanIn());
                }
                System.arraycopy(biasGradients[l], 0, out, layer.biases(), layer.units());
            }
        }
    }
}
