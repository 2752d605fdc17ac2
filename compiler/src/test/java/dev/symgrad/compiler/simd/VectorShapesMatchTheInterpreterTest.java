package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.hardening.FuzzTries;
import dev.symgrad.compiler.properties.KernelChecks;
import dev.symgrad.compiler.properties.RandomLosses;
import dev.symgrad.compiler.properties.ShapeArbitraries;
import dev.symgrad.compiler.properties.ShapeLosses;
import dev.symgrad.compiler.properties.ShapeLosses.LossCase;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.List;

/**
 * The vector backend's classes, in each scalar loop shape it falls back to for kernels beyond its
 * limits and with both conditional forms (its scalar tail uses them), against the IR interpreter on
 * the same losses, batches and kernels as the scalar shapes ({@code EveryShapeMatchesTheInterpreterTest}):
 * per-example values within {@link VectorErrorBound} (bit for bit where only IEEE operations are
 * involved), sums within the summation-order bound.
 */
@AddLifecycleHook(FuzzTries.class)
class VectorShapesMatchTheInterpreterTest extends ShapeArbitraries {

    /** Losses of IEEE operations only, which the vector backend must compute bit for bit. */
    @Provide
    Arbitrary<LossCase> exactCases() {
        return RandomLosses.arithmeticLosses().map(source -> new LossCase(source, List.of("w", "b", "v"),
                RandomLosses.INPUTS));
    }

    /** Over moderate values: with wide ones most error bounds are infinite and assert nothing. */
    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void everyKernelInEveryVectorShapeMatchesTheInterpreter(@ForAll("cases") LossCase loss, @ForAll("sizes") int size,
                                                            @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, size, seed, false, KernelChecks.shapes(Backend.VECTOR),
                new VectorErrorBound());
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void everyKernelInEveryVectorShapeMatchesTheInterpreterOverWideValues(@ForAll("cases") LossCase loss,
                                                                          @ForAll("sizes") int size,
                                                                          @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, size, seed, true, KernelChecks.shapes(Backend.VECTOR),
                new VectorErrorBound());
    }

    /** The stop-gradient of a written-out log-sum-exp's shift is the identity in the vector loops too. */
    @Example
    void aShiftedLogSumExpMatchesTheInterpreterInEveryVectorShape() {
        for (int size : ShapeLosses.BATCH_SIZES) {
            KernelChecks.assertEveryShape(ShapeLosses.SHIFTED_LOG_SUM_EXP, size, 20L + size, false,
                    KernelChecks.shapes(Backend.VECTOR), new VectorErrorBound());
        }
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void lossesOfIeeeOperationsAreBitForBitInEveryVectorShape(@ForAll("exactCases") LossCase loss,
                                                              @ForAll("sizes") int size, @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, size, seed, true, KernelChecks.shapes(Backend.VECTOR),
                KernelChecks.PerExample.EXACT);
    }
}
