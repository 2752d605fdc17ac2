package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Node;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashMap;
import java.util.Map;

/**
 * The sums over the examples of a loop class's batch kernels (routes (a) summed and (b), the fused
 * clipped sum): one accumulator per gradient element, added in example order, so the result does not
 * depend on how the sums are laid out.
 *
 * <p>An array parameter's sums are rows, one {@code double[]} per value of its outer indices, added at
 * its innermost index: the loop over a row is {@code row[j] += value(j)}, where the store and the loads
 * of the other arrays share the loop's index. Added at {@code offset + j} in one flat array, JDK 17's
 * SuperWord does not vectorize that loop (a 64-long {@code g[base + j] += x[j]·f} ran at 1.2 ns per
 * element against 0.2 with the row, JDK 17; JDK 25 vectorizes both). The rows go to the flat output
 * once, after the example loop.
 */
final class GradientSums {

    private final int flatSlot;
    private final int length;
    private final Map<Integer, Integer> rowsSlots;
    private final int currentRowSlot;
    private final IndexedLossProgram program;

    private GradientSums(IndexedLossProgram program, int flatSlot, int length, Map<Integer, Integer> rowsSlots,
                         int currentRowSlot) {
        this.program = program;
        this.flatSlot = flatSlot;
        this.length = length;
        this.rowsSlots = rowsSlots;
        this.currentRowSlot = currentRowSlot;
    }

    /**
     * Allocates the sums: a flat {@code double[length]} (scalar parameters, and whatever the kernel keeps
     * after the parameters) and the rows of each parameter whose gradient is an array.
     */
    static GradientSums allocate(MethodVisitor mv, LoopEmitter loops, IndexedLossProgram program, int length) {
        int flat = loops.allocate(1);
        Bytecode.pushInt(mv, length);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitVarInsn(Opcodes.ASTORE, flat);
        Map<Integer, Integer> rows = new HashMap<>();
        for (int p = 0; p < program.parameters().size(); p++) {
            if (program.gradient().get(p) instanceof Comprehension block) {
                int slot = loops.allocate(1);
                Bytecode.pushInt(mv, rowCount(block));
                Bytecode.pushInt(mv, rowLength(block));
                mv.visitMultiANewArrayInsn("[[D", 2);
                mv.visitVarInsn(Opcodes.ASTORE, slot);
                rows.put(p, slot);
            }
        }
        int current = loops.allocate(1);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitVarInsn(Opcodes.ASTORE, current);
        return new GradientSums(program, flat, length, rows, current);
    }

    private static int rowLength(Comprehension block) {
        return block.indices().get(block.indices().size() - 1).extent();
    }

    private static int rowCount(Comprehension block) {
        return block.size() / rowLength(block);
    }

    /** The local holding array parameter {@code parameter}'s sums as rows ({@code double[rows][row length]}). */
    int rowsSlot(int parameter) {
        return rowsSlots.get(parameter);
    }

    /** The flat sums' local: the kernel's own entries after the parameters live there. */
    int flatSlot() {
        return flatSlot;
    }

    /**
     * {@code sum += value}, or {@code += value·factor} with {@code factorSlot} a double local (the fused
     * clipped sum); {@code factorSlot} -1 means no factor.
     */
    LoopKernels.Sink sink(MethodVisitor mv, int factorSlot) {
        return new LoopKernels.Sink() {
            private int rowLength;

            @Override
            public void startRow(int parameter, int rowPositionSlot) {
                Node block = program.gradient().get(parameter);
                rowLength = rowLength((Comprehension) block);
                mv.visitVarInsn(Opcodes.ALOAD, rowsSlots.get(parameter));
                mv.visitVarInsn(Opcodes.ILOAD, rowPositionSlot);
                Bytecode.pushInt(mv, rowLength);
                mv.visitInsn(Opcodes.IDIV);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitVarInsn(Opcodes.ASTORE, currentRowSlot);
            }

            @Override
            public void before(int positionSlot, int columnSlot) {
                if (columnSlot >= 0) {
                    mv.visitVarInsn(Opcodes.ALOAD, currentRowSlot);
                    mv.visitVarInsn(Opcodes.ILOAD, columnSlot);
                } else {
                    mv.visitVarInsn(Opcodes.ALOAD, flatSlot);
                    mv.visitVarInsn(Opcodes.ILOAD, positionSlot);
                }
                mv.visitInsn(Opcodes.DUP2);
                mv.visitInsn(Opcodes.DALOAD);
            }

            @Override
            public void after() {
                if (factorSlot >= 0) {
                    mv.visitVarInsn(Opcodes.DLOAD, factorSlot);
                    mv.visitInsn(Opcodes.DMUL);
                }
                mv.visitInsn(Opcodes.DADD);
                mv.visitInsn(Opcodes.DASTORE);
            }
        };
    }

    /**
     * After the example loop: the rows into the flat sums at their parameters' offsets, then the flat
     * sums to {@code out} (stored, not added: the runtime's out may hold anything).
     */
    void store(MethodVisitor mv, LoopEmitter loops, int outSlot) {
        for (Map.Entry<Integer, Integer> entry : rowsSlots.entrySet()) {
            Comprehension block = (Comprehension) program.gradient().get(entry.getKey());
            int offset = program.offsetOf(entry.getKey());
            int rowLength = rowLength(block);
            int r = loops.allocate(1);
            CountedLoop.fromZero(mv, r, rowCount(block), () -> {
                mv.visitVarInsn(Opcodes.ALOAD, entry.getValue());
                mv.visitVarInsn(Opcodes.ILOAD, r);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitInsn(Opcodes.ICONST_0);
                mv.visitVarInsn(Opcodes.ALOAD, flatSlot);
                mv.visitVarInsn(Opcodes.ILOAD, r);
                Bytecode.pushInt(mv, rowLength);
                mv.visitInsn(Opcodes.IMUL);
                Bytecode.pushInt(mv, offset);
                mv.visitInsn(Opcodes.IADD);
                Bytecode.pushInt(mv, rowLength);
                Bytecode.arraycopy(mv);
            });
        }
        mv.visitVarInsn(Opcodes.ALOAD, flatSlot);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ALOAD, outSlot);
        mv.visitInsn(Opcodes.ICONST_0);
        Bytecode.pushInt(mv, length);
        Bytecode.arraycopy(mv);
    }
}
