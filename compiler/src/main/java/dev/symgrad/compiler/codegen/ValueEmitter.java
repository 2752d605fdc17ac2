package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Unary;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Emits the instructions of one operator node, given a way to push each operand. Shared by both
 * code shapes (operands in locals, or in a scratch array). Operators are JVM arithmetic instructions
 * or static calls to {@code java.lang.Math}, which C2 treats as intrinsics; nothing else is called.
 */
final class ValueEmitter {

    /** Pushes the value of an already computed operand (a double, two stack slots). */
    interface OperandAccess {
        void load(MethodVisitor mv, Expr operand);
    }

    private static final String DOUBLE = "java/lang/Double";

    private ValueEmitter() {
    }

    /**
     * Emits code leaving the value of {@code node} (a unary, binary or conditional node) on the stack.
     * With {@code branchFree}, conditionals select their value with bit masks instead of a jump; see
     * {@link #emitMaskSelection}.
     */
    static void emitOperation(MethodVisitor mv, Expr node, OperandAccess operands, boolean branchFree) {
        if (node instanceof Unary unary) {
            emitUnary(mv, unary, operands);
        } else if (node instanceof Binary binary) {
            emitBinary(mv, binary, operands);
        } else if (node instanceof Conditional conditional) {
            if (branchFree) {
                emitMaskSelection(mv, conditional, operands);
            } else {
                emitConditional(mv, conditional, operands);
            }
        } else {
            throw new IllegalArgumentException("not an operator node: " + node.getClass().getSimpleName());
        }
    }

