package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.MarginDerivatives;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.diagnostic.CompileError;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MarginDerivatives} on random losses over the whole language, with the random losses' parameters
 * {@code w, b} taken as the margins and {@code x, y} as the other inputs: g and h of one example and of a
 * batch against Hipparchus' forward mode of order 2 ({@link DerivativeOracle}), and against central
 * differences of the generated loss and of the generated g. Points near a kink are skipped, as for the
 * gradient ({@link GradientOracleTest}); so are the losses that do not use both margins, which the
 * compiler refuses.
 */
class MarginDerivativesOracleTest extends RandomLossArbitraries {

    private static final double ORACLE_RELATIVE = 1e-7;
    private static final double KINK_RELATIVE = 1e-6;
    private static final List<String> MARGINS = RandomLosses.PARAMETERS;
    private static final int K = MARGINS.size();

    private final DerivativeOracle secondOrder = new DerivativeOracle(MARGINS, RandomLosses.INPUTS, 2);
    private final DerivativeOracle fourthOrder = new DerivativeOracle(MARGINS, RandomLosses.INPUTS, 4);

    @Property(tries = 200)
    void firstAndSecondDerivativesAgreeWithForwardModeOfOrderTwo(@ForAll("losses") String source,
                                                                 @ForAll("points") Point point) {
        DerivativeOracle.Comparison comparison = secondOrder.comparableAt(source, point, ORACLE_RELATIVE, KINK_RELATIVE);
        MarginDerivatives derivatives = compiled(source);
        double tolerance = comparison.tolerance();
        double[] one = derivatives.derivatives(example(point));
        MarginDerivatives.Batch batch = derivatives.derivatives(columns(point));
        for (int k = 0; k < K; k++) {
            int[] first = new int[K];
            first[k] = 1;
            int[] second = new int[K];
            second[k] = 2;
            double g = comparison.expected().value().getPartialDerivative(first);
            double h = comparison.expected().value().getPartialDerivative(second);
            Assume.that(Double.isFinite(h));
            String where = " of " + source + " at " + point + ", tolerance " + tolerance;
            assertClose(g, one[k], tolerance * Math.max(1, Math.abs(g)), "g_" + MARGINS.get(k) + where);
            assertClose(h, one[K + k], tolerance * Math.max(1, Math.abs(h)), "h_" + MARGINS.get(k) + where);
            assertClose(g, batch.gradient()[k][0], tolerance * Math.max(1, Math.abs(g)), "batch g_" + MARGINS.get(k) + where);
            assertClose(h, batch.hessian()[k][0], tolerance * Math.max(1, Math.abs(h)), "batch h_" + MARGINS.get(k) + where);
        }
        Statistics.label("second derivative").collect(Math.abs(one[K]) > 0 || Math.abs(one[K + 1]) > 0 ? "nonzero" : "zero");
    }

    @Property(tries = 200)
    void firstAndSecondDerivativesAgreeWithCentralDifferences(@ForAll("losses") String source,
                                                              @ForAll("points") Point point) {
        DerivativeOracle.Evaluation center = fourthOrder.evaluate(source, point.params(), point.example());
        Assume.that(!center.rejected() && center.finite() && center.isClearOfKinks(KINK_RELATIVE));
        MarginDerivatives derivatives = compiled(source);
        double[] atCenter = derivatives.derivatives(example(point));
        for (int k = 0; k < K; k++) {
            double[] plus = point.params().clone();
            double[] minus = point.params().clone();
            double step = 1e-4 * Math.max(1, Math.abs(point.params()[k]));
            plus[k] += step;
            minus[k] -= step;
            DerivativeOracle.Evaluation above = fourthOrder.evaluate(source, plus, point.example());
            DerivativeOracle.Evaluation below = fourthOrder.evaluate(source, minus, point.example());
            Assume.that(above.path().equals(center.path()) && below.path().equals(center.path()));
            Assume.that(above.finite() && below.finite());
            double width = plus[k] - minus[k];
            Point up = new Point(plus, point.example());
            Point down = new Point(minus, point.example());
            double magnitude = Math.max(center.magnitude(), Math.max(above.magnitude(), below.magnitude()));

            double lossDifference = (derivatives.loss(example(up)) - derivatives.loss(example(down))) / width;
            double g = atCenter[k];
            double gTolerance = 10 * (width * width / 24) * largestPartial(k, 3, center, above, below)
                    + 1e-13 * magnitude / width + 1e-7 * Math.max(1, Math.abs(g));
            assertClose(lossDifference, g, gTolerance, "g_" + MARGINS.get(k) + " of " + source + " at " + point
                    + ": central difference " + lossDifference + ", tolerance " + gTolerance);

            double gDifference = (derivatives.derivatives(example(up))[k] - derivatives.derivatives(example(down))[k])
                    / width;
            double h = atCenter[K + k];
            // g's rounding is relative to the size of the first derivatives the oracle saw, not the loss's.
            double hTolerance = 10 * (width * width / 24) * largestPartial(k, 4, center, above, below)
                    + 1e-12 * Math.max(magnitude, Math.abs(g)) / width + 1e-6 * Math.max(1, Math.abs(h));
            assertClose(gDifference, h, hTolerance, "h_" + MARGINS.get(k) + " of " + source + " at " + point
                    + ": central difference of g " + gDifference + ", tolerance " + hTolerance);
        }
    }

    private static MarginDerivatives compiled(String source) {
        try {
            return Symgrad.compileMarginDerivatives(source, MARGINS, RandomLosses.INPUTS);
        } catch (CompileError e) {
            // A loss that does not use a margin is refused; every other random loss compiles.
            Assume.that(!e.getMessage().contains("does not depend on the margin"));
            throw e;
        }
    }

    private static double largestPartial(int k, int order, DerivativeOracle.Evaluation... evaluations) {
        int[] orders = new int[K];
        orders[k] = order;
        double largest = 0;
        for (DerivativeOracle.Evaluation evaluation : evaluations) {
            largest = Math.max(largest, Math.abs(evaluation.value().getPartialDerivative(orders)));
        }
        return largest;
    }

    /** The margins (the point's parameters), then the inputs. */
    private static double[] example(Point point) {
        double[] example = new double[K + point.example().length];
        System.arraycopy(point.params(), 0, example, 0, K);
        System.arraycopy(point.example(), 0, example, K, point.example().length);
        return example;
    }

    private static double[][] columns(Point point) {
        double[] example = example(point);
        double[][] columns = new double[example.length][];
        for (int c = 0; c < example.length; c++) {
            columns[c] = new double[] {example[c]};
        }
        return columns;
    }

    private static void assertClose(double expected, double actual, double tolerance, String message) {
        assertTrue(Math.abs(expected - actual) <= tolerance, message + ": expected " + expected + " but was " + actual);
    }
}
