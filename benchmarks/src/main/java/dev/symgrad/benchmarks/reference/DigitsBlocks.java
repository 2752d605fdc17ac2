package dev.symgrad.benchmarks.reference;

/**
 * The loops of {@link BestDigitsLoops}, over a block of examples {@code t = 0 .. length-1}. Values per unit are
 * kept examples-innermost ({@code [unit][t]}), so that a layer, the softmax and the norms are maps and
 * {@code a[t] += w·b[t]} updates; the weight gradients, sums over the examples, are accumulated a row at a time
 * from inputs copied to rows ({@code [t][feature]}), so that their inner loop runs along a gradient row instead
 * of reducing into one scalar (a reduction C2 keeps serial).
 *
 * <p>Every array in a loop is indexed by the loop variable itself, from 0: C2 (JDK 17 and 25) vectorized
 * {@code out[t] += w * in[t]} (0.12-0.18 ns per multiply-add here) but not {@code out[t] += w * in[from + t]}
 * (0.5 ns), which could overlap {@code out} if both were the same array. So the block's inputs are copied first.
 */
final class DigitsBlocks {

    private DigitsBlocks() {
    }

    /** {@code block[f][t] = columns[first + f][from + t]}, for {@code f < count}. */
    static void copyBlock(double[][] columns, int first, int count, int from, int length, double[][] block) {
        for (int f = 0; f < count; f++) {
            System.arraycopy(columns[first + f], from, block[f], 0, length);
        }
    }

    /** {@code out[u][t] = params[biases + u] + Σ_f params[weights + u·fanIn + f]·in[f][t]}, f ascending. */
    static void affine(double[] params, int weights, int biases, int units, int fanIn, double[][] in, int length,
                       double[][] out) {
        int u = 0;
        // Two units at a time: each input element is loaded once for both.
        for (; u + 1 < units; u += 2) {
            double[] out0 = out[u];
            double[] out1 = out[u + 1];
            double bias0 = params[biases + u];
            double bias1 = params[biases + u + 1];
            for (int t = 0; t < length; t++) {
                out0[t] = bias0;
                out1[t] = bias1;
            }
            for (int f = 0; f < fanIn; f++) {
                double w0 = params[weights + u * fanIn + f];
                double w1 = params[weights + (u + 1) * fanIn + f];
                double[] input = in[f];
                for (int t = 0; t < length; t++) {
                    double value = input[t];
                    out0[t] += w0 * value;
                    out1[t] += w1 * value;
                }
            }
        }
        for (; u < units; u++) {
            double[] row = out[u];
            double bias = params[biases + u];
            for (int t = 0; t < length; t++) {
                row[t] = bias;
            }
            for (int f = 0; f < fanIn; f++) {
                double w = params[weights + u * fanIn + f];
                double[] input = in[f];
                for (int t = 0; t < length; t++) {
                    row[t] += w * input[t];
                }
            }
        }
    }

    /**
     * Turns the logits {@code z[k][t]} into the softmax error {@code exp(z_k)/Σ exp(z) - y_k} in place;
     * {@code inverseSum} is scratch of at least {@code length}.
     */
    static void softmaxError(double[][] z, double[][] y, int length, double[] inverseSum) {
        for (int t = 0; t < length; t++) {
            inverseSum[t] = 0.0;
        }
        for (double[] row : z) {
            for (int t = 0; t < length; t++) {
                row[t] = Math.exp(row[t]);
            }
            for (int t = 0; t < length; t++) {
                inverseSum[t] += row[t];
            }
        }
        for (int t = 0; t < length; t++) {
            inverseSum[t] = 1.0 / inverseSum[t];
        }
        for (int k = 0; k < z.length; k++) {
            double[] row = z[k];
            double[] label = y[k];
            for (int t = 0; t < length; t++) {
                row[t] = row[t] * inverseSum[t] - label[t];
            }
        }
    }

    /** {@code rows[t][f] = in[f][t]}. */
    static void toRows(double[][] in, int features, int length, double[][] rows) {
        for (int f = 0; f < features; f++) {
            double[] input = in[f];
            for (int t = 0; t < length; t++) {
                rows[t][f] = input[t];
            }
        }
    }

    /**
     * {@code gradient[u][f] += Σ_t factors[u][t]·rows[t][f]}: the block's share of a weight gradient, a row at a
     * time, four examples per pass along the row.
     */
    static void addOuterProducts(double[][] factors, int units, double[][] rows, int width, int length,
                                 double[][] gradient) {
        for (int u = 0; u < units; u++) {
            double[] factor = factors[u];
            double[] row = gradient[u];
            int t = 0;
            for (; t + 3 < length; t += 4) {
                double a0 = factor[t];
                double a1 = factor[t + 1];
                double a2 = factor[t + 2];
                double a3 = factor[t + 3];
                double[] r0 = rows[t];
                double[] r1 = rows[t + 1];
                double[] r2 = rows[t + 2];
                double[] r3 = rows[t + 3];
                for (int f = 0; f < width; f++) {
                    row[f] += (a0 * r0[f] + a1 * r1[f]) + (a2 * r2[f] + a3 * r3[f]);
                }
            }
            for (; t < length; t++) {
                double a = factor[t];
                double[] r = rows[t];
                for (int f = 0; f < width; f++) {
                    row[f] += a * r[f];
                }
            }
        }
    }

    /** {@code sums[u] += Σ_t factors[u][t]}, four accumulators. */
    static void addSums(double[][] factors, int units, int length, double[] sums) {
        for (int u = 0; u < units; u++) {
            double[] factor = factors[u];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int t = 0;
            for (; t + 3 < length; t += 4) {
                s0 += factor[t];
                s1 += factor[t + 1];
                s2 += factor[t + 2];
                s3 += factor[t + 3];
            }
            for (; t < length; t++) {
                s0 += factor[t];
            }
            sums[u] += (s0 + s1) + (s2 + s3);
        }
    }

    /** {@code out[offset + u·width + f][t] = factors[u][t]·in[f][t]}: route (a)'s rows of a weight. */
    static void writeOuterProducts(double[][] factors, int units, double[][] in, int width, int length,
                                   double[][] out, int offset) {
        for (int u = 0; u < units; u++) {
            double[] factor = factors[u];
            for (int f = 0; f < width; f++) {
                double[] input = in[f];
                double[] target = out[offset + u * width + f];
                for (int t = 0; t < length; t++) {
                    target[t] = factor[t] * input[t];
                }
            }
        }
    }

    /** {@code out[offset + u][from + t] = factors[u][t]}, for {@code t < length}. */
    static void writeRows(double[][] factors, int units, int length, double[][] out, int offset, int from) {
        for (int u = 0; u < units; u++) {
            System.arraycopy(factors[u], 0, out[offset + u], from, length);
        }
    }

    /** {@code squares[t] += Σ_u in[u][t]²}. */
    static void addSquares(double[][] in, int units, int length, double[] squares) {
        for (int u = 0; u < units; u++) {
            double[] row = in[u];
            for (int t = 0; t < length; t++) {
                squares[t] += row[t] * row[t];
            }
        }
    }

    /** {@code factors[u][t] *= scale[t]}. */
    static void scale(double[][] factors, int units, double[] scale, int length) {
        for (int u = 0; u < units; u++) {
            double[] row = factors[u];
            for (int t = 0; t < length; t++) {
                row[t] *= scale[t];
            }
        }
    }
}
