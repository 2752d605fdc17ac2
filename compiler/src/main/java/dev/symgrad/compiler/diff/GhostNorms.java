package dev.symgrad.compiler.diff;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One example's squared gradient norm {@code Σ_p g_p²}, derived from the gradient's structure instead of
 * from its materialized entries ("ghost clipping", derived rather than written per layer type). The
 * gradient of an array is a comprehension; where its body is a product whose factors depend on disjoint
 * sets of the array's indices, {@code Σ_{k,j} (A_k·B_j)² = (Σ_k A_k²)·(Σ_j B_j²)}: the outer-product
 * block of a layer, {@code ∂ℓ/∂V[m][j] = δ_m·x_j}, costs a sum over m plus a sum over j instead of one
 * over m×j. Factors that depend on no index are squared once; an index no factor depends on contributes
 * its extent. A body that is not such a product (a guarded one, say) is summed directly, element by
 * element, still without storing the gradient. Exact in real arithmetic; in floating point it differs
 * from the direct sum by rounding, and its partial sums can overflow or underflow where the direct one
 * does not, which the clipping kernel's count of untrusted norms catches (an infinite, NaN or tiny sum).
 */
public final class GhostNorms {

    private GhostNorms() {
    }

    /** {@code Σ_p g_p²} over the gradient blocks (an expression per scalar parameter, a comprehension per array). */
    public static Expr squaredNorm(ExprFactory f, List<Node> gradient) {
        Expr total = null;
        for (Node block : gradient) {
            Expr term = block instanceof Comprehension array ? arraySquaredNorm(f, array) : square(f, (Expr) block);
            total = total == null ? term : f.add(total, term);
        }
        return total == null ? f.constant(0.0) : total;
    }

    private static Expr arraySquaredNorm(ExprFactory f, Comprehension array) {
        List<Index> indices = array.indices();
        // Factors of the body's product; a negation only flips signs, which squaring removes.
        List<Expr> factors = new ArrayList<>();
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(array.body());
        while (!pending.isEmpty()) {
            Expr factor = pending.pop();
            if (factor instanceof Binary b && b.op() == BinaryOp.MUL) {
                pending.push(b.right());
                pending.push(b.left());
            } else if (factor instanceof Unary u && u.op() == UnaryOp.NEG) {
                pending.push(u.operand());
            } else {
                factors.add(factor);
            }
        }
        // Group factors that share an index of the array (components of the factor–index graph).
        List<List<Index>> groupIndices = new ArrayList<>();
        List<Expr> groupProducts = new ArrayList<>();
        Expr scalar = null;
        for (Expr factor : factors) {
            List<Index> own = new ArrayList<>(f.freeIndices(factor));
            own.retainAll(indices);
            if (own.isEmpty()) {
                scalar = scalar == null ? factor : f.mul(scalar, factor);
                continue;
            }
            Expr product = factor;
            List<Index> merged = new ArrayList<>(own);
            for (int g = groupIndices.size() - 1; g >= 0; g--) {
                if (groupIndices.get(g).stream().anyMatch(merged::contains)) {
                    for (Index index : groupIndices.get(g)) {
                        if (!merged.contains(index)) {
                            merged.add(index);
                        }
                    }
                    product = f.mul(groupProducts.get(g), product);
                    groupIndices.remove(g);
                    groupProducts.remove(g);
                }
            }
            groupIndices.add(merged);
            groupProducts.add(product);
        }
        Expr total = scalar == null ? null : square(f, scalar);
        List<Index> covered = new ArrayList<>();
        for (int g = 0; g < groupIndices.size(); g++) {
            Expr sum = square(f, groupProducts.get(g));
            // Sum over the group's indices in the array's order, innermost last.
            for (int d = indices.size() - 1; d >= 0; d--) {
                if (groupIndices.get(g).contains(indices.get(d))) {
                    sum = f.sum(indices.get(d), f.constant(0.0), sum);
                }
            }
            covered.addAll(groupIndices.get(g));
            total = total == null ? sum : f.mul(total, sum);
        }
        double copies = 1;
        for (Index index : indices) {
            if (!covered.contains(index)) {
                copies *= index.extent();
            }
        }
        if (copies != 1) {
            total = total == null ? f.constant(copies) : f.mul(f.constant(copies), total);
        }
        return total == null ? f.constant(1.0) : total;
    }

    private static Expr square(ExprFactory f, Expr value) {
        return f.mul(value, value);
    }
}
