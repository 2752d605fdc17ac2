package dev.symgrad.compiler.parse;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs JavaParser on threads with a large stack. JavaParser is a recursive-descent parser that uses
 * 3–5 KB of stack per nested parenthesis when interpreted, so on an ordinary 512 KB thread about a
 * hundred levels would overflow. With {@link #STACK_BYTES} it parses more than eight times the
 * nesting {@link Limits#DEFAULT} allows (measured: 4000 nested {@code Math.tanh(w*(...))}), whatever
 * thread the caller compiles on. The stack is reserved address space; only the pages used are committed.
 *
 * <p>The threads are pooled (daemon threads, idle ones end after a minute): starting a thread with a
 * 64 MB stack costs about 0.3 ms, more than parsing a typical loss.
 */
final class DeepStack {

    static final long STACK_BYTES = 64L * 1024 * 1024;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private static final ExecutorService PARSERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(null, task, "symgrad-parser-" + THREADS.incrementAndGet(), STACK_BYTES);
                thread.setDaemon(true);
                return thread;
            });

    /** What came back: a value, or the overflow the limits should have prevented. */
    record Outcome<T>(T value, boolean overflowed) {
    }

    private DeepStack() {
    }

    static <T> Outcome<T> call(Supplier<T> task) {
        Future<T> future = PARSERS.submit(task::get);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return new Outcome<>(future.get(), false);
                } catch (InterruptedException e) {
                    // Parsing is bounded by the input limits; finish it, then restore the interrupt.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof StackOverflowError) {
                        return new Outcome<>(null, true);
                    }
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
