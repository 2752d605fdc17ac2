package dev.symgrad.compiler.codegen;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;

/**
 * Emits the class the build plugin puts in front of build-time generated losses: for each loss method
 * {@code m} of a user's source, static methods with the method's own parameters, so that javac
 * type-checks every call ({@code m(w, x)}, {@code mGradient}, {@code mPerExampleLosses},
 * {@code mTotalLoss}, {@code mPerExampleGradients}, {@code mSumOfPerExampleGradients},
 * {@code mGradientOfSum}, DP-SGD's {@code mClippedGradientSum} (the batch arguments, then the clip norm) and
 * {@code mPerExampleGradientNorms}, {@code mEquivalentTwoWays} for one-parameter losses) and
 * {@code compiledM()} returning the loss as a {@code CompiledLoss}. In the batch methods every
 * non-differentiated argument becomes a {@code double[]} column. The arithmetic stays in the loss
 * classes from {@link ClassGenerator}; the facade only packs arguments into arrays.
 */
public final class FacadeGenerator {

    private static final String COMPILED_LOSS = "dev/symgrad/runtime/CompiledLoss";
    private static final String COMPILED_LOSS_TYPE = "L" + COMPILED_LOSS + ";";

    /**
     * One loss behind the facade.
     *
     * @param methodName  the user's method name, the prefix of the facade's methods
     * @param lossClass   internal name of the class generated for it by {@link ClassGenerator}
     * @param arguments   the user's method parameters in declaration order
     * @param parameters  the differentiated ones, in the loss's parameter order
     * @param inputs      the others, in the loss's input order
     */
    public record Entry(String methodName, String lossClass, List<String> arguments, List<String> parameters,
                        List<String> inputs) {
    }

    private FacadeGenerator() {
    }

