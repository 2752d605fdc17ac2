package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LaneOrderSum;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Losses that call exp, log, tanh are computed in several loops over blocks of examples
 * ({@link StagedLoops}). Batches longer than a block, and not a multiple of it, must give exactly the
 * per-example values of the one-example kernels, and sums in exactly the documented lane order.
 */
class StagedLoopsTest {

    /** Calls two and three deep, a conditional comparing values of different loops, inputs used late. */
    private static final String NESTED_CALLS = "Math.exp(w * x) > y ? Math.tanh(Math.exp(w * x) * b) * y"
            + " : Math.log1p(Math.exp(b * y)) + x * w";

    private static final String LOGISTIC = "Math.log1p(Math.exp(-y * (w * x + b)))";

    /**
     * The scalar backend's class, the one made of staged loops. {@code Symgrad.compile} would load the vector
     * backend's where {@code -Dtest=...} also runs this class (the vector-backend execution): its {@code tanh}
     * differs from the one-example kernel's {@code Math.tanh} by an ulp or two, and its sums add lane by lane.
     */
    private static CompiledLoss compile(String expression, List<String> parameters, List<String> inputs) {
        return HiddenClassDefiner.define(Symgrad.generateClass(expression, parameters, inputs,
                HiddenClassDefiner.CLASS_NAME));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 255, 256, 257, 1000, 1003})
    void perExampleValuesEqualTheOneExampleKernelsBitForBit(int n) {
        for (String expression : List.of(NESTED_CALLS, LOGISTIC)) {
            CompiledLoss loss = compile(expression, List.of("w", "b"), List.of("x", "y"));
            double[] params = {0.7, -0.3};
            double[][] columns = columns(n);
            double[] losses = loss.perExampleLosses(params, columns);
            double[][] gradients = loss.perExampleGradients(params, columns);
            for (int i = 0; i < n; i++) {
                double[] example = {columns[0][i], columns[1][i]};
                assertEquals(bits(loss.loss(params, example)), bits(losses[i]), expression + ", example " + i);
                double[] gradient = loss.gradient(params, example);
                for (int p = 0; p < 2; p++) {
                    assertEquals(bits(gradient[p]), bits(gradients[p][i]), expression + ", example " + i);
                }
            }
        }
    }

    /**
     * Issue 13: with an unused parameter {@code v}, the per-example gradient kernel split its first stage
     * by output, and the shared loop computed {@code -min(min(w, 1.5 + b), 1.4 - y)} (read by the loop
     * after {@code Math.sin}) before the loop of d/dw had computed {@code min(w, 1.5 + b)}: d/db came out
     * as 0.468..., -0.639... where the one-example kernel and central differences give 1.464..., 0.356....
     */
    @Test
    void valuesReadByLaterLoopsAreComputedBeforeTheyAreRead() {
        CompiledLoss loss = compile("Math.cos(b + z) - Math.min(Math.min((1.5 + b), w), 1.40 - y) * b",
                List.of("w", "b", "v"), List.of("y", "z"));
        double[] params = {1.2153236468048116, -1.2479168972671277, -1.4579643134763902};
        double[][] columns = {{-0.9023688802371312, -1.5376433372282294}, {0.7606029160388901, 1.9420744344299825}};
        double[][] gradients = loss.perExampleGradients(params, columns);
        double[] centralDifferences = {1.4640880252234694, 0.3560956388819898};
        for (int i = 0; i < 2; i++) {
            double[] example = {columns[0][i], columns[1][i]};
            double[] gradient = loss.gradient(params, example);
            double h = 1e-6;
            double[] up = params.clone();
            double[] down = params.clone();
            up[1] += h;
            down[1] -= h;
            double difference = (loss.loss(up, example) - loss.loss(down, example)) / (2 * h);
            assertEquals(difference, gradient[1], 1e-8, "one-example kernel against central differences, example " + i);
            assertEquals(centralDifferences[i], difference, 1e-8, "central differences, example " + i);
            for (int p = 0; p < 3; p++) {
                assertEquals(bits(gradient[p]), bits(gradients[p][i]), "d/d" + loss.parameters().get(p) + ", example " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 256, 259, 1000, 1003})
    void sumsKeepTheLaneOrderOfTheFusedLoop(int n) {
        for (String expression : List.of(NESTED_CALLS, LOGISTIC)) {
            CompiledLoss loss = compile(expression, List.of("w", "b"), List.of("x", "y"));
            double[] params = {0.7, -0.3};
            double[][] columns = columns(n);
            double[][] perExample = loss.perExampleGradients(params, columns);
            double[] sums = loss.sumOfPerExampleGradients(params, columns);
            for (int p = 0; p < 2; p++) {
                assertEquals(bits(LaneOrderSum.of(perExample[p], 0, n)), bits(sums[p]), expression + ", parameter " + p);
            }
            assertEquals(bits(LaneOrderSum.of(loss.perExampleLosses(params, columns), 0, n)),
                    bits(loss.totalLoss(params, columns)), expression);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void splitBatchesSumEachSliceInTheLaneOrder(int parallelism) {
        int n = 2_000;
        CompiledLoss loss = compile(LOGISTIC, List.of("w", "b"), List.of("x", "y"));
        double[] params = {0.7, -0.3};
        double[][] columns = columns(n);
        double[][] perExample = loss.perExampleGradients(params, columns);
        double[] split = loss.sumOfPerExampleGradients(params, columns, parallelism);
        for (int p = 0; p < 2; p++) {
            // Slices as documented in ParallelSplit: [k n / p, (k + 1) n / p), summed in slice order.
            double expected = LaneOrderSum.of(perExample[p], 0, n / parallelism);
            for (int k = 1; k < parallelism; k++) {
                expected += LaneOrderSum.of(perExample[p], k * n / parallelism, (k + 1) * n / parallelism);
            }
            assertEquals(bits(expected), bits(split[p]), "parameter " + p);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {NESTED_CALLS, LOGISTIC})
    void stagedClassesVerify(String expression) {
        GeneratedClassVerifier.verify(Symgrad.generateClass(expression, List.of("w", "b"), List.of("x", "y"), "test/Staged"));
    }

    private static double[][] columns(int n) {
        SplittableRandom random = new SplittableRandom(n);
        double[][] columns = new double[2][n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = random.nextDouble(-2, 2);
            columns[1][i] = random.nextBoolean() ? 1.0 : random.nextDouble(-2, 2);
        }
        return columns;
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }
}
