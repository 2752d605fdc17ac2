package dev.symgrad.runtime.privacy;

/**
 * Sums and differences of numbers stored as their natural logarithms ({@code -∞} stands for 0), as in
 * Opacus' {@code _log_add} and {@code _log_sub} ({@code opacus/accountants/analysis/rdp.py}).
 */
final class LogSpace {

    private LogSpace() {}

    /** {@code log(exp(logX) + exp(logY))}, without overflow. */
    static double add(double logX, double logY) {
        double smaller = Math.min(logX, logY);
        double larger = Math.max(logX, logY);
        if (smaller == Double.NEGATIVE_INFINITY) {
            return larger;
        }
        // exp(a) + exp(b) = (exp(a - b) + 1) * exp(b)
        return Math.log1p(Math.exp(smaller - larger)) + larger;
    }

    /**
     * {@code log(exp(logX) - exp(logY))} for {@code logX >= logY}.
     *
     * @throws ArithmeticException if {@code logX < logY} (the difference would be negative), as Opacus
     *     raises {@code ValueError}
     */
    static double subtract(double logX, double logY) {
        if (logX < logY) {
            throw new ArithmeticException("log-space subtraction would be negative: log x = " + logX
                    + " < log y = " + logY);
        }
        if (logY == Double.NEGATIVE_INFINITY) {
            return logX;
        }
        if (logX == logY) {
            return Double.NEGATIVE_INFINITY;
        }
        // exp(x) - exp(y) = (exp(x - y) - 1) * exp(y); where expm1 overflows, exp(y) is negligible.
        double expm1 = Math.expm1(logX - logY);
        return Double.isInfinite(expm1) ? logX : Math.log(expm1) + logY;
    }
}
