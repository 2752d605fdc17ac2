package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A bounded, thread-safe cache of compiled losses: the same expression with the same parameter and input
 * names gives the same {@link CompiledLoss} instance, so a service that compiles what its users send does
 * not define a new class for every repeated request.
 *
 * <p>It keeps at most {@link #maxEntries()} losses, dropping the least recently used. The bound is a
 * count of strong references rather than {@link java.lang.ref.SoftReference}s on purpose: a cached loss
 * keeps its hidden class, and so its metaspace, alive, but soft references are cleared by heap pressure
 * only, after about a second per free megabyte of heap ({@code -XX:SoftRefLRUPolicyMSPerMB}). With a
 * large heap, soft values would let thousands of classes pile up in a small metaspace; a fixed count is a
 * fixed worst case (a few kilobytes of metaspace per small loss). Expressions longer than
 * {@link #MAX_CACHED_LENGTH} characters are compiled every time, so the keys stay small too.
 *
 * <p>Compilation runs outside the lock; two threads that miss on the same key at once both compile, and
 * the first result stored is the one both get.
 */
public final class CompileCache {

    /** System property setting the size of the cache {@link Symgrad#compile} uses; 0 disables it. */
    public static final String SIZE_PROPERTY = "symgrad.cache.size";

    /** The size used when {@value #SIZE_PROPERTY} is not set. */
    public static final int DEFAULT_SIZE = 256;

    /** Longer expressions are not cached: at most this many characters per key. */
    public static final int MAX_CACHED_LENGTH = 10_000;

    private record Key(String expression, List<String> parameters, List<String> inputs) {

        /**
         * As the record's method would compare. Written out for the reason given on
         * {@link dev.symgrad.compiler.ir.Constant#equals}: a cold JVM's first compile looks up its key.
         */
        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && expression.equals(that.expression)
                    && parameters.equals(that.parameters) && inputs.equals(that.inputs);
        }

        @Override
        public int hashCode() {
            return (expression.hashCode() * 31 + parameters.hashCode()) * 31 + inputs.hashCode();
        }
    }

    private final int maxEntries;
    private final Map<Key, CompiledLoss> entries;

    /** A cache of at most {@code maxEntries} losses; 0 caches nothing. */
    public CompileCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("cache size must not be negative, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompiledLoss> eldest) {
                return size() > CompileCache.this.maxEntries;
            }
        };
    }

    /**
     * A cache of the size set by {@value #SIZE_PROPERTY}, or {@value #DEFAULT_SIZE}. A malformed value is
     * logged and replaced by the default: failing here would make {@link Symgrad} unusable for the life of
     * the JVM.
     */
    static CompileCache configured() {
        String value = System.getProperty(SIZE_PROPERTY);
        try {
            return new CompileCache(sizeFrom(value));
        } catch (IllegalArgumentException e) {
            System.getLogger(CompileCache.class.getName()).log(System.Logger.Level.WARNING,
                    e.getMessage() + "; using " + DEFAULT_SIZE);
            return new CompileCache(DEFAULT_SIZE);
        }
    }

    /**
     * The cache size a value of {@value #SIZE_PROPERTY} stands for: absent means {@value #DEFAULT_SIZE}.
     *
     * @throws IllegalArgumentException if the value is not a non-negative integer
     */
    public static int sizeFrom(String propertyValue) {
        if (propertyValue == null || propertyValue.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(propertyValue.trim());
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(SIZE_PROPERTY + " must be a non-negative integer, got '" + propertyValue + "'");
    }

    /**
     * The cached loss for this expression and these names, or the one {@code compile} makes, which is
     * cached if the cache has room for it. Errors are not cached.
     */
    public CompiledLoss get(String expression, List<String> parameters, List<String> inputs,
                            Supplier<CompiledLoss> compile) {
        if (maxEntries == 0 || expression == null || expression.length() > MAX_CACHED_LENGTH
                || parameters == null || inputs == null) {
            return compile.get();
        }
        Key key = new Key(expression, copy(parameters), copy(inputs));
        synchronized (entries) {
            CompiledLoss cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        CompiledLoss compiled = compile.get();
        synchronized (entries) {
            CompiledLoss raced = entries.putIfAbsent(key, compiled);
            return raced != null ? raced : compiled;
        }
    }

    /** The most losses this cache keeps. */
    public int maxEntries() {
        return maxEntries;
    }

    /** The number of losses it keeps now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Drops every cached loss; their classes are unloaded once nothing else uses them. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    /** An unmodifiable copy that, unlike {@link List#copyOf}, tolerates nulls: the compiler reports those. */
    private static List<String> copy(List<String> names) {
        return Collections.unmodifiableList(new ArrayList<>(names));
    }
}
