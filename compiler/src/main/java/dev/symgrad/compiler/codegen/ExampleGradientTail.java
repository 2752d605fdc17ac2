package dev.symgrad.compiler.codegen;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The per-example arithmetic of a loop program's fused clipping and norm kernels, that of
 * {@code LossCompiler}'s clipped sum and scaled norm: the clipping factor from one example's squared
 * norm, and the overflow-safe norm of a gradient held in {@code g[0..P-1]}, as loops over P instead of P
 * unrolled terms. Sums of squares add in parameter order.
 */
final class ExampleGradientTail {

    /** Below this sum of squares, with C below {@link #TINY_CLIP_NORM}, an example may escape clipping. */
    private static final double TINY_SQUARES = 0x1p-969;

    private static final double TINY_CLIP_NORM = 0x1p-400;

    private static final double LARGEST_SCALE = 0x1p1022;

    private ExampleGradientTail() {
    }

    /**
     * {@code min(1, C/sqrt(Σ g²))} into a new double local, whose slot is returned, given the code that
     * pushes {@code Σ g²}; and {@code sums[P] += 1} where that norm cannot be trusted (the sum of squares
     * overflowed or is NaN, or is below 2^-969 while C is below 2^-400): the runtime then clips the batch
     * by its reference arithmetic. C is {@code params[P]}.
     */
    static int clipFactor(MethodVisitor mv, LoopEmitter loops, Runnable squaredNorm, int sums, int parameters) {
        int squares = loops.allocate(2);
        squaredNorm.run();
        mv.visitVarInsn(Opcodes.DSTORE, squares);
        int factor = loops.allocate(2);
        mv.visitInsn(Opcodes.DCONST_1);
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.PARAMS);
        Bytecode.pushInt(mv, parameters);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitVarInsn(Opcodes.DLOAD, squares);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "sqrt", "(D)D", false);
        mv.visitInsn(Opcodes.DDIV);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(DD)D", false);
        mv.visitVarInsn(Opcodes.DSTORE, factor);
        // trusted = squares < ∞ && (squares >= 2^-969 || C >= 2^-400); NaN compares false, so it counts.
        Label untrusted = new Label();
        Label trusted = new Label();
        jumpUnlessBelowInfinity(mv, squares, untrusted);
        mv.visitVarInsn(Opcodes.DLOAD, squares);
        mv.visitLdcInsn(TINY_SQUARES);
        mv.visitInsn(Opcodes.DCMPL);
        mv.visitJumpInsn(Opcodes.IFGE, trusted);
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.PARAMS);
        Bytecode.pushInt(mv, parameters);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitLdcInsn(TINY_CLIP_NORM);
        mv.visitInsn(Opcodes.DCMPL);
        mv.visitJumpInsn(Opcodes.IFGE, trusted);
        mv.visitLabel(untrusted);
        mv.visitVarInsn(Opcodes.ALOAD, sums);
        Bytecode.pushInt(mv, parameters);
        mv.visitInsn(Opcodes.DUP2);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitInsn(Opcodes.DCONST_1);
        mv.visitInsn(Opcodes.DADD);
        mv.visitInsn(Opcodes.DASTORE);
        mv.visitLabel(trusted);
        return factor;
    }

    /**
     * {@code out[i] = sqrt(Σ g²)} given the code that pushes {@code Σ g²}, where that sum is finite and at
     * least 2^-969 (so its square root is as accurate as the scaled norm); otherwise jumps to
     * {@code otherwise} having stored nothing.
     */
    static void storeNormWhereSafe(MethodVisitor mv, LoopEmitter loops, Runnable squaredNorm, int exampleSlot,
                                   Label otherwise) {
        int squares = loops.allocate(2);
        squaredNorm.run();
        mv.visitVarInsn(Opcodes.DSTORE, squares);
        // NaN compares greater under dcmpg, so it takes the other way too.
        jumpUnlessBelowInfinity(mv, squares, otherwise);
        mv.visitVarInsn(Opcodes.DLOAD, squares);
        mv.visitLdcInsn(TINY_SQUARES);
        mv.visitInsn(Opcodes.DCMPL);
        mv.visitJumpInsn(Opcodes.IFLT, otherwise);
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        mv.visitVarInsn(Opcodes.DLOAD, squares);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "sqrt", "(D)D", false);
        mv.visitInsn(Opcodes.DASTORE);
    }

    /**
     * {@code out[i] = ‖g‖₂} without overflow or underflow in between: with {@code m = max |g_p|},
     * {@code M = m} clamped to [MIN_NORMAL, 2^1022] and {@code r = 1/M}, the norm is
     * {@code M·sqrt(Σ (g_p·r)²)}, and {@code m} itself where that is infinite or NaN.
     */
    static void norm(MethodVisitor mv, LoopEmitter loops, int g, int parameters, int exampleSlot) {
        int largest = loops.allocate(2);
        mv.visitInsn(Opcodes.DCONST_0);
        mv.visitVarInsn(Opcodes.DSTORE, largest);
        int p = loops.allocate(1);
        overParameters(mv, p, parameters, () -> {
            mv.visitVarInsn(Opcodes.DLOAD, largest);
            mv.visitVarInsn(Opcodes.ALOAD, g);
            mv.visitVarInsn(Opcodes.ILOAD, p);
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "abs", "(D)D", false);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "max", "(DD)D", false);
            mv.visitVarInsn(Opcodes.DSTORE, largest);
        });
        int scale = loops.allocate(2);
        mv.visitVarInsn(Opcodes.DLOAD, largest);
        mv.visitLdcInsn(Double.MIN_NORMAL);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "max", "(DD)D", false);
        mv.visitLdcInsn(LARGEST_SCALE);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(DD)D", false);
        mv.visitVarInsn(Opcodes.DSTORE, scale);
        int reciprocal = loops.allocate(2);
        mv.visitInsn(Opcodes.DCONST_1);
        mv.visitVarInsn(Opcodes.DLOAD, scale);
        mv.visitInsn(Opcodes.DDIV);
        mv.visitVarInsn(Opcodes.DSTORE, reciprocal);
        int squares = loops.allocate(2);
        sumOfSquares(mv, loops, g, parameters, squares, reciprocal);
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
        mv.visitVarInsn(Opcodes.ILOAD, exampleSlot);
        Label infinite = new Label();
        Label stored = new Label();
        jumpUnlessBelowInfinity(mv, largest, infinite);
        mv.visitVarInsn(Opcodes.DLOAD, scale);
        mv.visitVarInsn(Opcodes.DLOAD, squares);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "sqrt", "(D)D", false);
        mv.visitInsn(Opcodes.DMUL);
        mv.visitJumpInsn(Opcodes.GOTO, stored);
        mv.visitLabel(infinite);
        mv.visitVarInsn(Opcodes.DLOAD, largest);
        mv.visitLabel(stored);
        mv.visitInsn(Opcodes.DASTORE);
    }

    /** Jumps to {@code target} unless the double local is below +∞: where it is infinite or NaN (dcmpg gives 1). */
    private static void jumpUnlessBelowInfinity(MethodVisitor mv, int slot, Label target) {
        mv.visitVarInsn(Opcodes.DLOAD, slot);
        mv.visitLdcInsn(Double.POSITIVE_INFINITY);
        mv.visitInsn(Opcodes.DCMPG);
        mv.visitJumpInsn(Opcodes.IFGE, target);
    }

    /** {@code squares = Σ_p (g[p]·r)²}, or {@code Σ_p g[p]²} when {@code reciprocal} is -1. */
    private static void sumOfSquares(MethodVisitor mv, LoopEmitter loops, int g, int parameters, int squares,
                                     int reciprocal) {
        mv.visitInsn(Opcodes.DCONST_0);
        mv.visitVarInsn(Opcodes.DSTORE, squares);
        int p = loops.allocate(1);
        int value = loops.allocate(2);
        overParameters(mv, p, parameters, () -> {
            mv.visitVarInsn(Opcodes.ALOAD, g);
            mv.visitVarInsn(Opcodes.ILOAD, p);
            mv.visitInsn(Opcodes.DALOAD);
            if (reciprocal >= 0) {
                mv.visitVarInsn(Opcodes.DLOAD, reciprocal);
                mv.visitInsn(Opcodes.DMUL);
            }
            mv.visitVarInsn(Opcodes.DSTORE, value);
            mv.visitVarInsn(Opcodes.DLOAD, squares);
            mv.visitVarInsn(Opcodes.DLOAD, value);
            mv.visitVarInsn(Opcodes.DLOAD, value);
            mv.visitInsn(Opcodes.DMUL);
            mv.visitInsn(Opcodes.DADD);
            mv.visitVarInsn(Opcodes.DSTORE, squares);
        });
    }

    private static void overParameters(MethodVisitor mv, int p, int parameters, Runnable body) {
        CountedLoop.fromZero(mv, p, parameters, body);
    }
}
