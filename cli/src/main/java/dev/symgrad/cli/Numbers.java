package dev.symgrad.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Decimal text for doubles that reads back as the same double, in as few digits as possible. */
final class Numbers {

    /** From JDK 19 on, {@code Double.toString} is already the shortest round-trip form (JDK-4511638). */
    private static final boolean TO_STRING_IS_SHORTEST = Runtime.version().feature() >= 19;

    private Numbers() {
    }

    /** {@code 10.0}, {@code 0.1}, {@code 1.0E-7}; {@code NaN}, {@code Infinity}, {@code -Infinity} as Java prints them. */
    static String shortest(double value) {
        String text = Double.toString(value);
        if (TO_STRING_IS_SHORTEST || !Double.isFinite(value) || significantDigits(text) < 16) {
            return text;
        }
        // Older JDKs sometimes print more digits than needed: find the fewest that still round-trip.
        BigDecimal exact = new BigDecimal(value);
        String best = text;
        for (int digits = significantDigits(text) - 1; digits >= 1; digits--) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() != value) {
                break;
            }
            best = rounded.toString();
        }
        return best;
    }

    private static int significantDigits(String text) {
        int end = text.indexOf('E');
        String mantissa = end < 0 ? text : text.substring(0, end);
        String digits = mantissa.replace("-", "").replace(".", "").replaceFirst("^0+", "");
        digits = digits.replaceFirst("0+$", "");
        return Math.max(1, digits.length());
    }
}