    private static void emitUnary(MethodVisitor mv, Unary node, OperandAccess operands) {
        operands.load(mv, node.operand());
        if (node.op() == dev.symgrad.compiler.ir.UnaryOp.NEG) {
            mv.visitInsn(Opcodes.DNEG);
        } else if (node.op() == dev.symgrad.compiler.ir.UnaryOp.STOP_GRADIENT) {
            return; // the identity: it matters only to differentiation
        } else {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, node.op().owner(), node.op().spelling(), "(D)D", false);
        }
    }

    private static void emitBinary(MethodVisitor mv, Binary node, OperandAccess operands) {
        operands.load(mv, node.left());
        operands.load(mv, node.right());
        switch (node.op()) {
            case ADD -> mv.visitInsn(Opcodes.DADD);
            case SUB -> mv.visitInsn(Opcodes.DSUB);
            case MUL -> mv.visitInsn(Opcodes.DMUL);
            case DIV -> mv.visitInsn(Opcodes.DDIV);
            case POW, MAX, MIN, HYPOT, LOGADDEXP ->
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, node.op().owner(), node.op().spelling(), "(DD)D", false);
        }
    }

    /** Both branches are already computed (they are pure); the test selects one. */
    private static void emitConditional(MethodVisitor mv, Conditional node, OperandAccess operands) {
        Label otherwise = new Label();
        Label end = new Label();
        emitBranch(mv, node.test(), otherwise, false, operands);
        operands.load(mv, node.ifTrue());
        mv.visitJumpInsn(Opcodes.GOTO, end);
        mv.visitLabel(otherwise);
        operands.load(mv, node.ifFalse());
        mv.visitLabel(end);
    }

    /**
     * {@code bits(f) ^ ((bits(t) ^ bits(f)) & mask)} with {@code mask} all ones when the test holds:
     * exactly the value the jump would select, bit for bit (NaN payloads and -0.0 included), because
     * both branches are already computed. C2 turns a {@code double} conditional into a real branch,
     * never a {@code cmov}; on data whose test outcome is random that branch mispredicts half the time
     * (about 5 ns per example here). The mask comes from {@code test ? -1L : 0L}, which C2 does turn into
     * an integer {@code cmov}: 1.5 instead of 5.0 ns per example for {@code x > 0 ? x : 0.1 * x} on random
     * signs, JDK 17 and 25. Used only in batch loops and only for tests that depend on the data: a test
     * that is the same for every example predicts perfectly and is cheaper as a jump.
     */
    private static void emitMaskSelection(MethodVisitor mv, Conditional node, OperandAccess operands) {
        operands.load(mv, node.ifFalse());
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE, "doubleToRawLongBits", "(D)J", false);
        mv.visitInsn(Opcodes.DUP2);
        operands.load(mv, node.ifTrue());
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE, "doubleToRawLongBits", "(D)J", false);
        mv.visitInsn(Opcodes.LXOR);
        emitMask(mv, node.test(), operands);
        mv.visitInsn(Opcodes.LAND);
        mv.visitInsn(Opcodes.LXOR);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE, "longBitsToDouble", "(J)D", false);
    }

    /** Pushes a {@code long} that is all ones when {@code condition} holds and zero otherwise. */
    private static void emitMask(MethodVisitor mv, Condition condition, OperandAccess operands) {
        if (condition instanceof BooleanConstant constant) {
            mv.visitLdcInsn(constant.value() ? -1L : 0L);
        } else if (condition instanceof Not not) {
            emitMask(mv, not.operand(), operands);
            mv.visitLdcInsn(-1L);
            mv.visitInsn(Opcodes.LXOR);
        } else if (condition instanceof Logical logical) {
            // Both operands are pure and already computed, so evaluating both is safe and branch-free.
            emitMask(mv, logical.left(), operands);
            emitMask(mv, logical.right(), operands);
            mv.visitInsn(logical.op() == Logical.Operator.AND ? Opcodes.LAND : Opcodes.LOR);
        } else {
            Label holds = new Label();
            Label end = new Label();
            emitComparison(mv, (Comparison) condition, holds, true, operands);
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(holds);
            mv.visitLdcInsn(-1L);
            mv.visitLabel(end);
        }
    }

    /**
     * Jumps to {@code target} when the condition's value equals {@code jumpWhen}, falls through otherwise.
     * Comparisons use {@code dcmpg}/{@code dcmpl} as javac does, so NaN makes every comparison but
     * {@code !=} false. Recursion depth is the condition's nesting, bounded by the parser's limit.
     */
    static void emitBranch(MethodVisitor mv, Condition condition, Label target, boolean jumpWhen, OperandAccess operands) {
        if (condition instanceof BooleanConstant constant) {
            if (constant.value() == jumpWhen) {
                mv.visitJumpInsn(Opcodes.GOTO, target);
            }
        } else if (condition instanceof Not not) {
            emitBranch(mv, not.operand(), target, !jumpWhen, operands);
        } else if (condition instanceof Logical logical) {
            boolean isAnd = logical.op() == Logical.Operator.AND;
            if (isAnd != jumpWhen) {
                // AND jumping on false, or OR jumping on true: either operand decides.
                emitBranch(mv, logical.left(), target, jumpWhen, operands);
                emitBranch(mv, logical.right(), target, jumpWhen, operands);
            } else {
                Label skip = new Label();
                emitBranch(mv, logical.left(), skip, !jumpWhen, operands);
                emitBranch(mv, logical.right(), target, jumpWhen, operands);
                mv.visitLabel(skip);
            }
        } else {
            emitComparison(mv, (Comparison) condition, target, jumpWhen, operands);
        }
    }

    private static void emitComparison(MethodVisitor mv, Comparison comparison, Label target, boolean jumpWhen,
                                       OperandAccess operands) {
        operands.load(mv, comparison.left());
        operands.load(mv, comparison.right());
        // dcmpg gives 1 on NaN and dcmpl gives -1: pick the one that makes NaN compare false.
        switch (comparison.op()) {
            case LT -> {
                mv.visitInsn(Opcodes.DCMPG);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFLT : Opcodes.IFGE, target);
            }
            case LE -> {
                mv.visitInsn(Opcodes.DCMPG);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFLE : Opcodes.IFGT, target);
            }
            case GT -> {
                mv.visitInsn(Opcodes.DCMPL);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFGT : Opcodes.IFLE, target);
            }
            case GE -> {
                mv.visitInsn(Opcodes.DCMPL);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFGE : Opcodes.IFLT, target);
            }
            case EQ -> {
                mv.visitInsn(Opcodes.DCMPL);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFEQ : Opcodes.IFNE, target);
            }
            case NE -> {
                mv.visitInsn(Opcodes.DCMPL);
                mv.visitJumpInsn(jumpWhen ? Opcodes.IFNE : Opcodes.IFEQ, target);
            }
        }
    }
}
