package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

/**
 * Pulls what does not change between examples out of a batch sum: {@code Σ(c*g) → c*Σg},
 * {@code Σ(g/c) → Σg/c}, {@code Σ(-g) → -Σg}, {@code Σc → N*c}, {@code Σ(c+g) → N*c + Σg},
 * {@code Σ(t ? a : b) → t ? Σa : Σb} for a test t without inputs. This turns
 * {@code d/dw Σ(w*x)²} into {@code 2.0*w*Σ(x*x)}: the loop no longer multiplies by w at all. Exact up
 * to rounding (distributivity of multiplication over addition).
 */
final class BatchSumFactoring implements RewriteRule {

    @Override
    public String name() {
        return "batch sum factoring";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (!(node instanceof BatchSum sum)) {
            return null;
        }
        Expr s = sum.summand();
        if (!f.dependsOnInput(s)) {
            return f.mul(f.batchSize(), s);
        }
        if (s instanceof Unary u && u.op() == UnaryOp.NEG) {
            return f.neg(f.batchSum(u.operand()));
        }
        if (s instanceof Conditional c && !f.dependsOnInput(c.test())) {
            return f.conditional(c.test(), f.batchSum(c.ifTrue()), f.batchSum(c.ifFalse()));
        }
        if (!(s instanceof Binary b)) {
            return null;
        }
        boolean leftInvariant = !f.dependsOnInput(b.left());
        boolean rightInvariant = !f.dependsOnInput(b.right());
        return switch (b.op()) {
            case MUL -> leftInvariant ? f.mul(b.left(), f.batchSum(b.right()))
                    : rightInvariant ? f.mul(f.batchSum(b.left()), b.right()) : null;
            case DIV -> rightInvariant ? f.div(f.batchSum(b.left()), b.right()) : null;
            case ADD, SUB -> leftInvariant ? f.binary(b.op(), f.mul(f.batchSize(), b.left()), f.batchSum(b.right()))
                    : rightInvariant ? f.binary(b.op(), f.batchSum(b.left()), f.mul(f.batchSize(), b.right())) : null;
            case POW, MAX, MIN, HYPOT, LOGADDEXP -> null;
        };
    }
}
