package dev.symgrad.compiler.codegen;

/**
 * How a class's batch kernels are shaped: the {@link Backend}, the loop structure, and how a conditional
 * whose test reads the data is emitted. {@link #chosen(Backend)} is what every compile uses; the other
 * shapes exist so that tests can force each one on any loss and compare it with the IR interpreter, and so
 * that a measurement can switch one choice off. Whatever the scalar shape, per-example values are the
 * interpreter's to the bit and sums differ only in the order of their additions; the vector backend's
 * functions differ from {@code Math}'s by a few ulp.
 *
 * @param backend      scalar loops, or the Vector API where a kernel fits its limits (else the scalar shape)
 * @param loops        the scalar loop structure
 * @param conditionals data-dependent conditionals in batch loops (the chunked shape always jumps)
 */
public record CodeShape(Backend backend, Loops loops, Conditionals conditionals) {

    /** The scalar loop structure of a kernel. */
    public enum Loops {
        /**
         * The generator's choice: {@link #STAGED} where a batch loop calls a function C2 cannot vectorize,
         * else {@link #FUSED}; {@link #CHUNKED} where a method would be too large for the JIT.
         */
        CHOSEN,
        /** One loop, every value in a local ({@link InlineKernels}); chunked if the method would be too large. */
        FUSED,
        /** Loop fission over blocks of examples ({@link StagedLoops}), calls or not; chunked if too large. */
        STAGED,
        /** Every computation in helper methods over scratch arrays ({@link ChunkedKernels}). */
        CHUNKED
    }

    /** How a conditional whose test depends on the example is emitted in a batch loop. */
    public enum Conditionals {
        /** Both branches computed, the value selected with bit masks (no branch to mispredict). */
        BIT_MASK,
        /** A jump, as javac compiles {@code ?:}. */
        JUMP
    }

    /** Set to {@code false} to keep every batch loop fused; only for measuring what fission gains. */
    public static final String LOOP_FISSION_PROPERTY = "symgrad.loopFission";

    /**
     * Set to {@code false} to emit every conditional in a batch loop as a jump, as javac would; only for
     * measuring what the default branch-free selection gains (see {@code ValueEmitter}).
     */
    public static final String BRANCH_FREE_PROPERTY = "symgrad.branchFreeConditionals";

    public CodeShape {
        if (backend == null || loops == null || conditionals == null) {
            throw new IllegalArgumentException("a code shape needs a backend, loops and conditionals");
        }
    }

    /**
     * The generator's own choices for {@code backend}, unless {@value #LOOP_FISSION_PROPERTY} or
     * {@value #BRANCH_FREE_PROPERTY} is {@code false} (read on every call: they are for measurements).
     */
    public static CodeShape chosen(Backend backend) {
        Loops loops = "false".equals(System.getProperty(LOOP_FISSION_PROPERTY)) ? Loops.FUSED : Loops.CHOSEN;
        Conditionals conditionals = "false".equals(System.getProperty(BRANCH_FREE_PROPERTY))
                ? Conditionals.JUMP : Conditionals.BIT_MASK;
        return new CodeShape(backend, loops, conditionals);
    }

    boolean branchFree() {
        return conditionals == Conditionals.BIT_MASK;
    }
}
