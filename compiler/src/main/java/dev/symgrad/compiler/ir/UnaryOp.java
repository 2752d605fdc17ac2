package dev.symgrad.compiler.ir;

import java.util.function.DoubleUnaryOperator;

/** Operators of one operand: negation and the one-argument {@code Math} functions. */
public enum UnaryOp {
    NEG("-", operand -> -operand),
    EXP("exp", Math::exp),
    LOG("log", Math::log),
    LOG1P("log1p", Math::log1p),
    EXPM1("expm1", Math::expm1),
    SQRT("sqrt", Math::sqrt),
    CBRT("cbrt", Math::cbrt),
    SIN("sin", Math::sin),
    COS("cos", Math::cos),
    TAN("tan", Math::tan),
    ASIN("asin", Math::asin),
    ACOS("acos", Math::acos),
    ATAN("atan", Math::atan),
    SINH("sinh", Math::sinh),
    COSH("cosh", Math::cosh),
    TANH("tanh", Math::tanh),
    ABS("abs", Math::abs),
    /**
     * The logistic function, {@code StableMath.sigmoid}: not in the language, but what the simplifier
     * puts in place of {@code exp(a) / (1 + exp(a))} and the derivative of softplus (README, "Overflow").
     */
    SIGMOID("sigmoid", dev.symgrad.runtime.StableMath::sigmoid);

    /** The class of the functions the simplifier introduces, {@link #isStable()}. */
    public static final String STABLE_MATH = "dev/symgrad/runtime/StableMath";

    private final String spelling;
    private final DoubleUnaryOperator function;

    UnaryOp(String spelling, DoubleUnaryOperator function) {
        this.spelling = spelling;
        this.function = function;
    }

    /** {@code "-"} for negation, otherwise the {@code Math} method name. */
    public String spelling() {
        return spelling;
    }

    /** True for the functions spelled {@code Math.name(...)}. */
    public boolean isFunction() {
        return this != NEG;
    }

    /** True for the overflow-free functions of {@code StableMath}, which the language does not offer. */
    public boolean isStable() {
        return this == SIGMOID;
    }

    /** The internal name of the class whose static method computes the function. */
    public String owner() {
        return isStable() ? STABLE_MATH : "java/lang/Math";
    }

    /** The value, computed exactly as the generated code computes it (the same {@code Math} method). */
    public double apply(double operand) {
        return this == NEG ? -operand : function.applyAsDouble(operand);
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
