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
 * {@code compiledM()} returning the loss as a {@code CompiledLoss}.
 *
 * <p>An argument keeps its type: {@code double}, a {@code double[]} of its configured length or a
 * {@code double[][]} of its configured r rows of c elements; its values take its place in the loss's
 * flat parameters or inputs, a matrix's row-major ({@code V[m][j]} at its offset + m·c + j). In the batch
 * methods every non-differentiated argument becomes its columns: a {@code double} a {@code double[]}
 * column, a {@code double[]} of length n a {@code double[][]} of n columns, a {@code double[][]} a
 * {@code double[][][]} {@code [r][c][N]} whose columns are placed row-major. Array arguments are checked
 * for their shape ({@code IllegalArgumentException}: {@code "w has length 29, expected 30"},
 * {@code "x has 29 columns, expected 30"}, {@code "V has 31 rows, expected 32"},
 * {@code "V[3] has length 63, expected 64"}, {@code "X[3] has 63 columns, expected 64"}, {@code "V is null"})
 * by private helpers of the facade ({@link FacadeArgumentChecks}), so its size does not grow with the
 * arrays'. The arithmetic stays in the loss classes from {@link ClassGenerator}; the facade only packs
 * arguments into arrays.
 */
public final class FacadeGenerator {

    private static final String COMPILED_LOSS = "dev/symgrad/runtime/CompiledLoss";
    private static final String COMPILED_LOSS_TYPE = "L" + COMPILED_LOSS + ";";

    /**
     * One loss behind the facade.
     *
     * @param methodName the user's method name, the prefix of the facade's methods
     * @param lossClass  internal name of the class generated for it by {@link ClassGenerator}
     * @param arguments  the user's method parameters in declaration order, each with its shape and where its
     *                   values stand in the loss's parameters or inputs
     */
    public record Entry(String methodName, String lossClass, List<Argument> arguments) {

        public Entry {
            arguments = List.copyOf(arguments);
        }

        /** The number of the loss's parameters: the values of the differentiated arguments. */
        int parameterCount() {
            return count(true);
        }

        /** The number of the loss's inputs: the values of the other arguments. */
        int inputCount() {
            return count(false);
        }

        private int count(boolean parameters) {
            int count = 0;
            for (Argument argument : arguments) {
                if (argument.isParameter() == parameters) {
                    count += argument.size();
                }
            }
            return count;
        }
    }

    /**
     * One argument of the user's method.
     *
     * @param name        its name, as messages give it
     * @param isParameter whether it is differentiated, its values standing among the loss's parameters
     *                    rather than its inputs
     * @param shape       empty for a {@code double}, {@code [n]} for a {@code double[]} of length n,
     *                    {@code [r, c]} for a {@code double[][]} of r rows of c elements
     * @param offset      where its first value stands in the loss's flat parameters or inputs
     */
    public record Argument(String name, boolean isParameter, List<Integer> shape, int offset) {

        public Argument {
            shape = List.copyOf(shape);
            if (shape.size() > 2) {
                throw new IllegalArgumentException("argument '" + name + "' has " + shape.size()
                        + " dimensions; the facade takes double, double[] and double[][]");
            }
        }

        /** The number of its values: 1 for a {@code double}, the product of its extents for an array. */
        int size() {
            int size = 1;
            for (int extent : shape) {
                size *= extent;
            }
            return size;
        }

        /** Its type in the facade's methods: in batch methods, inputs are columns. */
        private String descriptor(boolean batch) {
            String example = "[".repeat(shape.size()) + "D";
            return batch && !isParameter ? "[" + example : example;
        }

        private int slots(boolean batch) {
            return descriptor(batch).equals("D") ? 2 : 1;
        }
    }

    private FacadeGenerator() {
    }

    public static byte[] generate(String internalName, List<Entry> entries) {
        ClassWriter writer = ClassGenerator.newClassWriter();
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", null);
        writer.visitSource("symgrad-generated", null);
        Bytecode.objectConstructor(writer, Opcodes.ACC_PRIVATE);

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
        if (hasArgumentOfDimensions(entries, 1)) {
            FacadeArgumentChecks.emitVectorChecks(writer);
        }
        if (hasArgumentOfDimensions(entries, 2)) {
            FacadeArgumentChecks.emitMatrixCopies(writer);
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

    private static boolean hasArgumentOfDimensions(List<Entry> entries, int dimensions) {
        return entries.stream().flatMap(entry -> entry.arguments().stream())
                .anyMatch(argument -> argument.shape().size() == dimensions);
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
        List<Argument> arguments = entry.arguments();
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
        if (entry.parameterCount() == 1) {
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
     * at its offset; a vector argument is checked for its length and copied there with
     * {@code System.arraycopy}, its elements being consecutive; a matrix argument is checked and copied
     * row by row by a helper of the facade.
     */
    private static void pushArray(MethodVisitor mv, String facade, Entry entry, List<Argument> arguments,
                                  boolean parameters, boolean batch) {
        boolean columns = batch && !parameters;
        Bytecode.pushInt(mv, parameters ? entry.parameterCount() : entry.inputCount());
        if (columns) {
            mv.visitTypeInsn(Opcodes.ANEWARRAY, "[D");
        } else {
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        }
        int slot = 0;
        for (Argument argument : arguments) {
            if (argument.isParameter() == parameters) {
                mv.visitInsn(Opcodes.DUP);
                switch (argument.shape().size()) {
                    case 0 -> {
                        Bytecode.pushInt(mv, argument.offset());
                        mv.visitVarInsn(columns ? Opcodes.ALOAD : Opcodes.DLOAD, slot);
                        mv.visitInsn(columns ? Opcodes.AASTORE : Opcodes.DASTORE);
                    }
                    case 1 -> {
                        // Stack: array, array -> array, checked source, 0, array, offset, length -> array.
                        mv.visitVarInsn(Opcodes.ALOAD, slot);
                        Bytecode.pushInt(mv, argument.size());
                        mv.visitLdcInsn(argument.name());
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, facade,
                                columns ? FacadeArgumentChecks.CHECKED_COLUMNS : FacadeArgumentChecks.CHECKED_VECTOR,
                                columns ? FacadeArgumentChecks.CHECKED_COLUMNS_DESCRIPTOR
                                        : FacadeArgumentChecks.CHECKED_VECTOR_DESCRIPTOR, false);
                        mv.visitInsn(Opcodes.SWAP);
                        mv.visitInsn(Opcodes.ICONST_0);
                        mv.visitInsn(Opcodes.SWAP);
                        Bytecode.pushInt(mv, argument.offset());
                        Bytecode.pushInt(mv, argument.size());
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "arraycopy",
                                "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
                    }
                    default -> {
                        // Stack: array, array -> array, array, offset, matrix, rows, columns, name -> array.
                        Bytecode.pushInt(mv, argument.offset());
                        mv.visitVarInsn(Opcodes.ALOAD, slot);
                        Bytecode.pushInt(mv, argument.shape().get(0));
                        Bytecode.pushInt(mv, argument.shape().get(1));
                        mv.visitLdcInsn(argument.name());
                        mv.visitMethodInsn(Opcodes.INVOKESTATIC, facade,
                                columns ? FacadeArgumentChecks.COPY_COLUMN_MATRIX : FacadeArgumentChecks.COPY_MATRIX,
                                columns ? FacadeArgumentChecks.COPY_COLUMN_MATRIX_DESCRIPTOR
                                        : FacadeArgumentChecks.COPY_MATRIX_DESCRIPTOR, false);
                    }
                }
            }
            slot += argument.slots(batch);
        }
    }
}
