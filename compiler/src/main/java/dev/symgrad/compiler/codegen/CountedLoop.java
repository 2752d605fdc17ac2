package dev.symgrad.compiler.codegen;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code for (i = from; i < to - (unroll - 1); i += unroll)} with the body once per lane (example
 * {@code i + lane}), then {@code for (; i < to; i++)} with the body in lane 0. Sums that give lane k
 * its own accumulators thus add example j to lane {@code (j - from) mod unroll}, and the last
 * {@code (to - from) mod unroll} examples to lane 0: the documented order.
 */
final class CountedLoop {

    /** Emits the work on example {@code i + offset} for accumulator lane {@code lane}. */
    interface Body {
        void emit(MethodVisitor mv, int offset, int lane);
    }

    private CountedLoop() {
    }

    /** {@code i}, {@code from} and {@code to} are int local slots; {@code i} is set to {@code from}. */
    static void emit(MethodVisitor mv, InlineKernels.Locals locals, int i, int from, int to, int unroll, Body body) {
        mv.visitVarInsn(Opcodes.ILOAD, from);
        mv.visitVarInsn(Opcodes.ISTORE, i);
        if (unroll > 1) {
            int limit = locals.allocate(null, 1);
            mv.visitVarInsn(Opcodes.ILOAD, to);
            Bytecode.pushInt(mv, unroll - 1);
            mv.visitInsn(Opcodes.ISUB);
            mv.visitVarInsn(Opcodes.ISTORE, limit);
            loop(mv, i, limit, unroll, body);
        }
        loop(mv, i, to, 1, body);
    }

    private static void loop(MethodVisitor mv, int i, int limit, int step, Body body) {
        whileBelow(mv, i, () -> mv.visitVarInsn(Opcodes.ILOAD, limit), step, () -> {
            for (int lane = 0; lane < step; lane++) {
                body.emit(mv, lane, lane);
            }
        });
    }

    /** {@code for (slot = 0; slot < bound; slot++) body}, {@code slot} an int local. */
    static void fromZero(MethodVisitor mv, int slot, int bound, Runnable body) {
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, slot);
        whileBelow(mv, slot, () -> Bytecode.pushInt(mv, bound), 1, body);
    }

    /** {@code for (slot = 0; slot < limit; slot++) body}, {@code slot} and {@code limitSlot} int locals. */
    static void fromZeroBelow(MethodVisitor mv, int slot, int limitSlot, Runnable body) {
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, slot);
        whileBelow(mv, slot, () -> mv.visitVarInsn(Opcodes.ILOAD, limitSlot), 1, body);
    }

    /**
     * {@code for (; slot < limit; slot += step) body}, {@code slot} an int local already set;
     * {@code pushLimit} pushes the limit (an int) at each test.
     */
    static void whileBelow(MethodVisitor mv, int slot, Runnable pushLimit, int step, Runnable body) {
        Label test = new Label();
        Label exit = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(Opcodes.ILOAD, slot);
        pushLimit.run();
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, exit);
        body.run();
        mv.visitIincInsn(slot, step);
        mv.visitJumpInsn(Opcodes.GOTO, test);
        mv.visitLabel(exit);
    }
}
