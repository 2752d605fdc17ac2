package dev.symgrad.compiler.codegen;

import java.util.List;

/**
 * How a loop class's batch kernels are scheduled, from the fastest to the smallest code: a kernel that
 * a schedule would take past what the JIT compiles falls back to the next one.
 */
enum LoopSchedule {
    /** Per-example values computed for blocks of examples, the examples innermost ({@link ExampleLanes}); sums jammed. */
    LANES(true, true),
    /** One example at a time, sums of array elements and of examples jammed ({@link LoopEmitter#JAM}). */
    JAMMED(false, true),
    /** One example at a time, every sum alone. */
    PLAIN(false, false);

    final boolean lanes;
    final boolean jamSums;

    LoopSchedule(boolean lanes, boolean jamSums) {
        this.lanes = lanes;
        this.jamSums = jamSums;
    }

    /** This schedule and the ones after it, to fall back on in order. */
    List<LoopSchedule> andSmaller() {
        List<LoopSchedule> all = List.of(values());
        return all.subList(ordinal(), all.size());
    }
}
