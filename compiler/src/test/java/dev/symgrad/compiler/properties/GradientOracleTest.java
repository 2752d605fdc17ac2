package dev.symgrad.compiler.properties;

import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled loss and gradient agree with two references that share nothing with the compiler: the
 * forward-mode {@link DerivativeOracle} (Hipparchus) and central finite differences of the compiled loss
 * itself. Points where the loss is not smooth are skipped: within rounding of a comparison switching,
 * of {@code abs} at 0, of a {@code max}/{@code min} tie; for finite differences, also every point whose
 * two probes fall on different sides of such a spot. The oracle comparison also skips points where the
 * loss is so ill-conditioned that rounding alone moves it beyond the tolerance
 * ({@link DerivativeOracle#isWellConditioned}).
 */
class GradientOracleTest extends RandomLossArbitraries {

    /** Symbolic and forward-mode derivatives differ only by rounding: relative to the intermediates' size. */
    private static final double ORACLE_RELATIVE = 1e-8;

    /** Kinks closer than this, relative to the size of the compared values, could switch under rounding. */
    private static final double KINK_RELATIVE = 1e-6;

    private static final int P = RandomLosses.PARAMETERS.size();

    private final DerivativeOracle firstOrder = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 1);
    private final DerivativeOracle thirdOrder = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 3);

    @Property(tries = 200)
    void lossAndGradientAgreeWithForwardModeOracle(@ForAll("losses") String source, @ForAll("points") Point point) {
        DerivativeOracle.Comparison comparison = firstOrder.comparableAt(source, point, ORACLE_RELATIVE, KINK_RELATIVE);
        DerivativeOracle.Evaluation expected = comparison.expected();
        double tolerance = comparison.tolerance();
        CompiledLoss loss = CompiledProgram.compile(source).loss();
        String where = source + " at " + point + ", tolerance " + tolerance;

        double value = loss.loss(point.params(), point.example());
        assertClose(expected.value().getValue(), value, tolerance, "loss of " + where);
        double[] gradient = loss.gradient(point.params(), point.example());
        for (int p = 0; p < P; p++) {
            assertClose(expected.partial(p, P), gradient[p], tolerance,
                    "d/d" + RandomLosses.PARAMETERS.get(p) + " of " + where + "; gradient " + Arrays.toString(gradient));
        }
    }

    @Property(tries = 200)
    void gradientAgreesWithCentralDifferences(@ForAll("losses") String source, @ForAll("points") Point point) {
        DerivativeOracle.Evaluation center = thirdOrder.evaluate(source, point.params(), point.example());
        Assume.that(!center.rejected() && center.finite() && center.isClearOfKinks(KINK_RELATIVE));
        CompiledLoss loss = CompiledProgram.compile(source).loss();
        double[] gradient = loss.gradient(point.params(), point.example());
        for (int p = 0; p < P; p++) {
            double[] plus = point.params().clone();
            double[] minus = point.params().clone();
            double h = 1e-5 * Math.max(1, Math.abs(point.params()[p]));
            plus[p] += h;
            minus[p] -= h;
            DerivativeOracle.Evaluation above = thirdOrder.evaluate(source, plus, point.example());
            DerivativeOracle.Evaluation below = thirdOrder.evaluate(source, minus, point.example());
            // Both probes on the same side of every kink as the center, and the loss finite there.
            Assume.that(above.path().equals(center.path()) && below.path().equals(center.path()));
            Assume.that(above.finite() && below.finite());

            double step = plus[p] - minus[p];
            double difference = (loss.loss(plus, point.example()) - loss.loss(minus, point.example())) / step;
            int[] third = new int[P];
            third[p] = 3;
            double thirdDerivative = Math.max(Math.abs(center.value().getPartialDerivative(third)),
                    Math.max(Math.abs(above.value().getPartialDerivative(third)),
                            Math.abs(below.value().getPartialDerivative(third))));
            double magnitude = Math.max(center.magnitude(), Math.max(above.magnitude(), below.magnitude()));
            // Truncation (h²/6)·|f'''| with a safety factor, plus the rounding of both loss values
            // (relative to the intermediates' size) divided by the step.
            double tolerance = 10 * (step * step / 24) * thirdDerivative + 1e-13 * magnitude / step
                    + 1e-7 * Math.max(1, Math.abs(gradient[p]));
            assertClose(difference, gradient[p], tolerance, "d/d" + RandomLosses.PARAMETERS.get(p) + " of " + source
                    + " at " + point + ": central difference " + difference + ", tolerance " + tolerance);
        }
    }

    private static void assertClose(double expected, double actual, double tolerance, String message) {
        assertTrue(Math.abs(expected - actual) <= tolerance, message + ": expected " + expected + " but was " + actual);
    }
}
