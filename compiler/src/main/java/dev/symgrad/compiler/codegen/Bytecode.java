package dev.symgrad.compiler.codegen;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Small instruction sequences: the shortest instruction for a constant, as javac would choose it, and the like. */
final class Bytecode {

    private Bytecode() {
    }

    static void pushInt(MethodVisitor mv, int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    static void pushDouble(MethodVisitor mv, double value) {
        // Only +0.0 and 1.0 by bits: -0.0 must stay -0.0.
        if (Double.doubleToRawLongBits(value) == 0L) {
            mv.visitInsn(Opcodes.DCONST_0);
        } else if (value == 1.0) {
            mv.visitInsn(Opcodes.DCONST_1);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    /** A constructor {@code Name() { super(); }} for a class extending {@code Object}. */
    static void objectConstructor(ClassVisitor cv, int access) {
        MethodVisitor init = cv.visitMethod(access, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** {@code System.arraycopy(src, srcPos, dest, destPos, length)}, its five operands on the stack. */
    static void arraycopy(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "arraycopy",
                "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
    }
}
