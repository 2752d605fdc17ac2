package dev.symgrad.compiler.codegen;

/** The loss cannot be emitted within the JVM's class-file limits; the compiler reports it as a {@code CompileError}. */
public final class LossTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LossTooLargeException(String message) {
        super(message, null, false, false);
    }
}
