package dev.symgrad.compiler.codegen;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The inputs of a loop class's batch kernel as one row per example, for kernels whose index loops read
 * input arrays: a layer reads each {@code x[j]} once per hidden unit, and from a row those reads are
 * consecutive doubles, not one column (and one cache line) per element.
 *
 * <p>The rows are gathered a block of examples at a time, column by column: each column's block of
 * consecutive doubles is read once for the block, where gathering one example at a time reads one cache
 * line, and at 100,000 features one page, per element and example. The block holds at most
 * {@link #BLOCK_DOUBLES} doubles (8 MB).
 */
final class InputRows {

    /** Most examples gathered at a time. */
    static final int MAX_BLOCK = 16;

    /** Most doubles in the block of rows: a wide input takes fewer examples at a time. */
    static final int BLOCK_DOUBLES = 1 << 20;

    private final int blockSlot;
    private final int rowSlot;
    private final int inputs;
    private final int examplesPerBlock;

    private InputRows(int blockSlot, int rowSlot, int inputs) {
        this.blockSlot = blockSlot;
        this.rowSlot = rowSlot;
        this.inputs = inputs;
        this.examplesPerBlock = examplesPerBlock(inputs);
    }

    /**
     * Examples gathered at a time: a multiple of {@link LoopEmitter#JAM} where at least that many fit, so
     * that the examples whose sums are jammed together (JAM of them, from the start of the slice) never
     * straddle two blocks, whose gathering would overwrite rows still in use.
     */
    static int examplesPerBlock(int inputs) {
        int fit = Math.max(1, Math.min(MAX_BLOCK, BLOCK_DOUBLES / Math.max(1, inputs)));
        return fit >= LoopEmitter.JAM ? fit - fit % LoopEmitter.JAM : fit;
    }

    /** Allocates the block of rows into {@code blockSlot}; {@code rowSlot} will hold the current example's row. */
    static InputRows allocate(MethodVisitor mv, int blockSlot, int rowSlot, int inputs) {
        InputRows rows = new InputRows(blockSlot, rowSlot, inputs);
        Bytecode.pushInt(mv, rows.examplesPerBlock);
        Bytecode.pushInt(mv, inputs);
        mv.visitMultiANewArrayInsn("[[D", 2);
        mv.visitVarInsn(Opcodes.ASTORE, blockSlot);
        return rows;
    }

    /** Whether JAM consecutive examples' rows, starting at a multiple of JAM into the slice, are live at once. */
    boolean holdsJammedExamples() {
        return examplesPerBlock % LoopEmitter.JAM == 0;
    }

    /** As {@link #selectRow(MethodVisitor, LoopEmitter, int, int)} into the kernel's row local. */
    void selectRow(MethodVisitor mv, LoopEmitter loops, int exampleSlot) {
        selectRow(mv, loops, exampleSlot, rowSlot);
    }

    /**
     * At example {@code i}: where a block starts ({@code (i - from) % block == 0}), gathers the rows of
     * examples i .. min(i + block, to) - 1; then points the local {@code targetSlot} at example i's row.
     */
    void selectRow(MethodVisitor mv, LoopEmitter loops, int exampleSlot, int targetSlot) {
        int lane = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, examplesPerBlock);
        mv.visitInsn(Opcodes.IREM);
        mv.visitVarInsn(Opcodes.ISTORE, lane);
        Label gathered = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, lane);
        mv.visitJumpInsn(Opcodes.IFNE, gathered);
        gather(mv, loops, exampleSlot);
        mv.visitLabel(gathered);
        mv.visitVarInsn(Opcodes.ALOAD, blockSlot);
        mv.visitVarInsn(Opcodes.ILOAD, lane);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, targetSlot);
    }

    /** Points the kernel's row local at example i's row, gathered already: {@code row = block[(i - from) % block]}. */
    void pointAtRow(MethodVisitor mv, LoopEmitter loops, int exampleSlot) {
        mv.visitVarInsn(Opcodes.ALOAD, blockSlot);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, examplesPerBlock);
        mv.visitInsn(Opcodes.IREM);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, rowSlot);
    }

    /** {@code for c: col = columns[c]; for e < count: block[e][c] = col[i + e]}. */
    private void gather(MethodVisitor mv, LoopEmitter loops, int exampleSlot) {
        int count = loops.allocate(1);
        int column = loops.allocate(1);
        int c = loops.allocate(1);
        int e = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, examplesPerBlock);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(Opcodes.ISTORE, count);
        CountedLoop.fromZero(mv, c, inputs, () -> {
            mv.visitVarInsn(Opcodes.ALOAD, Kernel.COLUMNS);
            mv.visitVarInsn(Opcodes.ILOAD, c);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitVarInsn(Opcodes.ASTORE, column);
            CountedLoop.fromZeroBelow(mv, e, count, () -> {
                mv.visitVarInsn(Opcodes.ALOAD, blockSlot);
                mv.visitVarInsn(Opcodes.ILOAD, e);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitVarInsn(Opcodes.ILOAD, c);
                mv.visitVarInsn(Opcodes.ALOAD, column);
                mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
                mv.visitVarInsn(Opcodes.ILOAD, e);
                mv.visitInsn(Opcodes.IADD);
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitInsn(Opcodes.DASTORE);
            });
        });
    }
}
