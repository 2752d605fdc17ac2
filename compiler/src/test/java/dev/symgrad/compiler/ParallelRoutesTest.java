package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Batches split across threads give the one-thread answer up to rounding, and the same bits every time. */
class ParallelRoutesTest {

    private static final CompiledLoss LOSS = Symgrad.compile("Math.log1p(Math.exp(-y * (w * x + b))) + 0.5 * w * w",
            List.of("w", "b"), List.of("x", "y"));
    private static final double[] PARAMS = {0.3, -0.2};

    private static double[][] batch(int n) {
        Random random = new Random(n);
        double[][] columns = new double[2][n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = random.nextGaussian();
            columns[1][i] = random.nextBoolean() ? 1 : -1;
        }
        return columns;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 1000, 100_001})
    void slicesAddUpToTheOneThreadResult(int n) {
        double[][] columns = batch(n);
        double[][] perExample = LOSS.perExampleGradients(PARAMS, columns);
        for (int parallelism = 1; parallelism <= 5; parallelism++) {
            double[] routeA = LOSS.sumOfPerExampleGradients(PARAMS, columns, parallelism);
            double[] routeB = LOSS.gradientOfSum(PARAMS, columns, parallelism);
            for (int p = 0; p < 2; p++) {
                double sum = 0;
                double absolute = 0;
                for (double g : perExample[p]) {
                    sum += g;
                    absolute += Math.abs(g);
                }
                double bound = 4 * (n + 1) * 0x1p-53 * absolute;
                assertEquals(sum, routeA[p], bound, "route (a), parallelism " + parallelism);
                assertEquals(sum, routeB[p], bound, "route (b), parallelism " + parallelism);
            }
            assertArrayEquals(perExample, LOSS.perExampleGradients(PARAMS, columns, parallelism));
        }
    }

    @Test
    void oneSliceIsExactlyTheSequentialRoute() {
        double[][] columns = batch(1000);
        assertArrayEquals(LOSS.gradientOfSum(PARAMS, columns), LOSS.gradientOfSum(PARAMS, columns, 1));
        assertArrayEquals(LOSS.sumOfPerExampleGradients(PARAMS, columns), LOSS.sumOfPerExampleGradients(PARAMS, columns, 1));
    }

    @Test
    void aGivenSplitGivesTheSameBitsEveryTime() {
        double[][] columns = batch(200_003);
        double[] first = LOSS.gradientOfSum(PARAMS, columns, 3);
        for (int run = 0; run < 20; run++) {
            assertArrayEquals(first, LOSS.gradientOfSum(PARAMS, columns, 3));
        }
    }

    @Test
    void parallelismBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LOSS.gradientOfSum(PARAMS, batch(10), 0));
        assertEquals("parallelism must be at least 1, got 0", e.getMessage());
    }
}
