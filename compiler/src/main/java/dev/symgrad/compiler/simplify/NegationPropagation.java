package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * Moves negations outward or into subtractions: {@code a+(-b) → a-b}, {@code (-a)+b → b-a},
 * {@code a-(-b) → a+b}, {@code (-a)*b, a*(-b) → -(a*b)}, likewise for division, and
 * {@code (-a)*(-b) → a*b}. Exact: IEEE rounding is symmetric under sign change.
 */
final class NegationPropagation implements RewriteRule {

    @Override
    public String name() {
        return "negation propagation";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (!(node instanceof Binary b)) {
            return null;
        }
        Expr left = b.left();
        Expr right = b.right();
        Expr negLeft = negated(left);
        Expr negRight = negated(right);
        return switch (b.op()) {
            case ADD -> negRight != null ? f.sub(left, negRight) : negLeft != null ? f.sub(right, negLeft) : null;
            case SUB -> negRight != null ? f.add(left, negRight) : null;
            case MUL, DIV -> {
                if (negLeft != null && negRight != null) {
                    yield f.binary(b.op(), negLeft, negRight);
                }
                if (negLeft != null) {
                    yield f.neg(f.binary(b.op(), negLeft, right));
                }
                if (negRight != null) {
                    yield f.neg(f.binary(b.op(), left, negRight));
                }
                yield null;
            }
            case POW, MAX, MIN, HYPOT, LOGADDEXP -> null;
        };
    }

    private static Expr negated(Expr expr) {
        return expr instanceof Unary u && u.op() == UnaryOp.NEG ? u.operand() : null;
    }
}
