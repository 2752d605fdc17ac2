package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Node;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The constructor of a loop program's class: names, shapes and printed forms for the runtime. */
final class IndexedConstructor {

    private static final String STRING_ARRAY = "[Ljava/lang/String;";

    private IndexedConstructor() {
    }

    static void emit(ClassVisitor cv, IndexedLossProgram program) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        ClassGenerator.pushStringArray(mv, elementNames(program.parameters()));
        ClassGenerator.pushStringArray(mv, elementNames(program.inputs()));
        ClassGenerator.pushString(mv, program.printedLoss());
        ClassGenerator.pushStringArray(mv, elementDerivatives(program));
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ClassGenerator.SUPERCLASS, "<init>",
                "(" + STRING_ARRAY + STRING_ARRAY + "Ljava/lang/String;" + STRING_ARRAY + ")V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    static List<String> elementNames(List<Node> declared) {
        List<String> names = new ArrayList<>();
        for (Node node : declared) {
            String name = IndexedLossProgram.nameOf(node);
            if (!(node instanceof ArrayVariable array)) {
                names.add(name);
                continue;
            }
            int[] position = new int[array.shape().size()];
            for (int flat = 0; flat < array.size(); flat++) {
                StringBuilder element = new StringBuilder(name);
                for (int d = 0; d < position.length; d++) {
                    element.append('[').append(position[d]).append(']');
                }
                names.add(element.toString());
                for (int d = position.length - 1; d >= 0; d--) {
                    if (++position[d] < array.shape().get(d)) {
                        break;
                    }
                    position[d] = 0;
                }
            }
        }
        return names;
    }

    private static List<String> elementDerivatives(IndexedLossProgram program) {
        List<String> derivatives = new ArrayList<>();
        for (int p = 0; p < program.parameters().size(); p++) {
            Node node = program.parameters().get(p);
            String template = program.printedDerivatives().get(p);
            if (!(node instanceof ArrayVariable array)) {
                derivatives.add(template);
                continue;
            }
            List<String> indices = program.derivativeIndices().get(p);
            int[] position = new int[array.shape().size()];
            for (int flat = 0; flat < array.size(); flat++) {
                String text = template;
                for (int d = 0; d < position.length; d++) {
                    text = text.replaceAll("\\b" + Pattern.quote(indices.get(d)) + "\\b",
                            Matcher.quoteReplacement(Integer.toString(position[d])));
                }
                derivatives.add(text);
                for (int d = position.length - 1; d >= 0; d--) {
                    if (++position[d] < array.shape().get(d)) {
                        break;
                    }
                    position[d] = 0;
                }
            }
        }
        return derivatives;
    }
}
