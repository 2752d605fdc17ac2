package dev.symgrad.compiler.ir;

import dev.symgrad.runtime.StableMath;

/** Operators of two operands: the arithmetic operators and the two-argument {@code Math} functions. */
public enum BinaryOp {
    ADD("+", 1, true),
    SUB("-", 1, false),
    MUL("*", 2, true),
    DIV("/", 2, false),
    POW("pow", 0, false),
    MAX("max", 0, true),
    MIN("min", 0, true),
    HYPOT("hypot", 0, true),
    /**
     * {@code log(e^a + e^b)}, {@code StableMath.logaddexp}: not in {@code Math}, but what the simplifier
     * puts in place of {@code log1p(exp(a))} (as {@code logaddexp(a, 0)}) and of a log of a sum of
     * exponentials (README, "Overflow").
     */
    LOGADDEXP("logaddexp", 0, true);

    private final String spelling;
    private final int precedence;
    private final boolean commutative;

    BinaryOp(String spelling, int precedence, boolean commutative) {
        this.spelling = spelling;
        this.precedence = precedence;
        this.commutative = commutative;
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

    /** True for the overflow-free functions of {@code StableMath}, which a loss spells {@code StableMath.name}. */
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

    /** The value, computed exactly as the generated code computes it (the same operator or method). */
    public double apply(double left, double right) {
        // A switch rather than a lambda per constant, as in UnaryOp.apply: fewer classes spun at start.
        return switch (this) {
            case ADD -> left + right;
            case SUB -> left - right;
            case MUL -> left * right;
            case DIV -> left / right;
            case POW -> Math.pow(left, right);
            case MAX -> Math.max(left, right);
            case MIN -> Math.min(left, right);
            case HYPOT -> Math.hypot(left, right);
            case LOGADDEXP -> StableMath.logaddexp(left, right);
        };
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
