package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;

import static dev.symgrad.compiler.simplify.NeutralElements.isConstant;

/**
 * {@code x*0 → 0} and {@code pow(x,0) → 1}. The first holds for every finite x (up to the sign of a
 * zero: Java gives -0.0 for negative x); the second is Java's definition of {@code Math.pow}. There is
 * no {@code 0/x → 0}: it is wrong at x = 0, a finite input, where Java gives NaN (a constant x is left
 * to constant folding).
 */
final class AbsorbingElements implements RewriteRule {

    @Override
    public String name() {
        return "absorbing elements";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (!(node instanceof Binary b)) {
            return null;
        }
        if (b.op() == BinaryOp.MUL && (isConstant(b.left(), 0.0) || isConstant(b.right(), 0.0))) {
            return f.constant(0.0);
        }
        if (b.op() == BinaryOp.POW && isConstant(b.right(), 0.0)) {
            return f.constant(1.0);
        }
        return null;
    }
}
