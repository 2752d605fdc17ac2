package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A compiled loss is a hidden class that nothing but its instance and the bounded compile cache keep alive. */
class HiddenClassUnloadingTest {

    @Test
    void generatedClassIsCollectedOnceTheLossIsUnreachable() throws InterruptedException {
        WeakReference<Class<?>> generated = compileAndDrop();
        Symgrad.cache().clear();
        for (int attempt = 0; attempt < 50 && generated.get() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(generated.get(), "the generated class was not collected");
    }

    private static WeakReference<Class<?>> compileAndDrop() {
        CompiledLoss loss = Symgrad.compile("Math.exp(w * x)", List.of("w"), List.of("x"));
        assertTrue(loss.getClass().isHidden());
        return new WeakReference<>(loss.getClass());
    }
}
