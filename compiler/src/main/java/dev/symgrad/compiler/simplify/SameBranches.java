package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;

/** {@code c ? a : a → a}. Exact: both branches are the same value and the test has no effects. */
final class SameBranches implements RewriteRule {

    @Override
    public String name() {
        return "same branches";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        return node instanceof Conditional c && c.ifTrue() == c.ifFalse() ? c.ifTrue() : null;
    }
}
