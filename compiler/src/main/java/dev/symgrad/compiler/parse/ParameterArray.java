package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.IndexTerm;

import java.util.List;

/**
 * A {@code double[]} or {@code double[][]} parameter of the loss method. In the indexed form its elements
 * are read as {@code Element(variable, at)}; in the unrolled form ({@code elements} not null) each element
 * is its own scalar {@code Variable}, {@code w[3]} or {@code V[1][2]}, row-major, and every position is fixed.
 */
record ParameterArray(ArrayVariable variable, List<Expr> elements) implements MethodArray {

    @Override
    public String name() {
        return variable.name();
    }

    @Override
    public List<Integer> shape() {
        return variable.shape();
    }

    Expr read(ExprFactory factory, List<IndexTerm> at) {
        if (elements == null) {
            return factory.element(variable, at);
        }
        return elements.get(MethodArray.flatPosition(shape(), at));
    }
}
