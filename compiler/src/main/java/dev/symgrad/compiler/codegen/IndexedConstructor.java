package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Node;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

/**
 * The constructor of a loop program's class: it passes the runtime one entry per declared parameter
 * and input (name, shape, printed derivative with its index names), never one per element, so the class
 * is as large at a width of 100,000 as at 8; {@code dev.symgrad.runtime.GeneratedLoss} lists the
 * element names and fills positions into the derivatives when asked.
 */
final class IndexedConstructor {

    private static final String STRING_ARRAY = "[Ljava/lang/String;";
    private static final String SHAPES = "[[I";

    private IndexedConstructor() {
    }

    static void emit(ClassVisitor cv, IndexedLossProgram program) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        ClassGenerator.pushStringArray(mv, names(program.parameters()));
        pushShapes(mv, program.parameters());
        ClassGenerator.pushStringArray(mv, names(program.inputs()));
        pushShapes(mv, program.inputs());
        ClassGenerator.pushString(mv, program.printedLoss());
        ClassGenerator.pushStringArray(mv, program.printedDerivatives());
        Bytecode.pushInt(mv, program.derivativeIndices().size());
        mv.visitTypeInsn(Opcodes.ANEWARRAY, STRING_ARRAY);
        for (int p = 0; p < program.derivativeIndices().size(); p++) {
            mv.visitInsn(Opcodes.DUP);
            Bytecode.pushInt(mv, p);
            ClassGenerator.pushStringArray(mv, program.derivativeIndices().get(p));
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ClassGenerator.SUPERCLASS, "<init>", "(" + STRING_ARRAY + SHAPES
                + STRING_ARRAY + SHAPES + "Ljava/lang/String;" + STRING_ARRAY + "[" + STRING_ARRAY + ")V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static List<String> names(List<Node> declared) {
        List<String> names = new ArrayList<>();
        for (Node node : declared) {
            names.add(IndexedLossProgram.nameOf(node));
        }
        return names;
    }

    private static void pushShapes(MethodVisitor mv, List<Node> declared) {
        Bytecode.pushInt(mv, declared.size());
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "[I");
        for (int k = 0; k < declared.size(); k++) {
            List<Integer> shape = IndexedLossProgram.shapeOf(declared.get(k));
            mv.visitInsn(Opcodes.DUP);
            Bytecode.pushInt(mv, k);
            Bytecode.pushInt(mv, shape.size());
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
            for (int d = 0; d < shape.size(); d++) {
                mv.visitInsn(Opcodes.DUP);
                Bytecode.pushInt(mv, d);
                Bytecode.pushInt(mv, shape.get(d));
                mv.visitInsn(Opcodes.IASTORE);
            }
            mv.visitInsn(Opcodes.AASTORE);
        }
    }
}
