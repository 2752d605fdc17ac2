package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a product of up to {@link #MAX_FACTORS} factors as {@code c * P * D}: one folded constant
 * coefficient, then the factors that depend only on parameters, then those that depend on inputs
 * ({@code (w*x)*(w*x) → w*w*(x*x)}, {@code 2*(w*x)*x → 2.0*w*(x*x)}). The parameter part can then be
 * hoisted out of batch loops and pulled out of batch sums. Exact up to rounding: it only reassociates
 * and commutes multiplications (and moves signs, which is exact).
 */
final class ProductNormalization implements RewriteRule {

    /** Larger products are left alone: flattening shared products could multiply the work. */
    static final int MAX_FACTORS = 8;

    @Override
    public String name() {
        return "product normalization";
    }

    @Override
    public Expr rewrite(Expr node, ExprFactory f) {
        return rewrite(node, f, Set.of());
    }

    /**
     * Products the DAG uses more than once are flattened only if that moves a constant or a
     * parameter-only factor to the front, where batch-sum factoring can take it out of the loop. Reverse mode gives every gradient component the same adjoint times its own factor,
     * {@code adj(z) * x_j} with e.g. {@code adj(z) = -(y * e / (1 + e))}; flattening them all would
     * turn one shared adjoint into a separate three-multiplication product per component.
     */
    @Override
    public Expr rewrite(Expr node, ExprFactory f, Set<Node> shared) {
        if (!(node instanceof Binary b && b.op() == BinaryOp.MUL)) {
            return null;
        }
        double coefficient = 1.0;
        List<Expr> parameterFactors = new ArrayList<>();
        List<Expr> inputFactors = new ArrayList<>();
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(b.right());
        pending.push(b.left());
        int factors = 0;
        int visited = 0;
        while (!pending.isEmpty()) {
            Expr factor = pending.pop();
            if (++visited > 4 * MAX_FACTORS) {
                return null;
            }
            boolean keepWhole = shared.contains(factor) && isProduct(factor) && !hasHoistableFactor(factor, f);
            if (!keepWhole && factor instanceof Binary inner && inner.op() == BinaryOp.MUL) {
                pending.push(inner.right());
                pending.push(inner.left());
                continue;
            }
            if (!keepWhole && factor instanceof Unary u && u.op() == UnaryOp.NEG) {
                coefficient = -coefficient;
                pending.push(u.operand());
                continue;
            }
            if (++factors > MAX_FACTORS) {
                return null;
            }
            if (factor instanceof Constant c) {
                coefficient *= c.value();
            } else if (f.dependsOnInput(factor)) {
                inputFactors.add(factor);
            } else {
                parameterFactors.add(factor);
            }
        }
        Expr product = productOf(parameterFactors, f);
        Expr data = productOf(inputFactors, f);
        product = product == null ? data : data == null ? product : f.mul(product, data);
        Expr result;
        if (product == null) {
            result = f.constant(coefficient);
        } else if (coefficient == 1.0) {
            result = product;
        } else if (coefficient == -1.0) {
            result = f.neg(product);
        } else {
            result = mulWithCoefficient(f.constant(coefficient), product, f);
        }
        return result == node ? null : result;
    }

    private static boolean isProduct(Expr node) {
        return node instanceof Binary b && b.op() == BinaryOp.MUL || node instanceof Unary u && u.op() == UnaryOp.NEG;
    }

    /** True if flattening {@code product} finds a constant or parameter-only factor (or it is too big to tell). */
    private static boolean hasHoistableFactor(Expr product, ExprFactory f) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(product);
        int visited = 0;
        while (!pending.isEmpty()) {
            Expr factor = pending.pop();
            if (++visited > 4 * MAX_FACTORS) {
                return true;
            }
            if (factor instanceof Binary inner && inner.op() == BinaryOp.MUL) {
                pending.push(inner.right());
                pending.push(inner.left());
            } else if (factor instanceof Unary u && u.op() == UnaryOp.NEG) {
                pending.push(u.operand());
            } else if (!f.dependsOnInput(factor)) {
                return true;
            }
        }
        return false;
    }

    /** {@code c * p1 * p2 ...} left-associated, so that the coefficient binds to the parameter part. */
    private static Expr mulWithCoefficient(Expr coefficient, Expr product, ExprFactory f) {
        if (product instanceof Binary p && p.op() == BinaryOp.MUL && !f.dependsOnInput(p.left()) && f.dependsOnInput(p.right())) {
            return f.mul(f.mul(coefficient, p.left()), p.right());
        }
        return f.mul(coefficient, product);
    }

    private static Expr productOf(List<Expr> factors, ExprFactory f) {
        factors.sort((x, y) -> x == y ? 0 : f.comesBefore(x, y) ? -1 : 1);
        Expr product = null;
        for (Expr factor : factors) {
            product = product == null ? factor : f.mul(product, factor);
        }
        return product;
    }
}
