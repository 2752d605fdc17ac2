package dev.symgrad.compiler.ir;

/** Comparison operators with Java's semantics: every comparison with NaN is false except {@code !=}. */
public enum CompareOp {
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean test(double left, double right) {
        return switch (this) {
            case LT -> left < right;
            case LE -> left <= right;
            case GT -> left > right;
            case GE -> left >= right;
            case EQ -> left == right;
            case NE -> left != right;
        };
    }
}
