package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * {@code pow(x, n)} for n in {-2, -1, 2, 3, 4} becomes multiplications and a division, and
 * {@code pow(x, 0.5)} becomes {@code sqrt(x)}. Multiplication vectorizes and pow does not; the values
 * differ from {@code Math.pow} only by rounding (for finite x; {@code pow(-0.0, 0.5)} is 0.0 where
 * {@code sqrt} gives -0.0, the same number).
 */
final class IntegerPowers implements RewriteRule {

    @Override
    public String name() {
        return "integer powers";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (!(node instanceof Binary b && b.op() == BinaryOp.POW && b.right() instanceof Constant exponent)) {
            return null;
        }
        Expr x = b.left();
        double n = exponent.value();
        if (n == 2.0) {
            return f.mul(x, x);
        }
        if (n == 3.0) {
            return f.mul(f.mul(x, x), x);
        }
        if (n == 4.0) {
            Expr square = f.mul(x, x);
            return f.mul(square, square);
        }
        if (n == -1.0) {
            return f.div(f.constant(1.0), x);
        }
        if (n == -2.0) {
            return f.div(f.constant(1.0), f.mul(x, x));
        }
        if (n == 0.5) {
            return f.unary(UnaryOp.SQRT, x);
        }
        return null;
    }
}
