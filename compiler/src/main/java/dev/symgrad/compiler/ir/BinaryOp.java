package dev.symgrad.compiler.ir;

import java.util.function.DoubleBinaryOperator;

/** Operators of two operands: the arithmetic operators and the two-argument {@code Math} functions. */
public enum BinaryOp {
    ADD("+", 1, true, Double::sum),
    SUB("-", 1, false, (a, b) -> a - b),
    MUL("*", 2, true, (a, b) -> a * b),
    DIV("/", 2, false, (a, b) -> a / b),
    POW("pow", 0, false, Math::pow),
    MAX("max", 0, true, Math::max),
    MIN("min", 0, true, Math::min),
    HYPOT("hypot", 0, true, Math::hypot),
    /**
     * {@code log(e^a + e^b)}, {@code StableMath.logaddexp}: not in the language, but what the simplifier
     * puts in place of {@code log1p(exp(a))} (as {@code logaddexp(a, 0)}) and of a log of a sum of
     * exponentials (README, "Overflow").
     */
    LOGADDEXP("logaddexp", 0, true, dev.symgrad.runtime.StableMath::logaddexp);

    private final String spelling;
    private final int precedence;
    private final boolean commutative;
    private final DoubleBinaryOperator function;

    BinaryOp(String spelling, int precedence, boolean commutative, DoubleBinaryOperator function) {
        this.spelling = spelling;
        this.precedence = precedence;
        this.commutative = commutative;
        this.function = function;
    }

    /** The infix symbol, or the {@code Math} method name for functions. */
    public String spelling() {
        return spelling;
    }

    /** Java precedence for infix operators (higher binds tighter); 0 for functions. */
    public int precedence() {
        return precedence;
    }

    public boolean isInfix() {
        return precedence > 0;
    }

    /** True for the overflow-free functions of {@code StableMath}, which the language does not offer. */
    public boolean isStable() {
        return this == LOGADDEXP;
    }

    /** The internal name of the class whose static method computes a function operator. */
    public String owner() {
        return isStable() ? UnaryOp.STABLE_MATH : "java/lang/Math";
    }

    /** True when {@code a op b == b op a} for all doubles, NaN payloads aside; the factory orders such operands canonically. */
    public boolean isCommutative() {
        return commutative;
    }

    public double apply(double left, double right) {
        return function.applyAsDouble(left, right);
    }

    /** The operator for a two-argument {@code StableMath} method name, or null. */
    public static BinaryOp ofStableFunction(String name) {
        for (BinaryOp op : values()) {
            if (op.isStable() && op.spelling.equals(name)) {
                return op;
            }
        }
        return null;
    }

    /** The operator for a two-argument {@code Math} method name, or null. */
    public static BinaryOp ofFunction(String name) {
        for (BinaryOp op : values()) {
            if (!op.isInfix() && !op.isStable() && op.spelling.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
