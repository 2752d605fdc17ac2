package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.LossCompiler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The build plugin writes what the run-time path loads with the scalar backend, so generation must not
 * depend on hash codes.
 */
class DeterministicBytesTest {

    @Test
    void theSameLossGivesTheSameBytesEveryTime() {
        String loss = "Math.log1p(Math.exp(-y * (a * x0 + b * x1 + c * x2 + d * x3 + e * x4 + f)))";
        List<String> parameters = List.of("a", "b", "c", "d", "e", "f");
        List<String> inputs = List.of("x0", "x1", "x2", "x3", "x4", "y");
        for (Backend backend : Backend.values()) {
            byte[] first = ClassGenerator.generate(new LossCompiler().compile(loss, parameters, inputs), "p/L", backend);
            for (int attempt = 0; attempt < 20; attempt++) {
                // A fresh compile interns fresh nodes with new identity hash codes.
                byte[] again = ClassGenerator.generate(new LossCompiler().compile(loss, parameters, inputs), "p/L", backend);
                assertArrayEquals(first, again, backend + " backend, attempt " + attempt);
            }
        }
    }

    /** A loop class too: a network's kernels compute its local arrays lane by lane (ExampleLanes). */
    @Test
    void theSameNetworkGivesTheSameLoopClassEveryTime() {
        byte[] first = ClassGenerator.generate(IndexedLosses.network(5, 4, 3), "p/N");
        for (int attempt = 0; attempt < 20; attempt++) {
            byte[] again = ClassGenerator.generate(IndexedLosses.network(5, 4, 3), "p/N");
            assertArrayEquals(first, again, "attempt " + attempt);
        }
    }
}
