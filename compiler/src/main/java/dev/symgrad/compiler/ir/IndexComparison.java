package dev.symgrad.compiler.ir;

import java.util.List;

/**
 * {@code left == right} or {@code left < right} between positions: the Kronecker deltas of adjoints
 * ({@code ∂ w[3] / ∂ w[k]} is {@code k == 3 ? 1 : 0}) and the range checks where a loop covers only
 * part of an array.
 */
public record IndexComparison(boolean lessThan, IndexTerm left, IndexTerm right) implements Condition {

    @Override
    public List<Node> children() {
        return List.of();
    }

    @Override
    public <R> R accept(ConditionVisitor<R> visitor) {
        return visitor.indexComparison(this);
    }
}
