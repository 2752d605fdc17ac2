package dev.symgrad.benchmarks.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.symgrad.benchmarks.reference.OracleComparisons.assertClose;
import static dev.symgrad.benchmarks.reference.OracleComparisons.assertSumsClose;
import static dev.symgrad.benchmarks.reference.OracleComparisons.filledWithNaN;
import static dev.symgrad.benchmarks.reference.OracleComparisons.summationScale;

import dev.symgrad.benchmarks.ClippedGradientImplementation;
import dev.symgrad.benchmarks.Digits;
import dev.symgrad.benchmarks.DigitsModel;
import dev.symgrad.runtime.CompiledLoss;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written W6-W8 ({@link StraightforwardDigitsLoops}, {@link BestDigitsLoops}) compute the five batch
 * operations of symgrad's generated code, on the first 0, 1, 37 and 301 digits: 301 is five of the best loops'
 * 64-example blocks, the last one partial, and leaves a tail after their four-example steps. Errors are measured
 * against the size of what was computed, as in {@link ReferenceImplementationsTest}: a per-example column
 * against its largest entry, a sum against the sum of the absolute per-example gradients.
 */
class DigitsImplementationsTest {

    private static final int[] BATCH_SIZES = {0, 1, 37, 301};

    private static final List<Reference> REFERENCES = List.of(
            new Reference("straightforward", StraightforwardDigitsLoops::forModel),
            new Reference("best", BestDigitsLoops::forModel));

    private static final Map<DigitsModel, CompiledLoss> ORACLES = new EnumMap<>(DigitsModel.class);

    /** A hand-written implementation family, named for the test report. */
    private record Reference(String name, Function<DigitsModel, ClippedGradientImplementation> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> referencesModelsAndBatchSizes() {
        return REFERENCES.stream().flatMap(reference -> Arrays.stream(DigitsModel.values()).flatMap(model ->
                Arrays.stream(BATCH_SIZES).mapToObj(n -> Arguments.of(reference, model, n))));
    }

    static Stream<Arguments> referencesAndModels() {
        return REFERENCES.stream().flatMap(reference -> Arrays.stream(DigitsModel.values())
                .map(model -> Arguments.of(reference, model)));
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesModelsAndBatchSizes")
    void perExampleGradientsMatchSymgrad(Reference reference, DigitsModel model, int n) {
        double[] params = model.parameterValues();
        double[][] columns = Digits.columns(n);
        double[][] expected = oracle(model).perExampleGradients(params, columns);
        double[][] actual = filledWithNaN(params.length, n);

        reference.factory().apply(model).perExampleGradients(params, columns, actual);

        for (int p = 0; p < params.length; p++) {
            double scale = Arrays.stream(expected[p]).map(Math::abs).max().orElse(0);
            for (int i = 0; i < n; i++) {
                int parameter = p;
                int example = i;
                assertClose(expected[p][i], actual[p][i], scale, () -> reference + " on " + model + ", N=" + n
                        + ", route (a), example " + example + ", " + oracle(model).parameters().get(parameter));
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesModelsAndBatchSizes")
    void sumsMatchSymgrad(Reference reference, DigitsModel model, int n) {
        double[] params = model.parameterValues();
        double[][] columns = Digits.columns(n);
        ClippedGradientImplementation implementation = reference.factory().apply(model);
        double[] scale = summationScale(oracle(model), params, columns);
        double[] actual = filledWithNaN(1, params.length)[0];

        implementation.sumOfPerExampleGradients(params, columns, actual);
        assertSumsClose(oracle(model).sumOfPerExampleGradients(params, columns), actual, scale,
                reference + " on " + model + ", N=" + n + ", route (a) summed", oracle(model).parameters());

        Arrays.fill(actual, Double.NaN);
        implementation.gradientOfSum(params, columns, actual);
        assertSumsClose(oracle(model).gradientOfSum(params, columns), actual, scale,
                reference + " on " + model + ", N=" + n + ", route (b)", oracle(model).parameters());

        Arrays.fill(actual, Double.NaN);
        implementation.clippedGradientSum(params, columns, model.clipNorm(), actual);
        assertSumsClose(oracle(model).clippedGradientSum(params, columns, model.clipNorm()), actual, scale,
                reference + " on " + model + ", N=" + n + ", clipped sum", oracle(model).parameters());
    }

    @ParameterizedTest(name = "{0} on {1}, N={2}")
    @MethodSource("referencesModelsAndBatchSizes")
    void normsMatchSymgrad(Reference reference, DigitsModel model, int n) {
        double[] params = model.parameterValues();
        double[][] columns = Digits.columns(n);
        double[] expected = oracle(model).perExampleGradientNorms(params, columns);
        double[] actual = filledWithNaN(1, n)[0];

        reference.factory().apply(model).perExampleGradientNorms(params, columns, actual);

        for (int i = 0; i < n; i++) {
            int example = i;
            assertClose(expected[i], actual[i], expected[i],
                    () -> reference + " on " + model + ", N=" + n + ", norm of example " + example);
        }
    }

    @ParameterizedTest
    @EnumSource(DigitsModel.class)
    void clipNormClipsSomeExamplesButNotAll(DigitsModel model) {
        double[] norms = oracle(model).perExampleGradientNorms(model.parameterValues(), Digits.columns(301));
        long clipped = Arrays.stream(norms).filter(norm -> norm > model.clipNorm()).count();
        assertTrue(clipped > 30 && clipped < 270, clipped + " of 301 clipped");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("referencesAndModels")
    void clippedSumSkipsAnExampleWithANaNPixelLikeSymgrad(Reference reference, DigitsModel model) {
        double[] params = model.parameterValues();
        double[][] columns = Digits.columns(70);
        columns[20][66] = Double.NaN; // in the second of the best loops' blocks
        double[] expected = oracle(model).clippedGradientSum(params, columns, model.clipNorm());
        double[] actual = filledWithNaN(1, params.length)[0];

        reference.factory().apply(model).clippedGradientSum(params, columns, model.clipNorm(), actual);

        columns[20][66] = 0.0;
        assertSumsClose(expected, actual, summationScale(oracle(model), params, columns),
                reference + " on " + model + ", clipped sum with a NaN pixel", oracle(model).parameters());
    }

    private static synchronized CompiledLoss oracle(DigitsModel model) {
        return ORACLES.computeIfAbsent(model, DigitsModel::compile);
    }
}
