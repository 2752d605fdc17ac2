package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * Collects terms that differ only in a constant coefficient: {@code x + x → 2.0*x},
 * {@code 3*x - x → 2.0*x}, {@code x - x → 0}, also one level into a sum: {@code (a + x) + x → a + 2.0*x},
 * {@code x + (x + a) → 2.0*x + a}.
 * Exact up to rounding for finite values (distributivity; {@code x - x} is 0 for every finite x).
 */
final class LikeTerms implements RewriteRule {

    /** A term split as {@code coefficient * monomial}. */
    private record Term(double coefficient, Expr monomial) {
    }

    @Override
    public String name() {
        return "like terms";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (!(node instanceof Binary b) || (b.op() != BinaryOp.ADD && b.op() != BinaryOp.SUB)) {
            return null;
        }
        double sign = b.op() == BinaryOp.ADD ? 1.0 : -1.0;
        Term right = split(b.right());
        Term left = split(b.left());
        if (left.monomial == right.monomial) {
            return build(left.coefficient + sign * right.coefficient, left.monomial, f);
        }
        // One level of associativity: (a ± x) ± x, the shape accumulated adjoints take.
        if (b.left() instanceof Binary inner && (inner.op() == BinaryOp.ADD || inner.op() == BinaryOp.SUB)) {
            double innerSign = inner.op() == BinaryOp.ADD ? 1.0 : -1.0;
            Term innerRight = split(inner.right());
            if (innerRight.monomial == right.monomial) {
                Expr combined = build(innerSign * innerRight.coefficient + sign * right.coefficient, right.monomial, f);
                return f.add(inner.left(), combined);
            }
            Term innerLeft = split(inner.left());
            if (innerLeft.monomial == right.monomial) {
                Expr combined = build(innerLeft.coefficient + sign * right.coefficient, right.monomial, f);
                return f.binary(inner.op(), combined, inner.right());
            }
        }
        // The same on the right, where the factory's canonical order often puts accumulated terms: x + (x + a).
        if (b.op() == BinaryOp.ADD && b.right() instanceof Binary inner && inner.op() == BinaryOp.ADD) {
            Term innerLeft = split(inner.left());
            if (innerLeft.monomial == left.monomial) {
                return f.add(build(left.coefficient + innerLeft.coefficient, left.monomial, f), inner.right());
            }
            Term innerRight = split(inner.right());
            if (innerRight.monomial == left.monomial) {
                return f.add(inner.left(), build(left.coefficient + innerRight.coefficient, left.monomial, f));
            }
        }
        return null;
    }

    private static Term split(Expr term) {
        if (term instanceof Binary b && b.op() == BinaryOp.MUL && b.left() instanceof Constant c) {
            return new Term(c.value(), b.right());
        }
        if (term instanceof Unary u && u.op() == UnaryOp.NEG) {
            return new Term(-1.0, u.operand());
        }
        return new Term(1.0, term);
    }

    private static Expr build(double coefficient, Expr monomial, ExprFactory f) {
        if (coefficient == 0.0) {
            return f.constant(0.0);
        }
        if (coefficient == 1.0) {
            return monomial;
        }
        if (coefficient == -1.0) {
            return f.neg(monomial);
        }
        return f.mul(f.constant(coefficient), monomial);
    }
}
