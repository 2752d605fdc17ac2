package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The product's reference example, which must hold exactly. */
class ReferenceExampleTest {

    private final CompiledLoss loss = Symgrad.compile("(w * x) * (w * x)", List.of("w"), List.of("x"));
    private final double[] w = {1.0};
    private final double[][] batch = {{1.0, 2.0}};

    @Test
    void perExampleGradientsAreTwoAndEight() {
        assertArrayEquals(new double[][] {{2.0, 8.0}}, loss.perExampleGradients(w, batch));
    }

    @Test
    void bothRoutesGiveTen() {
        assertArrayEquals(new double[] {10.0}, loss.sumOfPerExampleGradients(w, batch));
        assertArrayEquals(new double[] {10.0}, loss.gradientOfSum(w, batch));
    }

    @Test
    void lossAndTotalLoss() {
        assertEquals(4.0, loss.loss(w, new double[] {2.0}));
        assertArrayEquals(new double[] {1.0, 4.0}, loss.perExampleLosses(w, batch));
        assertEquals(5.0, loss.totalLoss(w, batch));
    }

    @Test
    void printsTheSimplifiedDerivative() {
        assertEquals("2.0 * w * (x * x)", loss.derivative("w"));
    }
}