    public static byte[] generate(String internalName, List<Entry> entries) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return type1.equals(type2) ? type1 : "java/lang/Object";
            }
        };
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", null);
        writer.visitSource("symgrad-generated", null);
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PRIVATE, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor clinit = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        for (Entry entry : entries) {
            String field = fieldName(entry);
            writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, field, COMPILED_LOSS_TYPE,
                    null, null).visitEnd();
            clinit.visitTypeInsn(Opcodes.NEW, entry.lossClass());
            clinit.visitInsn(Opcodes.DUP);
            clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, entry.lossClass(), "<init>", "()V", false);
            clinit.visitFieldInsn(Opcodes.PUTSTATIC, internalName, field, COMPILED_LOSS_TYPE);
            emitMethods(writer, internalName, entry);
        }
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static String fieldName(Entry entry) {
        return "LOSS_" + entry.methodName();
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static void emitMethods(ClassWriter writer, String facade, Entry entry) {
        String m = entry.methodName();
        String scalarArguments = "D".repeat(entry.arguments().size());
        StringBuilder batchArguments = new StringBuilder();
        for (String argument : entry.arguments()) {
            batchArguments.append(entry.parameters().contains(argument) ? "D" : "[D");
        }
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;

        MethodVisitor accessor = writer.visitMethod(access, "compiled" + capitalized(m), "()" + COMPILED_LOSS_TYPE, null, null);
        accessor.visitCode();
        accessor.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        accessor.visitInsn(Opcodes.ARETURN);
        accessor.visitMaxs(0, 0);
        accessor.visitEnd();

        // Single example: params and example arrays, straight to the unchecked static kernels.
        MethodVisitor loss = writer.visitMethod(access, m, "(" + scalarArguments + ")D", null, null);
        loss.visitCode();
        pushArray(loss, entry, entry.parameters(), false, false);
        pushArray(loss, entry, entry.inputs(), false, false);
        loss.visitMethodInsn(Opcodes.INVOKESTATIC, entry.lossClass(), Kernel.LOSS.methodName, Kernel.LOSS.descriptor, false);
        loss.visitInsn(Opcodes.DRETURN);
        loss.visitMaxs(0, 0);
        loss.visitEnd();

        MethodVisitor gradient = writer.visitMethod(access, m + "Gradient", "(" + scalarArguments + ")[D", null, null);
        gradient.visitCode();
        emitInterfaceCall(gradient, facade, entry, "gradient", "([D[D)[D", false);
        gradient.visitInsn(Opcodes.ARETURN);
        gradient.visitMaxs(0, 0);
        gradient.visitEnd();

        // Batches: through the CompiledLoss instance, which checks that the columns agree in length.
        String batch = "(" + batchArguments + ")";
        emitBatch(writer, facade, entry, m + "PerExampleLosses", batch + "[D", "perExampleLosses", "([D[[D)[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, m + "TotalLoss", batch + "D", "totalLoss", "([D[[D)D", Opcodes.DRETURN);
        emitBatch(writer, facade, entry, m + "PerExampleGradients", batch + "[[D", "perExampleGradients", "([D[[D)[[D",
                Opcodes.ARETURN);
        emitBatch(writer, facade, entry, m + "SumOfPerExampleGradients", batch + "[D", "sumOfPerExampleGradients",
                "([D[[D)[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, m + "GradientOfSum", batch + "[D", "gradientOfSum", "([D[[D)[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, m + "PerExampleGradientNorms", batch + "[D", "perExampleGradientNorms",
                "([D[[D)[D", Opcodes.ARETURN);
        emitClippedGradientSum(writer, facade, entry, "(" + batchArguments + "D)[D");
        if (entry.parameters().size() == 1) {
            emitEquivalentTwoWays(writer, facade, entry, batch);
        }
    }

    private static void emitBatch(ClassWriter writer, String facade, Entry entry, String name, String descriptor,
                                  String target, String targetDescriptor, int returnOpcode) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        emitInterfaceCall(mv, facade, entry, target, targetDescriptor, true);
        mv.visitInsn(returnOpcode);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code mClippedGradientSum(args..., clipNorm)}: {@code LOSS_m.clippedGradientSum(params, columns, clipNorm)}. */
    private static void emitClippedGradientSum(ClassWriter writer, String facade, Entry entry, String descriptor) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
                entry.methodName() + "ClippedGradientSum", descriptor, null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        pushArray(mv, entry, entry.parameters(), false, true);
        pushArray(mv, entry, entry.inputs(), true, true);
        int clipNormSlot = 0;
        for (String argument : entry.arguments()) {
            clipNormSlot += entry.parameters().contains(argument) ? 2 : 1;
        }
        mv.visitVarInsn(Opcodes.DLOAD, clipNormSlot);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, COMPILED_LOSS, "clippedGradientSum", "([D[[DD)[D", true);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code [wayA, wayB]}: route (a) summed and route (b) for a loss with one parameter, as in the seed. */
    private static void emitEquivalentTwoWays(ClassWriter writer, String facade, Entry entry, String batch) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, entry.methodName() + "EquivalentTwoWays",
                batch + "[D", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        emitInterfaceCall(mv, facade, entry, "sumOfPerExampleGradients", "([D[[D)[D", true);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitInsn(Opcodes.DASTORE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_1);
        emitInterfaceCall(mv, facade, entry, "gradientOfSum", "([D[[D)[D", true);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitInsn(Opcodes.DASTORE);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code LOSS_m.target(params, batch ? columns : example)}. */
    private static void emitInterfaceCall(MethodVisitor mv, String facade, Entry entry, String target, String descriptor,
                                          boolean batch) {
        mv.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        pushArray(mv, entry, entry.parameters(), false, batch);
        pushArray(mv, entry, entry.inputs(), batch, batch);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, COMPILED_LOSS, target, descriptor, true);
    }

    /**
     * A new array of the named arguments: {@code double[][]} of columns, or {@code double[]} of scalars.
     * {@code batchLayout} says whether the method's inputs are columns (one slot) or doubles (two).
     */
    private static void pushArray(MethodVisitor mv, Entry entry, List<String> names, boolean columns,
                                  boolean batchLayout) {
        Bytecode.pushInt(mv, names.size());
        if (columns) {
            mv.visitTypeInsn(Opcodes.ANEWARRAY, "[D");
        } else {
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        }
        for (int i = 0; i < names.size(); i++) {
            mv.visitInsn(Opcodes.DUP);
            Bytecode.pushInt(mv, i);
            int slot = slotOf(entry, names.get(i), batchLayout);
            mv.visitVarInsn(columns ? Opcodes.ALOAD : Opcodes.DLOAD, slot);
            mv.visitInsn(columns ? Opcodes.AASTORE : Opcodes.DASTORE);
        }
    }

    /** The local slot of argument {@code name}: doubles take two slots, column arrays one. */
    private static int slotOf(Entry entry, String name, boolean batch) {
        int slot = 0;
        for (String argument : entry.arguments()) {
            if (argument.equals(name)) {
                return slot;
            }
            slot += batch && !entry.parameters().contains(argument) ? 1 : 2;
        }
        throw new IllegalArgumentException("no argument " + name);
    }
}
