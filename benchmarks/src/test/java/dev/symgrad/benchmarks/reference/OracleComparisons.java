package dev.symgrad.benchmarks.reference;

import static org.junit.jupiter.api.Assertions.fail;

import dev.symgrad.runtime.CompiledLoss;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * How the reference-implementation tests compare a hand-written implementation with symgrad: errors are
 * measured against the size of what was computed, a per-example value against its column's largest
 * entry, a sum against the sum of the absolute per-example gradients (any summation order stays within
 * that bound's rounding).
 */
final class OracleComparisons {

    static final double RELATIVE_TOLERANCE = 1e-9;

    private OracleComparisons() {
    }

    /** Per parameter, {@code Σ_i |∂f_i/∂p|}: how large the rounding error of any summation order may get. */
    static double[] summationScale(CompiledLoss oracle, double[] params, double[][] columns) {
        double[][] perExample = oracle.perExampleGradients(params, columns);
        double[] scale = new double[params.length];
        for (int p = 0; p < params.length; p++) {
            for (double value : perExample[p]) {
                scale[p] += Math.abs(value);
            }
        }
        return scale;
    }

    /** Each parameter's sum within {@link #RELATIVE_TOLERANCE} of its scale; failures name the parameter. */
    static void assertSumsClose(double[] expected, double[] actual, double[] scale, String what,
                                List<String> parameters) {
        for (int p = 0; p < expected.length; p++) {
            int parameter = p;
            assertClose(expected[p], actual[p], scale[p], () -> what + ", parameter " + parameters.get(parameter));
        }
    }

    static void assertClose(double expected, double actual, double scale, Supplier<String> what) {
        if (!(Math.abs(actual - expected) <= RELATIVE_TOLERANCE * scale)) {
            fail(what.get() + ": expected " + expected + " (symgrad), got " + actual
                    + ", allowed error " + RELATIVE_TOLERANCE * scale);
        }
    }

    /** NaN shows any entry an implementation forgot to write. */
    static double[][] filledWithNaN(int rows, int length) {
        double[][] array = new double[rows][length];
        for (double[] row : array) {
            Arrays.fill(row, Double.NaN);
        }
        return array;
    }
}
