package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;

import java.util.List;

/** Indexed losses built directly in IR, for testing the loop generator apart from the front end. */
final class IndexedLosses {

    private IndexedLosses() {
    }

    /** {@code log1p(exp(-s·(b + Σ_j w[j]·z[j])))} with w, z of length d; parameters w, b; inputs z, s. */
    static IndexedLossProgram logistic(int d) {
        ExprFactory f = new ExprFactory();
        ArrayVariable w = f.arrayVariable("w", Variable.Kind.PARAMETER, List.of(d), 0);
        Variable b = f.variable("b", Variable.Kind.PARAMETER, d);
        ArrayVariable z = f.arrayVariable("z", Variable.Kind.INPUT, List.of(d), 0);
        Variable s = f.variable("s", Variable.Kind.INPUT, d);
        Index j = f.index("j", d);
        Expr dot = f.sum(j, f.constant(0.0), f.mul(f.element(w, List.of(j)), f.element(z, List.of(j))));
        Expr margin = f.mul(f.neg(s), f.add(b, dot));
        Expr loss = f.unary(UnaryOp.LOG1P, f.unary(UnaryOp.EXP, margin));
        return LossCompiler.buildIndexed(f, loss, List.of(w, b), List.of(z, s));
    }

    /**
     * A tanh network {@code in → hidden → out} with softmax cross-entropy, written as the method
     * writes it: {@code h[m] = tanh(c[m] + Σ_j V[m][j]·x[j])}, {@code z_k = b[k] + Σ_m W[k][m]·h[m]},
     * loss {@code log(Σ_k exp(z_k)) - Σ_k y[k]·z_k}. Parameters V, c, W, b; inputs x, y.
     */
    static IndexedLossProgram network(int in, int hidden, int out) {
        ExprFactory f = new ExprFactory();
        ArrayVariable v = f.arrayVariable("V", Variable.Kind.PARAMETER, List.of(hidden, in), 0);
        ArrayVariable c = f.arrayVariable("c", Variable.Kind.PARAMETER, List.of(hidden), hidden * in);
        ArrayVariable w = f.arrayVariable("W", Variable.Kind.PARAMETER, List.of(out, hidden), hidden * in + hidden);
        ArrayVariable b = f.arrayVariable("b", Variable.Kind.PARAMETER, List.of(out), hidden * in + hidden + out * hidden);
        ArrayVariable x = f.arrayVariable("x", Variable.Kind.INPUT, List.of(in), 0);
        ArrayVariable y = f.arrayVariable("y", Variable.Kind.INPUT, List.of(out), in);
        Index m = f.index("m", hidden);
        Index j = f.index("j", in);
        Expr a = f.sum(j, f.element(c, List.of(m)), f.mul(f.element(v, List.of(m, j)), f.element(x, List.of(j))));
        Comprehension h = f.comprehension(List.of(m), f.unary(UnaryOp.TANH, a));
        Index k = f.index("k", out);
        Index m2 = f.index("m", hidden);
        Expr z = f.sum(m2, f.element(b, List.of(k)), f.mul(f.element(w, List.of(k, m2)), f.element(h, List.of(m2))));
        Expr sumExp = f.sum(k, f.constant(0.0), f.unary(UnaryOp.EXP, z));
        Index k2 = f.index("k", out);
        Comprehension logits = f.comprehension(List.of(k), z);
        Expr dot = f.sum(k2, f.constant(0.0), f.mul(f.element(y, List.of(k2)), f.element(logits, List.of(k2))));
        Expr loss = f.sub(f.unary(UnaryOp.LOG, sumExp), dot);
        List<Node> parameters = List.of(v, c, w, b);
        return LossCompiler.buildIndexed(f, loss, parameters, List.of(x, y));
    }

    /**
     * Softmax regression {@code in → out} as the digits example writes it: {@code z_k = b[k] + Σ_j
     * W[k][j]·x[j]}, loss {@code log(Σ_k exp(z_k)) - Σ_k y[k]·z_k}. Parameters W, b; inputs x, y.
     */
    static IndexedLossProgram softmaxRegression(int in, int out) {
        ExprFactory f = new ExprFactory();
        ArrayVariable w = f.arrayVariable("W", Variable.Kind.PARAMETER, List.of(out, in), 0);
        ArrayVariable b = f.arrayVariable("b", Variable.Kind.PARAMETER, List.of(out), out * in);
        ArrayVariable x = f.arrayVariable("x", Variable.Kind.INPUT, List.of(in), 0);
        ArrayVariable y = f.arrayVariable("y", Variable.Kind.INPUT, List.of(out), in);
        // As the front end lowers the method: one loop over k accumulates both sums, so z_k is one node
        // under two sums over the same index (no array of logits in the loss itself).
        Index k = f.index("k", out);
        Index j = f.index("j", in);
        Expr z = f.sum(j, f.element(b, List.of(k)), f.mul(f.element(w, List.of(k, j)), f.element(x, List.of(j))));
        Expr sumExp = f.sum(k, f.constant(0.0), f.unary(UnaryOp.EXP, z));
        Expr dot = f.sum(k, f.constant(0.0), f.mul(f.element(y, List.of(k)), z));
        Expr loss = f.sub(f.unary(UnaryOp.LOG, sumExp), dot);
        return LossCompiler.buildIndexed(f, loss, List.of(w, b), List.of(x, y));
    }
}
