package dev.symgrad.compiler.ir;

import dev.symgrad.runtime.StableMath;

/** Operators of one operand: negation and the one-argument {@code Math} functions. */
public enum UnaryOp {
    NEG("-"),
    EXP("exp"),
    LOG("log"),
    LOG1P("log1p"),
    EXPM1("expm1"),
    SQRT("sqrt"),
    CBRT("cbrt"),
    SIN("sin"),
    COS("cos"),
    TAN("tan"),
    ASIN("asin"),
    ACOS("acos"),
    ATAN("atan"),
    SINH("sinh"),
    COSH("cosh"),
    TANH("tanh"),
    ABS("abs"),
    /**
     * The logistic function, {@code StableMath.sigmoid}: not in {@code Math}, but what the simplifier
     * puts in place of {@code exp(a) / (1 + exp(a))} and the derivative of softplus (README, "Overflow").
     */
    SIGMOID("sigmoid"),
    /**
     * The identity, through which nothing is differentiated (JAX's {@code stop_gradient}): the shift of a
     * written-out log-sum-exp, {@code StableExponentials}. Not in the language; the generated code and the
     * printed forms give its operand.
     */
    STOP_GRADIENT("stopGradient");

    /** The class of the functions the simplifier introduces, {@link #isStable()}. */
    public static final String STABLE_MATH = "dev/symgrad/runtime/StableMath";

    private final String spelling;

    UnaryOp(String spelling) {
        this.spelling = spelling;
    }

    /** {@code "-"} for negation, otherwise the {@code Math} method name. */
    public String spelling() {
        return spelling;
    }

    /** True for the functions spelled {@code Math.name(...)}. */
    public boolean isFunction() {
        return this != NEG && this != STOP_GRADIENT;
    }

    /** True for the overflow-free functions of {@code StableMath}, which a loss spells {@code StableMath.name}. */
    public boolean isStable() {
        return this == SIGMOID;
    }

    /** The internal name of the class whose static method computes the function. */
    public String owner() {
        return isStable() ? STABLE_MATH : "java/lang/Math";
    }

    /** The value, computed exactly as the generated code computes it (the same {@code Math} method). */
    public double apply(double operand) {
        // A switch rather than a lambda per constant: 18 lambda classes spun at class initialization
        // were several milliseconds of every JVM's first compile (docs/compile-latency.md, cold start).
        return switch (this) {
            case NEG -> -operand;
            case EXP -> Math.exp(operand);
            case LOG -> Math.log(operand);
            case LOG1P -> Math.log1p(operand);
            case EXPM1 -> Math.expm1(operand);
            case SQRT -> Math.sqrt(operand);
            case CBRT -> Math.cbrt(operand);
            case SIN -> Math.sin(operand);
            case COS -> Math.cos(operand);
            case TAN -> Math.tan(operand);
            case ASIN -> Math.asin(operand);
            case ACOS -> Math.acos(operand);
            case ATAN -> Math.atan(operand);
            case SINH -> Math.sinh(operand);
            case COSH -> Math.cosh(operand);
            case TANH -> Math.tanh(operand);
            case ABS -> Math.abs(operand);
            case SIGMOID -> StableMath.sigmoid(operand);
            case STOP_GRADIENT -> operand;
        };
    }

    /** The operator for a {@code StableMath} method name, or null. */
    public static UnaryOp ofStableFunction(String name) {
        for (UnaryOp op : values()) {
            if (op.isStable() && op.spelling.equals(name)) {
                return op;
            }
        }
        return null;
    }

    /** The operator for a {@code Math} method name, or null. */
    public static UnaryOp ofFunction(String name) {
        for (UnaryOp op : values()) {
            if (op.isFunction() && !op.isStable() && op.spelling.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
