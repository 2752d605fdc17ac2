package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.ir.UnaryOp;

import java.util.function.DoubleUnaryOperator;

/**
 * How much an operation can magnify an error in its arguments: the largest |f'| over the interval an
 * argument may lie in, for the running error bounds of the tests ({@link RouteAgreementBound}, the
 * vector backend's bound). NaN means no bound: the interval leaves the function's domain or holds a pole.
 */
public final class Slopes {

    private Slopes() {
    }

    /** The largest |f'| of {@code op} over [x - e, x + e] (sampled at both ends and x); NaN where unbounded. */
    public static double unary(UnaryOp op, double x, double e) {
        if (op == UnaryOp.TAN && Math.signum(Math.cos(x - e)) != Math.signum(Math.cos(x + e))) {
            return Double.NaN; // a pole of tan may lie within the error
        }
        return switch (op) {
            case NEG, ABS, SIN, COS, TANH, STOP_GRADIENT -> 1;
            case EXP, EXPM1 -> largest(Math::exp, x, e);
            case LOG -> largest(t -> 1 / t, x, e);
            case LOG1P -> largest(t -> 1 / (1 + t), x, e);
            case SQRT -> largest(t -> 0.5 / Math.sqrt(t), x, e);
            case CBRT -> largest(t -> 1 / (3 * Math.cbrt(t) * Math.cbrt(t)), x, e);
            case TAN -> largest(t -> 1 / (Math.cos(t) * Math.cos(t)), x, e);
            case ASIN, ACOS -> largest(t -> 1 / Math.sqrt(1 - t * t), x, e);
            case ATAN -> 1 / (1 + Math.max(0, Math.abs(x) - e) * Math.max(0, Math.abs(x) - e));
            case SINH, COSH -> largest(Math::cosh, x, e);
            case SIGMOID -> 0.25; // σ' = σ(1 - σ) is at most 1/4
        };
    }

    /** The error of {@code pow(x, y)} carried from errors {@code ex} and {@code ey} of its arguments. */
    public static double pow(double x, double y, double ex, double ey) {
        double carried = 0;
        if (ex != 0) {
            carried += ex * largest(t -> y * Math.pow(t, y - 1), x, ex);
        }
        if (ey != 0) {
            carried += ey * largest(t -> Math.log(x) * Math.pow(x, t), y, ey);
        }
        return carried;
    }

    /** The largest |f'| at x - e, x and x + e; NaN (no bound) where one of them is outside the domain. */
    static double largest(DoubleUnaryOperator derivative, double x, double e) {
        double a = Math.abs(derivative.applyAsDouble(x - e));
        double b = Math.abs(derivative.applyAsDouble(x));
        double c = Math.abs(derivative.applyAsDouble(x + e));
        return Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c) ? Double.NaN : Math.max(a, Math.max(b, c));
    }
}
