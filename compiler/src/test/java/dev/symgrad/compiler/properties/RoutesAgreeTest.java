package dev.symgrad.compiler.properties;

import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route (a), the per-example gradients summed, and route (b), the gradient of the summed loss, are the
 * same vector by linearity; they are computed by different code (route (b) factors what does not
 * depend on the example out of its sums), so they agree up to rounding: within
 * {@link RouteAgreementBound}, a first-order bound on the rounding of the operations only one route
 * performs, including {@code (N−1)·2⁻⁵³·Σ|term|} for each batch sum of N terms. Most of the time the
 * two routes are bit-identical; where they are not, the difference used up to 62 % of the bound in
 * 44,000 tries.
 *
 * <p>The tolerance before that bound, {@code 1e-9 · Σ_i max(1, M_i)} with {@code M_i} the largest
 * intermediate value or first derivative of example i according to {@link DerivativeOracle}, still
 * caps it where the first-order bound is infinite (a possible pole of {@code tan} or a test that could
 * flip; not seen in those tries). Elsewhere it was 10⁵ times the first-order bound or more.
 */
class RoutesAgreeTest {

    private static final double FORMER_RELATIVE = 1e-9;

    private final DerivativeOracle oracle = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 1);

    @Provide
    Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    @Provide
    Arbitrary<Batch> batches() {
        return Batch.batches();
    }

    @Provide
    Arbitrary<Batch> tailBatches() {
        return Arbitraries.of(Batch.TAIL_SIZES).flatMap(Batch::ofSize);
    }

    @Provide
    Arbitrary<Point> points() {
        return Point.points();
    }

    @Property(tries = 150)
    void routesAgreeOnRandomBatches(@ForAll("losses") String source, @ForAll("batches") Batch batch) {
        assertRoutesAgree(source, batch);
    }

    @Provide
    Arbitrary<String> separableLosses() {
        return RandomLosses.separableLosses();
    }

    @Property(tries = 150)
    void routesAgreeWhereRouteBFactorsItsSums(@ForAll("separableLosses") String source, @ForAll("batches") Batch batch) {
        assertRoutesAgree(source, batch);
    }

    @Provide
    Arbitrary<String> deepOrSeparableLosses() {
        return Arbitraries.oneOf(RandomLosses.losses(), RandomLosses.separableLosses());
    }

    @Property(tries = 100)
    void routesAgreeOnEveryLoopTail(@ForAll("deepOrSeparableLosses") String source, @ForAll("tailBatches") Batch batch) {
        assertRoutesAgree(source, batch);
    }

    /** Σ over no examples is 0 even where a factor route (b) pulls out of its sums is NaN or infinite. */
    @Property(tries = 50)
    void bothRoutesAndTheTotalLossAreZeroOnAnEmptyBatch(@ForAll("losses") String source, @ForAll("points") Point point) {
        Assume.that(!oracle.rejects(source));
        CompiledLoss loss = CompiledProgram.compile(source).loss();
        double[][] empty = {{}, {}};
        double[] zeros = new double[RandomLosses.PARAMETERS.size()];
        // Compared numerically (delta 0): -0.0 is a fine zero, NaN is not.
        assertArrayEquals(zeros, loss.sumOfPerExampleGradients(point.params(), empty), 0.0, source);
        assertArrayEquals(zeros, loss.gradientOfSum(point.params(), empty), 0.0, source);
        assertEquals(0.0, loss.totalLoss(point.params(), empty), 0.0, source);
    }

    private void assertRoutesAgree(String source, Batch batch) {
        Assume.that(!oracle.rejects(source));
        double scale = 0;
        for (int i = 0; i < batch.size(); i++) {
            DerivativeOracle.Evaluation evaluation = oracle.evaluate(source, batch.params(), batch.example(i));
            Assume.that(evaluation.finite());
            scale += Math.max(1, evaluation.magnitude());
        }
        CompiledProgram compiled = CompiledProgram.compile(source);
        CompiledLoss loss = compiled.loss();
        double[] routeA = loss.sumOfPerExampleGradients(batch.params(), batch.columns());
        double[] routeB = loss.gradientOfSum(batch.params(), batch.columns());
        double[] bounds = RouteAgreementBound.of(compiled.program(), batch.params(), batch.columns());
        for (int p = 0; p < routeA.length; p++) {
            // Identical results agree, infinities and NaN included.
            boolean identical = Double.compare(routeA[p], routeB[p]) == 0;
            double tolerance = Math.min(bounds[p], FORMER_RELATIVE * scale);
            assertTrue(identical || Math.abs(routeA[p] - routeB[p]) <= tolerance,
                    "route (a) " + Arrays.toString(routeA) + " and route (b) " + Arrays.toString(routeB)
                            + " differ by more than " + tolerance + " (first-order bounds " + Arrays.toString(bounds)
                            + ") for " + source + " with " + batch);
        }
    }
}
