package dev.symgrad.compiler.ir;

import java.util.List;

/** The number of examples N of the batch, as a double; appears where {@code Σ c} became {@code N·c}. */
public record BatchSize() implements Expr {

    @Override
    public List<Node> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.batchSize(this);
    }
}
