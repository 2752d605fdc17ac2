package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * The local derivative of every operator with respect to each operand, one case per operator, in
 * exhaustive switches so that a new operator without a rule does not compile. Rules reuse the node
 * itself where the derivative is a function of the result ({@code exp}, {@code tanh}, {@code sqrt}).
 *
 * <p>Conventions at non-differentiable points follow JAX: {@code abs'(0) = 1}; {@code max}/{@code min}
 * ties give 0.5 to each side; {@code hypot} at the origin and {@code pow}'s exponent derivative at a
 * zero base are 0. {@code pow}'s base derivative where the exponent is 0 is 0, its true value (JAX
 * gives 0 for an integer exponent, and NaN for a floating-point one at base 0).
 */
final class DerivativeRules {

    private final ExprFactory f;

    DerivativeRules(ExprFactory factory) {
        this.f = factory;
    }

    /** ∂ node / ∂ operand. */
    Expr partial(Unary node) {
        Expr a = node.operand();
        return switch (node.op()) {
            case NEG -> f.constant(-1.0);
            case EXP -> node;
            case LOG -> f.div(one(), a);
            case LOG1P -> f.div(one(), f.add(one(), a));
            case EXPM1 -> f.unary(UnaryOp.EXP, a);
            case SQRT -> f.div(f.constant(0.5), node);
            case CBRT -> f.div(one(), f.mul(f.constant(3.0), f.mul(node, node)));
            case SIN -> f.unary(UnaryOp.COS, a);
            case COS -> f.neg(f.unary(UnaryOp.SIN, a));
            case TAN -> f.add(one(), f.mul(node, node));
            case ASIN -> f.div(one(), f.unary(UnaryOp.SQRT, f.sub(one(), f.mul(a, a))));
            case ACOS -> f.neg(f.div(one(), f.unary(UnaryOp.SQRT, f.sub(one(), f.mul(a, a)))));
            case ATAN -> f.div(one(), f.add(one(), f.mul(a, a)));
            case SINH -> f.unary(UnaryOp.COSH, a);
            case COSH -> f.unary(UnaryOp.SINH, a);
            case TANH -> f.sub(one(), f.mul(node, node));
            case ABS -> f.conditional(f.compare(CompareOp.GE, a, zero()), one(), f.constant(-1.0));
            // σ'(a) = σ(a)·(1 - σ(a)) = σ(a)·σ(-a); the second form keeps its precision where σ(a) rounds to 1.
            case SIGMOID -> f.mul(node, f.unary(UnaryOp.SIGMOID, f.neg(a)));
            case STOP_GRADIENT -> zero();
        };
    }

    /** ∂ node / ∂ left operand. */
    Expr partialLeft(Binary node) {
        Expr a = node.left();
        Expr b = node.right();
        return switch (node.op()) {
            case ADD, SUB -> one();
            case MUL -> b;
            case DIV -> f.div(one(), b);
            // pow(a, 0) is 1 for every a, so the derivative there is 0; b·a^(b-1) would be 0·∞ = NaN at a = 0.
            // A constant exponent needs no test (pow(a, 0) itself is simplified to 1 before differentiation).
            case POW -> b instanceof Constant c
                    ? f.mul(c, f.binary(BinaryOp.POW, a, f.constant(c.value() - 1.0)))
                    : f.conditional(f.compare(CompareOp.EQ, b, zero()), zero(),
                            f.mul(b, f.binary(BinaryOp.POW, a, f.sub(b, one()))));
            case MAX -> tieSplit(CompareOp.GT, a, b);
            case MIN -> tieSplit(CompareOp.LT, a, b);
            case HYPOT -> f.conditional(f.compare(CompareOp.EQ, node, zero()), zero(), f.div(a, node));
            // ∂/∂a log(e^a + e^b) = e^a / (e^a + e^b) = σ(a - b), which never overflows.
            case LOGADDEXP -> f.unary(UnaryOp.SIGMOID, f.sub(a, b));
        };
    }

    /** ∂ node / ∂ right operand. */
    Expr partialRight(Binary node) {
        Expr a = node.left();
        Expr b = node.right();
        return switch (node.op()) {
            case ADD -> one();
            case SUB -> f.constant(-1.0);
            case MUL -> a;
            case DIV -> f.neg(f.div(node, b));
            case POW -> f.conditional(f.compare(CompareOp.EQ, a, zero()), zero(),
                    f.mul(f.unary(UnaryOp.LOG, a), node));
            case MAX -> tieSplit(CompareOp.GT, b, a);
            case MIN -> tieSplit(CompareOp.LT, b, a);
            case HYPOT -> f.conditional(f.compare(CompareOp.EQ, node, zero()), zero(), f.div(b, node));
            case LOGADDEXP -> f.unary(UnaryOp.SIGMOID, f.sub(b, a));
        };
    }

    /** 1 where {@code mine wins other}, 0.5 on a tie, 0 otherwise (and for NaN). */
    private Expr tieSplit(CompareOp wins, Expr mine, Expr other) {
        return f.conditional(f.compare(wins, mine, other), one(),
                f.conditional(f.compare(CompareOp.EQ, mine, other), f.constant(0.5), zero()));
    }

    private Expr one() {
        return f.constant(1.0);
    }

    private Expr zero() {
        return f.constant(0.0);
    }
}
