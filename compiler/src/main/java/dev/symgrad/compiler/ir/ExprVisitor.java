package dev.symgrad.compiler.ir;

/**
 * One method per kind of {@link Expr}. Java 17 has no pattern switch, so this interface is how a stage
 * handles every node kind with the compiler checking that none is missing. Visitors look at one node;
 * walking the DAG is done iteratively by {@link Graph}, never by recursive visiting.
 */
public interface ExprVisitor<R> {

    R constant(Constant node);

    R variable(Variable node);

    R unary(Unary node);

    R binary(Binary node);

    R conditional(Conditional node);

    R batchSum(BatchSum node);

    R batchSize(BatchSize node);

    R element(Element node);

    R sum(Sum node);
}
