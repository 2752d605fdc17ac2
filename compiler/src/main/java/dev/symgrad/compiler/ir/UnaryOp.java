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
    ABS("abs", Math::abs);

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

    /** The value, computed exactly as the generated code computes it (the same {@code Math} method). */
    public double apply(double operand) {
        return this == NEG ? -operand : function.applyAsDouble(operand);
    }

    /** The operator for a {@code Math} method name, or null. */
    public static UnaryOp ofFunction(String name) {
        for (UnaryOp op : values()) {
            if (op.isFunction() && op.spelling.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
