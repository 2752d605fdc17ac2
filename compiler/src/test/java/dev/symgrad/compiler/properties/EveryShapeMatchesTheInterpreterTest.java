package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.hardening.FuzzTries;
import dev.symgrad.compiler.properties.ShapeLosses.LossCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.List;

/**
 * Whatever shape the generator is forced into, every kernel computes what the IR interpreter computes:
 * fused, staged (loop fission, with or without calls) and chunked loops, each with bit-mask and jump
 * conditionals (the chunked shape always jumps), on {@link ShapeLosses} (unused parameters, parameters in
 * one branch, constant derivatives, vector parameters, losses large enough to chunk) over wide values,
 * at batch sizes crossing every tail and block boundary, for the loss's class and for the classes of its
 * second derivatives. See {@link KernelChecks} for what is compared.
 * The vector backend's shapes are checked in the {@code simd} suite, which runs with the module. A long
 * campaign raises the tries with {@value FuzzTries#PROPERTY}.
 */
@AddLifecycleHook(FuzzTries.class)
// Shrinking off: jqwik shrinks on the common fork-join pool, which the kernels' parallel variants share; on a
// 2-core machine (one common-pool worker) a failure here once left the shrinker computing distances for 15
// minutes while the property waited for the pool. Unshrunk, a failure reports its sample and seed at once.
class EveryShapeMatchesTheInterpreterTest extends ShapeArbitraries {

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void everyKernelInEveryScalarShapeMatchesTheInterpreter(@ForAll("cases") LossCase loss, @ForAll("sizes") int size,
                                                            @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, size, seed, true, KernelChecks.shapes(Backend.SCALAR),
                KernelChecks.PerExample.EXACT);
    }

    /** Moderate values: with wide ones most sums overflow or are dominated by one huge term. */
    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void everyKernelInEveryScalarShapeMatchesTheInterpreterOverModerateValues(@ForAll("cases") LossCase loss,
                                                                              @ForAll("sizes") int size,
                                                                              @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, size, seed, false, KernelChecks.shapes(Backend.SCALAR),
                KernelChecks.PerExample.EXACT);
    }

    /**
     * The classes of second derivatives (Hessian-vector products, the Hessian's diagonal, the weighted loss of
     * vector-Jacobian products, the margins' first and second derivatives) go through the same generator; each in
     * every shape against the interpreter.
     */
    @Property(tries = 32, shrinking = ShrinkingMode.OFF)
    void everySecondOrderKernelInEveryScalarShapeMatchesTheInterpreter(@ForAll("unchunked") LossCase loss,
                                                                       @ForAll("secondOrder") KernelChecks.Program which,
                                                                       @ForAll("sizes") int size,
                                                                       @ForAll("seeds") long seed) {
        KernelChecks.assertEveryShape(loss, which, size, seed, false, KernelChecks.shapes(Backend.SCALAR),
                KernelChecks.PerExample.EXACT);
    }

    /**
     * A written-out log-sum-exp of three terms, shifted by its maximum under a stop-gradient (which random
     * losses seldom make), and its margins' derivatives: every batch size, every shape.
     */
    @Example
    void aShiftedLogSumExpMatchesTheInterpreterInEveryScalarShape() {
        for (int size : ShapeLosses.BATCH_SIZES) {
            for (KernelChecks.Program which : List.of(KernelChecks.Program.LOSS,
                    KernelChecks.Program.MARGIN_DERIVATIVES)) {
                KernelChecks.assertEveryShape(ShapeLosses.SHIFTED_LOG_SUM_EXP, which, size, 20L + size, false,
                        KernelChecks.shapes(Backend.SCALAR), KernelChecks.PerExample.EXACT);
            }
        }
    }

    @Provide
    Arbitrary<LossCase> unchunked() {
        return ShapeLosses.cases(false);
    }

    @Provide
    Arbitrary<KernelChecks.Program> secondOrder() {
        return Arbitraries.of(KernelChecks.Program.HESSIAN_VECTOR_PRODUCT, KernelChecks.Program.HESSIAN_DIAGONAL,
                KernelChecks.Program.WEIGHTED, KernelChecks.Program.MARGIN_DERIVATIVES);
    }
}
