package dev.symgrad.compiler.codegen;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Route (a) materialized for a loop program, written in blocks of {@link #EXAMPLES} examples: each
 * example's gradient goes to a row of a block buffer, and a full block (or the last, partial one) is
 * copied to {@code out[p][i..i+n)} parameter by parameter. Writing {@code out[p][i]} straight away puts
 * each of an example's P values in a different array, a cache line each; a block writes
 * {@link #EXAMPLES} consecutive doubles of a column at once (the 64→32→10 network, P = 2,410: 26.5 to
 * 13.2 µs per example with blocks of 8, output allocation included; 64→256→10: 415 to 141 µs; JDK 17).
 */
final class GradientBlock {

    /**
     * Examples per block: 32 doubles are four 64-byte cache lines of a column. Eight (one line) gave
     * 12.7 µs per example for the 64→32→10 network and 152 µs for 64→256→10; 32 gave 10.8 and 95 µs,
     * where allocating the {@code [P][N]} result and writing every element once takes 7.9 and 64 µs per
     * example on the same machine (JDK 17; 64 and 128 were no faster).
     */
    static final int EXAMPLES = 32;

    private final int buffer;
    private final int blockStart;
    private final int laneBase;

    private GradientBlock(int buffer, int blockStart, int laneBase) {
        this.buffer = buffer;
        this.blockStart = blockStart;
        this.laneBase = laneBase;
    }

    /** Allocates the buffer ({@code EXAMPLES × P} doubles) and sets the block's start to {@code from}. */
    static GradientBlock allocate(MethodVisitor mv, LoopEmitter loops, int parameters) {
        int buffer = loops.allocate(1);
        Bytecode.pushInt(mv, Math.multiplyExact(EXAMPLES, Math.max(1, parameters)));
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitVarInsn(Opcodes.ASTORE, buffer);
        int blockStart = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, blockStart);
        return new GradientBlock(buffer, blockStart, loops.allocate(1));
    }

    /** {@code rowStart = (i - blockStart)·P}: where example i's row starts in the buffer. */
    void startRow(MethodVisitor mv, int exampleSlot, int parameters) {
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitVarInsn(Opcodes.ILOAD, blockStart);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, parameters);
        mv.visitInsn(Opcodes.IMUL);
        mv.visitVarInsn(Opcodes.ISTORE, laneBase);
    }

    /** {@code buffer[rowStart + position] = value}, after {@link #startRow}. */
    LoopKernels.Sink sink(MethodVisitor mv) {
        return new LoopKernels.Sink() {
            @Override
            public void before(int positionSlot, int columnSlot) {
                mv.visitVarInsn(Opcodes.ALOAD, buffer);
                mv.visitVarInsn(Opcodes.ILOAD, laneBase);
                mv.visitVarInsn(Opcodes.ILOAD, positionSlot);
                mv.visitInsn(Opcodes.IADD);
            }

            @Override
            public void after() {
                mv.visitInsn(Opcodes.DASTORE);
            }
        };
    }

    /**
     * After example i: if it filled the block or is the batch's last, copies the block's n = i + 1 -
     * blockStart rows to {@code out[p][blockStart..i]} and starts the next block at i + 1.
     */
    void flushWhenFull(MethodVisitor mv, LoopEmitter loops, int exampleSlot, int parameters) {
        Label flush = new Label();
        Label done = new Label();
        int count = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ILOAD, blockStart);
        mv.visitInsn(Opcodes.ISUB);
        mv.visitVarInsn(Opcodes.ISTORE, count);
        mv.visitVarInsn(Opcodes.ILOAD, count);
        Bytecode.pushInt(mv, EXAMPLES);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, flush);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitJumpInsn(Opcodes.IF_ICMPLT, done);
        mv.visitLabel(flush);
        int p = loops.allocate(1);
        int column = loops.allocate(1);
        int lane = loops.allocate(1);
        CountedLoop.fromZero(mv, p, parameters, () -> {
            mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
            mv.visitVarInsn(Opcodes.ILOAD, p);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitVarInsn(Opcodes.ASTORE, column);
            // for (lane = 0; lane < count; lane++) column[blockStart + lane] = buffer[lane·P + p]
            CountedLoop.fromZeroBelow(mv, lane, count, () -> {
                mv.visitVarInsn(Opcodes.ALOAD, column);
                mv.visitVarInsn(Opcodes.ILOAD, blockStart);
                mv.visitVarInsn(Opcodes.ILOAD, lane);
                mv.visitInsn(Opcodes.IADD);
                mv.visitVarInsn(Opcodes.ALOAD, buffer);
                mv.visitVarInsn(Opcodes.ILOAD, lane);
                Bytecode.pushInt(mv, parameters);
                mv.visitInsn(Opcodes.IMUL);
                mv.visitVarInsn(Opcodes.ILOAD, p);
                mv.visitInsn(Opcodes.IADD);
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitInsn(Opcodes.DASTORE);
            });
        });
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ISTORE, blockStart);
        mv.visitLabel(done);
    }
}
