package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Node;

import java.util.Set;

/**
 * One named algebraic identity, applied to a single node whose operands are already simplified. Every
 * rule keeps finite values equal up to rounding; the javadoc of each says why.
 */
public interface RewriteRule {

    /** A short name for tests and tracing. */
    String name();

    /** The rewritten node, or null if the rule does not apply to {@code node}. */
    Expr rewrite(Expr node, ExprFactory factory);

    /**
     * Like {@link #rewrite(Expr, ExprFactory)}, knowing which (already simplified) nodes the DAG uses
     * more than once: a rule that flattens its operands can keep such a node whole, so that what is
     * shared stays computed once.
     */
    default Expr rewrite(Expr node, ExprFactory factory, Set<Node> shared) {
        return rewrite(node, factory);
    }
}
