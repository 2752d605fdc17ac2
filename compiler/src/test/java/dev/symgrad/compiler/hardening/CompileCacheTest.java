package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.CompileCache;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compile cache: the same text and names give the same loss; it holds at most its bound, dropping
 * the least recently used, whose classes are then unloaded; its size is configurable and 0 disables it.
 */
class CompileCacheTest {

    private static final List<String> W = List.of("w");
    private static final List<String> X = List.of("x");

    /** An expression no other test compiles, so that the shared cache cannot already hold it. */
    private static String fresh() {
        return "w * x + " + (UUID.randomUUID().getLeastSignificantBits() >>> 12) + ".0";
    }

    /** A compilation for {@link CompileCache#get} that counts how often it runs. */
    private static CompiledLoss compileCounting(String expression, AtomicInteger compilations) {
        compilations.incrementAndGet();
        return HiddenClassDefiner.define(Symgrad.generateClass(expression, W, X, HiddenClassDefiner.CLASS_NAME));
    }

    @Nested
    class TheSharedCache {

        @Test
        void givesTheSameLossForTheSameTextAndNames() {
            String expression = fresh();
            CompiledLoss first = Symgrad.compile(expression, W, X);
            assertSame(first, Symgrad.compile(expression, new ArrayList<>(W), new ArrayList<>(X)));
        }

        @Test
        void keysOnTheExactTextAndBothListsOfNames() {
            String expression = fresh();
            CompiledLoss loss = Symgrad.compile(expression, W, X);
            assertNotSame(loss, Symgrad.compile(expression + " ", W, X));
            assertNotSame(loss, Symgrad.compile(expression, List.of("w", "b"), X));
            assertNotSame(loss, Symgrad.compile(expression, W, List.of("x", "y")));
            assertNotSame(Symgrad.compile("w * x", List.of("w", "x"), List.of()),
                    Symgrad.compile("w * x", List.of("x", "w"), List.of()));
        }

        @Test
        void neverHoldsMoreThanItsBound() {
            CompileCache cache = Symgrad.cache();
            for (int k = 0; k < cache.maxEntries() + 20; k++) {
                Symgrad.compile("w * x + " + k + " * x", W, X);
            }
            assertEquals(cache.maxEntries(), cache.size());
        }

        @Test
        void isSizedByTheSystemProperty() {
            assertEquals(CompileCache.sizeFrom(System.getProperty(CompileCache.SIZE_PROPERTY)),
                    Symgrad.cache().maxEntries());
        }
    }

    @Test
    void doesNotCacheErrors() {
        CompileCache cache = new CompileCache(4);
        AtomicInteger compilations = new AtomicInteger();
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThrows(CompileError.class, () -> cache.get("w +", W, X, () -> compileCounting("w +", compilations)));
        }
        assertEquals(2, compilations.get());
        assertEquals(0, cache.size());
    }

    @Test
    void dropsTheLeastRecentlyUsedLossBeyondItsBound() {
        CompileCache cache = new CompileCache(2);
        AtomicInteger compilations = new AtomicInteger();
        CompiledLoss a = cache.get("w * x", W, X, () -> compileCounting("w * x", compilations));
        CompiledLoss b = cache.get("w + x", W, X, () -> compileCounting("w + x", compilations));
        assertSame(a, cache.get("w * x", W, X, () -> compileCounting("w * x", compilations))); // a is now newest
        cache.get("w - x", W, X, () -> compileCounting("w - x", compilations)); // evicts b
        assertEquals(2, cache.size());
        assertEquals(3, compilations.get());
        assertSame(a, cache.get("w * x", W, X, () -> compileCounting("w * x", compilations)));
        assertNotSame(b, cache.get("w + x", W, X, () -> compileCounting("w + x", compilations)));
        assertEquals(4, compilations.get());
    }

    @Test
    void unloadsTheClassOfAnEvictedLoss() throws InterruptedException {
        CompileCache cache = new CompileCache(1);
        AtomicInteger compilations = new AtomicInteger();
        WeakReference<Class<?>> evicted = new WeakReference<>(
                cache.get("Math.exp(w * x)", W, X, () -> compileCounting("Math.exp(w * x)", compilations)).getClass());
        cache.get("Math.log(w * x)", W, X, () -> compileCounting("Math.log(w * x)", compilations));
        for (int attempt = 0; attempt < 50 && evicted.get() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(evicted.get(), "the evicted loss's class is still loaded");
    }

    @Test
    void sizeZeroCachesNothing() {
        CompileCache cache = new CompileCache(0);
        AtomicInteger compilations = new AtomicInteger();
        CompiledLoss first = cache.get("w * x", W, X, () -> compileCounting("w * x", compilations));
        assertNotSame(first, cache.get("w * x", W, X, () -> compileCounting("w * x", compilations)));
        assertEquals(0, cache.size());
        assertEquals(2, compilations.get());
    }

    @Test
    void doesNotKeepExpressionsLongerThanItsLengthLimit() {
        CompileCache cache = new CompileCache(10);
        String longLoss = "w * x" + " ".repeat(CompileCache.MAX_CACHED_LENGTH);
        AtomicInteger compilations = new AtomicInteger();
        cache.get(longLoss, W, X, () -> compileCounting(longLoss, compilations));
        cache.get(longLoss, W, X, () -> compileCounting(longLoss, compilations));
        assertEquals(0, cache.size());
        assertEquals(2, compilations.get());
    }

    @Test
    void readsItsSizeFromThePropertyValue() {
        assertEquals(CompileCache.DEFAULT_SIZE, CompileCache.sizeFrom(null));
        assertEquals(CompileCache.DEFAULT_SIZE, CompileCache.sizeFrom(""));
        assertEquals(0, CompileCache.sizeFrom("0"));
        assertEquals(17, CompileCache.sizeFrom(" 17 "));
        assertEquals("symgrad.cache.size must be a non-negative integer, got '-1'",
                assertThrows(IllegalArgumentException.class, () -> CompileCache.sizeFrom("-1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CompileCache.sizeFrom("many"));
        assertThrows(IllegalArgumentException.class, () -> new CompileCache(-1));
    }

    @Test
    void threadsThatMissTogetherAllGetOneInstance() throws Exception {
        CompileCache cache = new CompileCache(8);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger compilations = new AtomicInteger();
        Set<CompiledLoss> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    seen.add(cache.get("Math.tanh(w * x)", W, X, () -> compileCounting("Math.tanh(w * x)", compilations)));
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, seen.size(), "every thread got the instance that was stored first");
        assertTrue(compilations.get() >= 1 && compilations.get() <= threads);
    }
}
