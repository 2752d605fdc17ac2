package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Unary;

/**
 * Operators on constants become their value; a conditional with a constant test becomes its branch.
 * Exact: the value is computed with the same {@code Math} method the generated code would call.
 */
final class ConstantFolding implements RewriteRule {

    @Override
    public String name() {
        return "constant folding";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        if (node instanceof Unary u && u.operand() instanceof Constant a) {
            return f.constant(u.op().apply(a.value()));
        }
        if (node instanceof Binary b && b.left() instanceof Constant l && b.right() instanceof Constant r) {
            return f.constant(b.op().apply(l.value(), r.value()));
        }
        if (node instanceof Conditional c && c.test() instanceof BooleanConstant test) {
            return test.value() ? c.ifTrue() : c.ifFalse();
        }
        return null;
    }
}
