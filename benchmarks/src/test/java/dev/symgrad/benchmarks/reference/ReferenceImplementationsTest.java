package dev.symgrad.benchmarks.reference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.symgrad.benchmarks.reference.OracleComparisons.assertClose;
import static dev.symgrad.benchmarks.reference.OracleComparisons.assertSumsClose;
import static dev.symgrad.benchmarks.reference.OracleComparisons.filledWithNaN;
import static dev.symgrad.benchmarks.reference.OracleComparisons.summationScale;

import dev.symgrad.benchmarks.GradientImplementation;
import dev.symgrad.benchmarks.Workload;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference implementation computes the same three routes as symgrad's generated code, on
 * W1-W4, for batches of 0, 1, 5, 37 and 301 examples: 37 and 301 are odd and not multiples of 4 or
 * 8, so unrolled loops run their tails, and 301 spans three of the 128-example blocks of
 * {@link BestLogisticRegression} and {@link BestTanhNetwork}, the last one partial.
 *
 * <p>Errors are measured relative to the size of what was computed, not entry by entry, so that a
 * gradient that happens to be near zero through cancellation does not demand more than rounding
 * can give: a per-example column is compared with its largest entry, a sum with the sum of the
 * absolute per-example gradients (the usual bound on summation error). An empty batch must give
 * exactly zero.
 */
class ReferenceImplementationsTest {

    private static final int[] BATCH_SIZES = {0, 1, 5, 37, 301};
    private static final List<Workload> WORKLOADS = List.of(Workload.W1, Workload.W2, Workload.W3, Workload.W4);

    private static final List<Reference> REFERENCES = List.of(
            new Reference("straightforward loops", StraightforwardLoops::forWorkload),
            new Reference("best loops", BestLoops::forWorkload),
            new Reference("best overflow-safe loops", BestLoops::stableForWorkload),
            new Reference("Hipparchus Gradient", workload ->
                    HipparchusForwardMode.forWorkload(workload, HipparchusForwardMode.Variant.GRADIENT)),
            new Reference("Hipparchus DerivativeStructure", workload ->
                    HipparchusForwardMode.forWorkload(workload, HipparchusForwardMode.Variant.DERIVATIVE_STRUCTURE)));

    private static final Map<Workload, CompiledLoss> ORACLES = new EnumMap<>(Workload.class);

    /** A reference implementation family, named for the test report. */
    private record Reference(String name, Function<Workload, GradientImplementation> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> referencesWorkloadsAndBatchSizes() {
        return REFERENCES.stream().flatMap(reference -> WORKLOADS.stream().flatMap(workload ->
                Arrays.stream(BATCH_SIZES).mapToObj(n -> Arguments.of(reference, workload, n))));
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesWorkloadsAndBatchSizes")
    void perExampleGradientsMatchSymgrad(Reference reference, Workload workload, int n) {
        double[] params = workload.parameterValues();
        double[][] columns = workload.columns(n);
        double[][] expected = oracle(workload).perExampleGradients(params, columns);
        double[][] actual = filledWithNaN(params.length, n);

        reference.factory().apply(workload).perExampleGradients(params, columns, actual);

        for (int p = 0; p < params.length; p++) {
            double scale = 0;
            for (double value : expected[p]) {
                scale = Math.max(scale, Math.abs(value));
            }
            for (int i = 0; i < n; i++) {
                int parameter = p;
                int example = i;
                assertClose(expected[p][i], actual[p][i], scale, () -> reference + " on " + workload + ", N=" + n
                        + ", route (a), example " + example + ", parameter " + workload.parameters().get(parameter));
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesWorkloadsAndBatchSizes")
    void sumOfPerExampleGradientsMatchesSymgrad(Reference reference, Workload workload, int n) {
        double[] params = workload.parameterValues();
        double[][] columns = workload.columns(n);
        double[] expected = oracle(workload).sumOfPerExampleGradients(params, columns);
        double[] actual = filledWithNaN(1, params.length)[0];

        reference.factory().apply(workload).sumOfPerExampleGradients(params, columns, actual);

        assertSumsClose(expected, actual, summationScale(oracle(workload), params, columns),
                reference + " on " + workload + ", N=" + n + ", route (a) summed", workload.parameters());
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesWorkloadsAndBatchSizes")
    void gradientOfSumMatchesSymgrad(Reference reference, Workload workload, int n) {
        double[] params = workload.parameterValues();
        double[][] columns = workload.columns(n);
        double[] expected = oracle(workload).gradientOfSum(params, columns);
        double[] actual = filledWithNaN(1, params.length)[0];

        reference.factory().apply(workload).gradientOfSum(params, columns, actual);

        assertSumsClose(expected, actual, summationScale(oracle(workload), params, columns),
                reference + " on " + workload + ", N=" + n + ", route (b)", workload.parameters());
    }

    @Test
    void theOverflowSafeLogisticLoopIsFiniteWhereExpOverflows() {
        double[] params = Workload.W3.parameterValues();
        Arrays.setAll(params, p -> 300.0);
        double[][] columns = Workload.W3.columns(37);
        double[] expected = oracle(Workload.W3).gradientOfSum(params, columns);
        double[] plain = filledWithNaN(1, params.length)[0];
        double[] stable = filledWithNaN(1, params.length)[0];

        BestLoops.forWorkload(Workload.W3).gradientOfSum(params, columns, plain);
        BestLoops.stableForWorkload(Workload.W3).gradientOfSum(params, columns, stable);

        assertTrue(Arrays.stream(plain).anyMatch(Double::isNaN), "exp(m) / (1 + exp(m)) overflows at these margins");
        assertSumsClose(expected, stable, summationScale(oracle(Workload.W3), params, columns),
                "best overflow-safe loops on W3 at margins beyond 710", Workload.W3.parameters());
    }

    @Test
    void rejectsTheLargeSharedWorkload() {
        for (Reference reference : REFERENCES) {
            assertThrows(IllegalArgumentException.class, () -> reference.factory().apply(Workload.W5),
                    reference.name());
        }
    }

    private static CompiledLoss oracle(Workload workload) {
        return ORACLES.computeIfAbsent(workload,
                w -> Symgrad.compile(w.expression(), w.parameters(), w.inputs()));
    }
}
