package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every function of the language through the vector backend's generated map loop, against
 * {@code StrictMath} (fdlibm) on 10 million random inputs across its domain: a quarter of them of small
 * magnitude (down to 1e-12 of the range), the rest uniform over it. The worst error is printed.
 */
class VectorAccuracyTest {

    private static final int INPUTS = 10_000_000;
    private static final int BATCH = 1 << 20;

    @ParameterizedTest(name = "{0} over [{1}, {2}] within {3} ulp")
    @CsvSource({
        "exp, -745, 710, 2", "log, 0, 0, 2", "log1p, -1, 50, 2", "expm1, -40, 709, 2", "tanh, -25, 25, 2",
        "sin, -1e4, 1e4, 2", "cos, -1e4, 1e4, 2", "tan, -1e4, 1e4, 2", "asin, -1, 1, 2", "acos, -1, 1, 2",
        "atan, -1e6, 1e6, 2", "sinh, -710, 710, 2", "cosh, -710, 710, 2", "cbrt, -1e9, 1e9, 2", "sqrt, 0, 1e9, 2",
    })
    void staysWithinTheBoundOfStrictMath(String function, double low, double high, double allowedUlps) {
        CompiledLoss loss = BackendLosses.compile("Math." + function + "(x)", List.of("w"), List.of("x"), Backend.VECTOR);
        DoubleUnaryOperator reference = strictMath(function);
        SplittableRandom random = new SplittableRandom(function.hashCode());
        double[] x = new double[BATCH];
        double[] out = new double[BATCH];
        double worst = 0;
        double worstAt = Double.NaN;
        double scale = Math.max(1, Math.min(Math.abs(low), Math.abs(high)));
        for (int done = 0; done < INPUTS; done += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                double value;
                if (function.equals("log")) {
                    value = Math.exp(random.nextDouble(-700, 700));
                } else if (i % 4 == 0) {
                    value = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-12, 1)) * scale;
                } else {
                    value = random.nextDouble(low, high);
                }
                x[i] = Math.max(low == 0 && high == 0 ? value : low, Math.min(high == 0 && low == 0 ? value : high, value));
            }
            loss.perExampleLossesInto(new double[] {0}, new double[][] {x}, out);
            for (int i = 0; i < BATCH; i++) {
                double error = ulps(out[i], reference.applyAsDouble(x[i]));
                if (error > worst) {
                    worst = error;
                    worstAt = x[i];
                }
            }
        }
        System.out.printf("vector %s: largest error %.1f ulp (at %s) over %,d inputs%n", function, worst, worstAt, INPUTS);
        double found = worst;
        double at = worstAt;
        assertTrue(worst <= allowedUlps, () -> function + ": " + found + " ulp at " + at);
    }

    private static double ulps(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (actual == expected) {
            return 0;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - expected) / Math.ulp(expected);
    }

    private static DoubleUnaryOperator strictMath(String function) {
        return switch (function) {
            case "exp" -> StrictMath::exp;
            case "log" -> StrictMath::log;
            case "log1p" -> StrictMath::log1p;
            case "expm1" -> StrictMath::expm1;
            case "tanh" -> StrictMath::tanh;
            case "sin" -> StrictMath::sin;
            case "cos" -> StrictMath::cos;
            case "tan" -> StrictMath::tan;
            case "asin" -> StrictMath::asin;
            case "acos" -> StrictMath::acos;
            case "atan" -> StrictMath::atan;
            case "sinh" -> StrictMath::sinh;
            case "cosh" -> StrictMath::cosh;
            case "cbrt" -> StrictMath::cbrt;
            case "sqrt" -> StrictMath::sqrt;
            default -> throw new IllegalArgumentException(function);
        };
    }
}
