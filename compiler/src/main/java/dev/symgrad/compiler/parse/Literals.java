package dev.symgrad.compiler.parse;

/** Java numeric literal values, decoded by the rules of JLS §3.10 rather than by evaluating anything. */
final class Literals {

    private Literals() {
    }

    /**
     * The value of an integer literal ({@code 42}, {@code 0x2A}, {@code 052}, {@code 0b101010},
     * {@code 1_000}, with or without {@code L}). Hex, octal and binary literals may use all bits, as in
     * Java ({@code 0xFFFFFFFF == -1}).
     *
     * @throws NumberFormatException if the literal does not fit its type
     */
    static long parseInteger(String text, boolean isLong) {
        String digits = text.replace("_", "");
        if (digits.endsWith("L") || digits.endsWith("l")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b") || digits.startsWith("0B")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        long value = Long.parseUnsignedLong(digits, radix);
        if (radix == 10) {
            // 2^31 and 2^63 are allowed only as the operand of unary minus; accepting them here and
            // negating later gives exactly Java's MIN_VALUE.
            long decimalLimit = isLong ? Long.MIN_VALUE : 1L << 31;
            if (Long.compareUnsigned(value, decimalLimit) > 0) {
                throw new NumberFormatException(text);
            }
            return value;
        }
        if (!isLong) {
            if (Long.compareUnsigned(value, 0xFFFF_FFFFL) > 0) {
                throw new NumberFormatException(text);
            }
            return (int) value;
        }
        return value;
    }

    /** True if the literal's significand has a nonzero digit (so a zero value means underflow). */
    static boolean hasNonZeroDigit(String text) {
        String digits = text.replace("_", "");
        boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
        int end = digits.length();
        for (int i = hex ? 2 : 0; i < digits.length(); i++) {
            char c = Character.toLowerCase(digits.charAt(i));
            if (hex ? c == 'p' : c == 'e') {
                end = i;
                break;
            }
        }
        for (int i = hex ? 2 : 0; i < end; i++) {
            char c = digits.charAt(i);
            if (Character.digit(c, hex ? 16 : 10) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The value of a floating-point literal; a {@code float} literal is rounded to float first, as in Java. */
    static double parseFloatingPoint(String text) {
        String digits = text.replace("_", "");
        if (digits.endsWith("f") || digits.endsWith("F")) {
            return Float.parseFloat(digits);
        }
        return Double.parseDouble(digits);
    }
}
