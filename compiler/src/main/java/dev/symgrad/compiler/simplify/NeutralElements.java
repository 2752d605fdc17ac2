package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * {@code x+0, x-0, x*1, x/1, pow(x,1) → x}; {@code 0-x, x*-1, x/-1 → -x}; {@code -(-x) → x}. Exact
 * for every finite x (only the sign of a zero result can differ: {@code -0.0 + 0 = 0.0}).
 */
final class NeutralElements implements RewriteRule {

    @Override
    public String name() {
        return "neutral elements";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (node instanceof Unary u && u.op() == UnaryOp.NEG && u.operand() instanceof Unary inner
                && inner.op() == UnaryOp.NEG) {
            return inner.operand();
        }
        if (!(node instanceof Binary b)) {
            return null;
        }
        Expr left = b.left();
        Expr right = b.right();
        return switch (b.op()) {
            case ADD -> isConstant(right, 0.0) ? left : isConstant(left, 0.0) ? right : null;
            case SUB -> isConstant(right, 0.0) ? left : isConstant(left, 0.0) ? f.neg(right) : null;
            case MUL -> isConstant(right, 1.0) ? left : isConstant(left, 1.0) ? right
                    : isConstant(right, -1.0) ? f.neg(left) : isConstant(left, -1.0) ? f.neg(right) : null;
            case DIV -> isConstant(right, 1.0) ? left : isConstant(right, -1.0) ? f.neg(left) : null;
            case POW -> isConstant(right, 1.0) ? left : null;
            case MAX, MIN, HYPOT, LOGADDEXP -> null;
        };
    }

    /** Numerically equal to {@code value}; {@code -0.0} counts as zero. */
    static boolean isConstant(Expr expr, double value) {
        return expr instanceof Constant c && c.value() == value;
    }
}
