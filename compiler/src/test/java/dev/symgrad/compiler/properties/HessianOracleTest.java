package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.SecondOrderLoss;
import dev.symgrad.compiler.Symgrad;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second derivatives ({@link SecondOrderLoss}: the Hessian from the generated auxiliary loss Σ_p v_p·∂f/∂w_p,
 * the diagonal from its own generated class) against
 * Hipparchus' forward mode of order 2 ({@link DerivativeOracle}), which shares nothing with the compiler,
 * on random losses over the whole language; points near a kink are skipped as for the gradient.
 */
class HessianOracleTest extends RandomLossArbitraries {

    private static final double ORACLE_RELATIVE = 1e-7;
    private static final double KINK_RELATIVE = 1e-6;
    private static final int P = RandomLosses.PARAMETERS.size();

    private final DerivativeOracle secondOrder = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 2);

    @Property(tries = 150)
    void hessianAgreesWithForwardModeOfOrderTwo(@ForAll("losses") String source, @ForAll("points") Point point) {
        DerivativeOracle.Comparison comparison = secondOrder.comparableAt(source, point, ORACLE_RELATIVE, KINK_RELATIVE);
        DerivativeOracle.Evaluation expected = comparison.expected();
        double tolerance = comparison.tolerance();
        SecondOrderLoss loss = Symgrad.compileSecondOrder(source, RandomLosses.PARAMETERS, RandomLosses.INPUTS);
        double[][] hessian = loss.hessian(point.params(), point.example());
        double[] diagonal = loss.hessianDiagonal(point.params(), point.example());
        for (int p = 0; p < P; p++) {
            for (int q = 0; q < P; q++) {
                int[] orders = new int[P];
                orders[p]++;
                orders[q]++;
                double reference = expected.value().getPartialDerivative(orders);
                Assume.that(Double.isFinite(reference));
                double scale = tolerance * Math.max(1, Math.abs(reference));
                assertTrue(Math.abs(reference - hessian[p][q]) <= scale, "∂²/∂" + RandomLosses.PARAMETERS.get(p) + "∂"
                        + RandomLosses.PARAMETERS.get(q) + " of " + source + " at " + point + ": expected " + reference
                        + " but was " + hessian[p][q]);
                if (p == q) {
                    assertTrue(Math.abs(reference - diagonal[p]) <= scale, "diagonal ∂²/∂" + RandomLosses.PARAMETERS.get(p)
                            + "² of " + source + " at " + point + ": expected " + reference + " but was " + diagonal[p]);
                }
            }
        }
    }
}
