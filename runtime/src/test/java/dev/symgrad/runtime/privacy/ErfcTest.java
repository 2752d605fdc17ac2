package dev.symgrad.runtime.privacy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code log(erfc(x))} against 40-digit values, across Cody's three intervals and far into the tail. */
class ErfcTest {

    /** {x, log(erfc(x))}, computed with mpmath at 40 digits: {@code mp.log(mp.erfc(x))}. */
    private static final double[][] REFERENCE = {
        {-26.5, 0.69314718055994531},
        {-5.0, 0.69314718055917658},
        {-1.0, 0.61123231767807049},
        {-0.47, 0.40128642347785672},
        {-0.25, 0.24398594388138443},
        {0.0, 0.0},
        {1e-10, -1.1283791671591746e-10},
        {0.2, -0.25193223378261666},
        {0.46875, -0.6784821856143961},
        {0.5, -0.7350111298370844},
        {0.9, -1.5940972465793173},
        {1.5, -3.3844920895515527},
        {3.99, -17.905511883835881},
        {4.0, -17.987778312103007},
        {4.5, -22.349768303435941},
        {7.0, -51.528231093710153},
        {26.0, -679.83119976319423},
        {26.6, -711.41398156849612}, // erfc itself underflows to 0 beyond about 26.55
        {40.0, -1604.2615566532736},
        {1000.0, -1.0000074801207219e+6},
        {1e8, -1.0000000000000019e+16},
    };

    @Test
    void agreesWithMultiPrecisionToAFewUlps() {
        for (double[] point : REFERENCE) {
            assertEquals(point[1], Erfc.log(point[0]), 1e-14 * Math.abs(point[1]), "x = " + point[0]);
        }
    }

    @Test
    void limits() {
        assertEquals(Math.log(2), Erfc.log(Double.NEGATIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, Erfc.log(Double.POSITIVE_INFINITY));
        assertEquals(Double.NaN, Erfc.log(Double.NaN));
    }
}
