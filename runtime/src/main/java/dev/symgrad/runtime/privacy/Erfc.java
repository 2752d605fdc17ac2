package dev.symgrad.runtime.privacy;

/**
 * The logarithm of the complementary error function, accurate to a few ulps for every {@code x}, including
 * far in the tail where {@code erfc(x)} itself underflows (the accountant needs {@code log erfc} of
 * arguments beyond 30).
 *
 * <p>The approximations are W. J. Cody's, "Rational Chebyshev approximations for the error function",
 * Mathematics of Computation 23 (1969) 631–637, with the coefficients and interval split of his SPECFUN
 * routine {@code CALERF} (Netlib): {@code erf} on {@code |x| <= 0.46875}, {@code exp(x²)·erfc(x)} on
 * {@code (0.46875, 4]} and an asymptotic form in {@code 1/x²} beyond 4. Working with
 * {@code -x² + log(exp(x²)·erfc(x))} instead of {@code erfc(x)} is what keeps the tail finite; Opacus gets
 * the same quantity from SciPy as {@code log(2) + log_ndtr(-x·√2)}.
 */
final class Erfc {

    private static final double ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;
    private static final double SMALL = 1.11e-16;
    private static final double FIRST_INTERVAL_END = 0.46875;
    private static final double SECOND_INTERVAL_END = 4.0;

    // erf(x) ≈ x·A(x²)/B(x²) on |x| <= 0.46875
    private static final double[] A = {
        3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
        1.85777706184603153e-1};
    private static final double[] B = {
        2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03};

    // exp(x²)·erfc(x) ≈ C(x)/D(x) on 0.46875 < x <= 4
    private static final double[] C = {
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
        8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8};
    private static final double[] D = {
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
        3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};

    // exp(x²)·erfc(x) ≈ (1/√π - s·P(s)/Q(s)) / x with s = 1/x², for x > 4
    private static final double[] P = {
        3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
        6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {
        2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
        2.33520497626869185e-3};

    private Erfc() {}

    /** {@code log(erfc(x))}; {@code NaN} for {@code NaN}, {@code log 2} at {@code -∞}, {@code -∞} at {@code +∞}. */
    static double log(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? Double.NEGATIVE_INFINITY : Math.log(2.0);
        }
        double y = Math.abs(x);
        if (y <= FIRST_INTERVAL_END) {
            return Math.log1p(-erfNearZero(x));
        }
        double logErfcOfY = logErfcBeyondFirstInterval(y);
        // erfc(-y) = 2 - erfc(y), and erfc(y) < 0.51 here, so the subtraction loses nothing.
        return x > 0 ? logErfcOfY : Math.log(2.0 - Math.exp(logErfcOfY));
    }

    private static double erfNearZero(double x) {
        double y = Math.abs(x);
        double ysq = y > SMALL ? y * y : 0.0;
        double numerator = A[4] * ysq;
        double denominator = ysq;
        for (int i = 0; i < 3; i++) {
            numerator = (numerator + A[i]) * ysq;
            denominator = (denominator + B[i]) * ysq;
        }
        return x * (numerator + A[3]) / (denominator + B[3]);
    }

    /** {@code log(erfc(y))} for {@code y > 0.46875}, as {@code -y² + log(exp(y²)·erfc(y))}. */
    private static double logErfcBeyondFirstInterval(double y) {
        double scaled;
        if (y <= SECOND_INTERVAL_END) {
            double numerator = C[8] * y;
            double denominator = y;
            for (int i = 0; i < 7; i++) {
                numerator = (numerator + C[i]) * y;
                denominator = (denominator + D[i]) * y;
            }
            scaled = (numerator + C[7]) / (denominator + D[7]);
        } else {
            double s = 1.0 / (y * y);
            double numerator = P[5] * s;
            double denominator = s;
            for (int i = 0; i < 4; i++) {
                numerator = (numerator + P[i]) * s;
                denominator = (denominator + Q[i]) * s;
            }
            double correction = s * (numerator + P[4]) / (denominator + Q[4]);
            scaled = (ONE_OVER_SQRT_PI - correction) / y;
        }
        // Cody's split y² = ys² + (y - ys)(y + ys) with ys = y rounded down to 1/16: ys² is exact.
        double ys = Math.floor(16.0 * y) / 16.0;
        double rest = (y - ys) * (y + ys);
        return -ys * ys - rest + Math.log(scaled);
    }
}
