package dev.symgrad.compiler.ir;

/**
 * Thrown by {@link ExprFactory} when a compilation would build more distinct nodes than allowed. The
 * compiler front door turns it into a positioned {@code CompileError}; it never reaches users.
 */
public final class NodeLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int limit;

    public NodeLimitExceededException(int limit) {
        super("more than " + limit + " expression nodes", null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
