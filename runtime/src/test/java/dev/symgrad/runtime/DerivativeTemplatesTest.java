package dev.symgrad.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a derivative template becomes one element's derivative. */
class DerivativeTemplatesTest {

    private static final String[] K0_K1 = {"k0", "k1"};

    @Test
    void replacesEachIndexNameByItsPosition() {
        assertEquals("x[3] * V[3][5] + 5 * t",
                DerivativeTemplates.substitute("x[k0] * V[k0][k1] + k1 * t", K0_K1, new int[] {3, 5}));
    }

    @Test
    void replacesWholeWordsOnly() {
        assertEquals("7 + k10 + xk1 + k1_ + k1$ + _k1 + Math.exp(7)",
                DerivativeTemplates.substitute("k1 + k10 + xk1 + k1_ + k1$ + _k1 + Math.exp(k1)", K0_K1,
                        new int[] {0, 7}));
    }

    @Test
    void leavesNumbersAlone() {
        assertEquals("1e-5 * 4 + 2.0 * x[4]", DerivativeTemplates.substitute("1e-5 * k0 + 2.0 * x[k0]", K0_K1,
                new int[] {4, 0}));
    }

    @Test
    void readsLettersBeyondTheBasicPlaneAsLetters() {
        // U+1D465 MATHEMATICAL ITALIC SMALL X, one letter in two chars: 𝑥k0 is one word.
        assertEquals("\uD835\uDC65k0 + 2", DerivativeTemplates.substitute("\uD835\uDC65k0 + k0", K0_K1, new int[] {2, 0}));
    }

    @Test
    void aTemplateWithoutIndexNamesIsTheDerivative() {
        assertEquals("k0 * x[k1]", DerivativeTemplates.substitute("k0 * x[k1]", new String[0], new int[0]));
    }
}
