package dev.symgrad.runtime.optimize;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lbfgs} against a published implementation's iterates: SciPy's L-BFGS-B, recorded by
 * {@code src/test/python/scipy_lbfgsb_iterates.py} into {@code scipy-lbfgsb-iterates.csv} on a logistic
 * regression both define the same way. Without bounds, L-BFGS-B takes the L-BFGS step (its compact form with
 * θ = yᵀy/sᵀy is the two-loop recursion with H₀ = γI), and both try 1/‖g‖ first and then 1. Their line
 * searches differ (Moré–Thuente there, Nocedal–Wright here), so the trajectories are compared while SciPy
 * accepted every first trial: there, the iterates test the recursion, the scaling, the memory's rotation
 * (45 iterations with m = 10, 21 with m = 3) and the first step, to rounding.
 */
class LbfgsAgainstScipyTest {

    private static final int N = 200;
    private static final int D = 8;
    private static final double LAMBDA = 1e-4;

    /** The script's features, {@code sin(1.3i + 0.7j + 0.1ij)·2^(j−3)}, and labels, evaluated in its order. */
    private static final double[][] X = new double[N][D];
    private static final double[] Y = new double[N];

    static {
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                X[i][j] = Math.sin(1.3 * i + 0.7 * j + 0.1 * i * j) * Math.pow(2, j - 3);
            }
            Y[i] = Math.cos(0.9 * i) + 0.5 * X[i][0] > 0 ? 1 : -1;
        }
    }

    /** The mean logistic loss plus (λ/2)‖w‖², as the script computes it. */
    private static final Objective LOGISTIC = (w, g) -> {
        double sum = 0;
        Arrays.fill(g, 0);
        for (int i = 0; i < N; i++) {
            double margin = 0;
            for (int j = 0; j < D; j++) {
                margin += X[i][j] * w[j];
            }
            margin *= Y[i];
            sum += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
            double slope = -Y[i] / (1 + Math.exp(margin));
            for (int j = 0; j < D; j++) {
                g[j] += X[i][j] * slope;
            }
        }
        double squares = 0;
        for (int j = 0; j < D; j++) {
            g[j] = g[j] / N + LAMBDA * w[j];
            squares += w[j] * w[j];
        }
        return sum / N + 0.5 * LAMBDA * squares;
    };

    private record Iterate(int memory, double start, int iteration, int evaluations, double[] x) {
    }

    @Test
    void whileScipyAcceptsEveryFirstTrialTheIteratesAreScipys() throws IOException {
        List<Iterate> rows = recorded();
        for (int memory : new int[] {10, 3}) {
            List<Iterate> trajectory = rows.stream().filter(row -> row.memory() == memory).toList();
            int compared = 0;
            for (Iterate scipy : trajectory) {
                if (scipy.evaluations() != 1) {
                    break;
                }
                double[] start = new double[D];
                Arrays.fill(start, scipy.start());
                OptimizationResult ours = Lbfgs.builder().memory(memory).gradientTolerance(0)
                        .maxIterations(scipy.iteration()).build().minimize(LOGISTIC, start);
                String where = "m = " + memory + ", iteration " + scipy.iteration();
                assertEquals(scipy.iteration(), ours.iterations(), where);
                assertEquals(1 + scipy.iteration(), ours.evaluations(), "one evaluation per iteration, " + where);
                double scale = 0;
                double difference = 0;
                for (int j = 0; j < D; j++) {
                    scale = Math.max(scale, Math.abs(scipy.x()[j]));
                    difference = Math.max(difference, Math.abs(scipy.x()[j] - ours.x()[j]));
                }
                assertTrue(difference <= 1e-9 * scale, where + ": SciPy " + Arrays.toString(scipy.x()) + ", ours "
                        + Arrays.toString(ours.x()));
                compared++;
            }
            assertTrue(compared >= (memory == 10 ? 45 : 21), compared + " iterates compared for m = " + memory);
        }
    }

    @Test
    void bothEndAtTheSameMinimum() throws IOException {
        List<Iterate> rows = recorded();
        for (int memory : new int[] {10, 3}) {
            Iterate last = rows.stream().filter(row -> row.memory() == memory).reduce((a, b) -> b).orElseThrow();
            double[] start = new double[D];
            Arrays.fill(start, last.start());
            OptimizationResult ours = Lbfgs.builder().memory(memory).gradientTolerance(1e-10).build()
                    .minimize(LOGISTIC, start);
            assertEquals(StopReason.GRADIENT_TOLERANCE, ours.reason(), "m = " + memory);
            for (int j = 0; j < D; j++) {
                assertEquals(last.x()[j], ours.x()[j], 1e-5 * Math.max(1, Math.abs(last.x()[j])), "m = " + memory
                        + ", x[" + j + "]");
            }
        }
    }

    private static List<Iterate> recorded() throws IOException {
        List<Iterate> rows = new ArrayList<>();
        try (InputStream in = LbfgsAgainstScipyTest.class.getResourceAsStream("scipy-lbfgsb-iterates.csv")) {
            assertNotNull(in, "scipy-lbfgsb-iterates.csv");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",");
                double[] x = new double[D];
                for (int j = 0; j < D; j++) {
                    x[j] = Double.parseDouble(fields[4 + j]);
                }
                rows.add(new Iterate(Integer.parseInt(fields[0]), Double.parseDouble(fields[1]),
                        Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), x));
            }
        }
        return rows;
    }
}
