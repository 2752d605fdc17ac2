package dev.symgrad.compiler.ir;

/** One method per kind of {@link Condition}; see {@link ExprVisitor} for why this exists. */
public interface ConditionVisitor<R> {

    R bool(BooleanConstant node);

    R comparison(Comparison node);

    R logical(Logical node);

    R not(Not node);

    R indexComparison(IndexComparison node);
}
