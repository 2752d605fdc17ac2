package dev.symgrad.compiler.codegen;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Emits the class the build plugin puts in front of build-time generated losses: for each loss method
 * {@code m} of a user's source, static methods with the method's own parameters, so that javac
 * type-checks every call ({@code m(w, x)}, {@code mGradient}, {@code mPerExampleLosses},
 * {@code mTotalLoss}, {@code mPerExampleGradients}, {@code mSumOfPerExampleGradients},
 * {@code mGradientOfSum}, DP-SGD's {@code mClippedGradientSum} (the batch arguments, then the clip norm) and
 * {@code mPerExampleGradientNorms}, {@code mEquivalentTwoWays} for one-parameter losses) and
 * {@code compiledM()} returning the loss as a {@code CompiledLoss}. In the batch methods every
 * non-differentiated argument becomes a {@code double[]} column, and a {@code double[]} input of length
 * n becomes a {@code double[][]} of n columns, one per element. A {@code double[]} argument is checked
 * for its configured length, and its elements take its place in the loss's parameters or inputs. The
 * arithmetic stays in the loss classes from {@link ClassGenerator}; the facade only packs arguments
 * into arrays.
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
     * @param lengths     the length of each {@code double[]} argument, whose elements {@code w[0]} ... stand
     *                    in {@code parameters} or {@code inputs} for it
     */
    public record Entry(String methodName, String lossClass, List<String> arguments, List<String> parameters,
                        List<String> inputs, Map<String, Integer> lengths) {

        /** A loss without {@code double[]} arguments. */
        public Entry(String methodName, String lossClass, List<String> arguments, List<String> parameters,
                     List<String> inputs) {
            this(methodName, lossClass, arguments, parameters, inputs, Map.of());
        }
    }

    /**
     * One argument of the user's method, a {@code double} or a {@code double[]} of {@code length}
     * elements, and where its values start in the loss's parameters (if differentiated) or inputs.
     */
    private record Argument(String name, boolean isParameter, int length, int offset) {

        boolean isArray() {
            return length > 0;
        }

        /** Its type in the facade's methods: in batch methods, inputs are columns. */
        String descriptor(boolean batch) {
            String example = isArray() ? "[D" : "D";
            return batch && !isParameter ? "[" + example : example;
        }

        int slots(boolean batch) {
            return descriptor(batch).equals("D") ? 2 : 1;
        }
    }

    private static final String CHECKED_VECTOR = "checkedVector";
    private static final String CHECKED_VECTOR_DESCRIPTOR = "([DILjava/lang/String;)[D";
    private static final String CHECKED_COLUMNS = "checkedColumns";
    private static final String CHECKED_COLUMNS_DESCRIPTOR = "([[DILjava/lang/String;)[[D";

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
        if (entries.stream().anyMatch(entry -> !entry.lengths().isEmpty())) {
            emitLengthCheck(writer, CHECKED_VECTOR, CHECKED_VECTOR_DESCRIPTOR, " has length ", ", expected ");
            emitLengthCheck(writer, CHECKED_COLUMNS, CHECKED_COLUMNS_DESCRIPTOR, " has ", " columns, expected ");
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static String fieldName(Entry entry) {
        return "LOSS_" + entry.methodName();
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The arguments in declaration order, with the offsets of their values. */
    private static List<Argument> arguments(Entry entry) {
        List<Argument> arguments = new ArrayList<>();
        for (String name : entry.arguments()) {
            int length = entry.lengths().getOrDefault(name, 0);
            String first = length > 0 ? name + "[0]" : name;
            int parameterOffset = entry.parameters().indexOf(first);
            arguments.add(new Argument(name, parameterOffset >= 0, length,
                    parameterOffset >= 0 ? parameterOffset : entry.inputs().indexOf(first)));
        }
        return arguments;
    }

    private static String descriptors(List<Argument> arguments, boolean batch) {
        StringBuilder descriptor = new StringBuilder();
        for (Argument argument : arguments) {
            descriptor.append(argument.descriptor(batch));
        }
        return descriptor.toString();
    }

    private static void emitMethods(ClassWriter writer, String facade, Entry entry) {
        String m = entry.methodName();
        List<Argument> arguments = arguments(entry);
        String scalarArguments = descriptors(arguments, false);
        String batchArguments = descriptors(arguments, true);
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;

        MethodVisitor accessor = writer.visitMethod(access, "compiled" + capitalized(m), "()" + COMPILED_LOSS_TYPE, null, null);
        accessor.visitCode();
        accessor.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        accessor.visitInsn(Opcodes.ARETURN);
        accessor.visitMaxs(0, 0);
        accessor.visitEnd();

        // Single example: params and example arrays, straight to the unchecked static kernels (array
        // arguments are checked for their length while they are copied).
        MethodVisitor loss = writer.visitMethod(access, m, "(" + scalarArguments + ")D", null, null);
        loss.visitCode();
        pushArray(loss, facade, entry, arguments, true, false);
        pushArray(loss, facade, entry, arguments, false, false);
        loss.visitMethodInsn(Opcodes.INVOKESTATIC, entry.lossClass(), Kernel.LOSS.methodName, Kernel.LOSS.descriptor, false);
        loss.visitInsn(Opcodes.DRETURN);
        loss.visitMaxs(0, 0);
        loss.visitEnd();

        MethodVisitor gradient = writer.visitMethod(access, m + "Gradient", "(" + scalarArguments + ")[D", null, null);
        gradient.visitCode();
        emitInterfaceCall(gradient, facade, entry, arguments, "gradient", "([D[D)[D", false);
        gradient.visitInsn(Opcodes.ARETURN);
        gradient.visitMaxs(0, 0);
        gradient.visitEnd();

        // Batches: through the CompiledLoss instance, which checks that the columns agree in length.
        String batch = "(" + batchArguments + ")";
        emitBatch(writer, facade, entry, arguments, m + "PerExampleLosses", batch + "[D", "perExampleLosses",
                "([D[[D)[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, arguments, m + "TotalLoss", batch + "D", "totalLoss", "([D[[D)D",
                Opcodes.DRETURN);
        emitBatch(writer, facade, entry, arguments, m + "PerExampleGradients", batch + "[[D", "perExampleGradients",
                "([D[[D)[[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, arguments, m + "SumOfPerExampleGradients", batch + "[D",
                "sumOfPerExampleGradients", "([D[[D)[D", Opcodes.ARETURN);
        emitBatch(writer, facade, entry, arguments, m + "GradientOfSum", batch + "[D", "gradientOfSum", "([D[[D)[D",
                Opcodes.ARETURN);
        emitBatch(writer, facade, entry, arguments, m + "PerExampleGradientNorms", batch + "[D",
                "perExampleGradientNorms", "([D[[D)[D", Opcodes.ARETURN);
        emitClippedGradientSum(writer, facade, entry, arguments, "(" + batchArguments + "D)[D");
        if (entry.parameters().size() == 1) {
            emitEquivalentTwoWays(writer, facade, entry, arguments, batch);
        }
    }

    private static void emitBatch(ClassWriter writer, String facade, Entry entry, List<Argument> arguments, String name,
                                  String descriptor, String target, String targetDescriptor, int returnOpcode) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        emitInterfaceCall(mv, facade, entry, arguments, target, targetDescriptor, true);
        mv.visitInsn(returnOpcode);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code mClippedGradientSum(args..., clipNorm)}: {@code LOSS_m.clippedGradientSum(params, columns, clipNorm)}. */
    private static void emitClippedGradientSum(ClassWriter writer, String facade, Entry entry, List<Argument> arguments,
                                               String descriptor) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
                entry.methodName() + "ClippedGradientSum", descriptor, null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        pushArray(mv, facade, entry, arguments, true, true);
        pushArray(mv, facade, entry, arguments, false, true);
        int clipNormSlot = 0;
        for (Argument argument : arguments) {
            clipNormSlot += argument.slots(true);
        }
        mv.visitVarInsn(Opcodes.DLOAD, clipNormSlot);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, COMPILED_LOSS, "clippedGradientSum", "([D[[DD)[D", true);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code [wayA, wayB]}: route (a) summed and route (b) for a loss with one parameter, as in the seed. */
    private static void emitEquivalentTwoWays(ClassWriter writer, String facade, Entry entry, List<Argument> arguments,
                                              String batch) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, entry.methodName() + "EquivalentTwoWays",
                batch + "[D", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        emitInterfaceCall(mv, facade, entry, arguments, "sumOfPerExampleGradients", "([D[[D)[D", true);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitInsn(Opcodes.DASTORE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_1);
        emitInterfaceCall(mv, facade, entry, arguments, "gradientOfSum", "([D[[D)[D", true);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.DALOAD);
        mv.visitInsn(Opcodes.DASTORE);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code LOSS_m.target(params, batch ? columns : example)}. */
    private static void emitInterfaceCall(MethodVisitor mv, String facade, Entry entry, List<Argument> arguments,
                                          String target, String descriptor, boolean batch) {
        mv.visitFieldInsn(Opcodes.GETSTATIC, facade, fieldName(entry), COMPILED_LOSS_TYPE);
        pushArray(mv, facade, entry, arguments, true, batch);
        pushArray(mv, facade, entry, arguments, false, batch);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, COMPILED_LOSS, target, descriptor, true);
    }

    /**
     * A new array of the loss's parameters ({@code double[]}) or inputs: {@code double[]} of one example,
     * or in a batch method ({@code batch}) {@code double[][]} of columns. A scalar argument is stored
     * at its offset; an array argument is checked for its length and copied there with
     * {@code System.arraycopy}, its elements being consecutive.
     */
    private static void pushArray(MethodVisitor mv, String facade, Entry entry, List<Argument> arguments,
                                  boolean parameters, boolean batch) {
        boolean columns = batch && !parameters;
        Bytecode.pushInt(mv, parameters ? entry.parameters().size() : entry.inputs().size());
        if (columns) {
            mv.visitTypeInsn(Opcodes.ANEWARRAY, "[D");
        } else {
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        }
        int slot = 0;
        for (Argument argument : arguments) {
            if (argument.isParameter() == parameters) {
                mv.visitInsn(Opcodes.DUP);
                if (argument.isArray()) {
                    // Stack: array, array -> array, checked source, 0, array, offset, length -> array.
                    mv.visitVarInsn(Opcodes.ALOAD, slot);
                    Bytecode.pushInt(mv, argument.length());
                    mv.visitLdcInsn(argument.name());
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, facade, columns ? CHECKED_COLUMNS : CHECKED_VECTOR,
                            columns ? CHECKED_COLUMNS_DESCRIPTOR : CHECKED_VECTOR_DESCRIPTOR, false);
                    mv.visitInsn(Opcodes.SWAP);
                    mv.visitInsn(Opcodes.ICONST_0);
                    mv.visitInsn(Opcodes.SWAP);
                    Bytecode.pushInt(mv, argument.offset());
                    Bytecode.pushInt(mv, argument.length());
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "arraycopy",
                            "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
                } else {
                    Bytecode.pushInt(mv, argument.offset());
                    mv.visitVarInsn(columns ? Opcodes.ALOAD : Opcodes.DLOAD, slot);
                    mv.visitInsn(columns ? Opcodes.AASTORE : Opcodes.DASTORE);
                }
            }
            slot += argument.slots(batch);
        }
    }

    /**
     * {@code private static T name(T array, int length, String argument)}: returns the array if it has
     * the configured length, else throws {@code IllegalArgumentException} naming the argument, e.g.
     * {@code "w has length 29, expected 30"}.
     */
    private static void emitLengthCheck(ClassWriter writer, String name, String descriptor, String before,
                                        String after) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        Label notNull = new Label();
        Label right = new Label();
        String exception = "java/lang/IllegalArgumentException";
        String builder = "java/lang/StringBuilder";
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitJumpInsn(Opcodes.IFNONNULL, notNull);
        mv.visitTypeInsn(Opcodes.NEW, exception);
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitLdcInsn(" is null");
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat", "(Ljava/lang/String;)Ljava/lang/String;",
                false);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, exception, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(notNull);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IF_ICMPEQ, right);
        mv.visitTypeInsn(Opcodes.NEW, exception);
        mv.visitInsn(Opcodes.DUP);
        mv.visitTypeInsn(Opcodes.NEW, builder);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, builder, "<init>", "()V", false);
        String appendString = "(Ljava/lang/String;)Ljava/lang/StringBuilder;";
        String appendInt = "(I)Ljava/lang/StringBuilder;";
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "append", appendString, false);
        mv.visitLdcInsn(before);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "append", appendString, false);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "append", appendInt, false);
        mv.visitLdcInsn(after);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "append", appendString, false);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "append", appendInt, false);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, builder, "toString", "()Ljava/lang/String;", false);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, exception, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(right);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
