package dev.symgrad.compiler.parse;

import java.util.function.Supplier;

/**
 * Runs JavaParser on a thread of its own with a large stack. JavaParser is a recursive-descent parser
 * that uses 3–5 KB of stack per nested parenthesis when interpreted, so on an ordinary 512 KB thread
 * about a hundred levels would overflow. With {@link #STACK_BYTES} it parses more than eight times the
 * nesting {@link Limits#DEFAULT} allows (measured: 4000 nested {@code Math.tanh(w*(...))}), whatever
 * thread the caller compiles on. The stack is reserved address space; only the pages used are committed.
 */
final class DeepStack {

    static final long STACK_BYTES = 64L * 1024 * 1024;

    /** What came back: a value, or the overflow the limits should have prevented. */
    record Outcome<T>(T value, boolean overflowed) {
    }

    private DeepStack() {
    }

    static <T> Outcome<T> call(Supplier<T> task) {
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                value[0] = task.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "symgrad-parser", STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // Parsing is bounded by the input limits; finish it, then restore the interrupt.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof StackOverflowError) {
            return new Outcome<>(null, true);
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) value[0];
        return new Outcome<>(result, false);
    }
}
