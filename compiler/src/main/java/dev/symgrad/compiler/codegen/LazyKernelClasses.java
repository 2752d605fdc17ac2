package dev.symgrad.compiler.codegen;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;

/**
 * The classes of a run-time loss whose batch kernels are generated on first use: one class with the
 * constructor and the one-example kernels ({@link #generateLoss}), and one class per batch kernel
 * ({@link #generateKernel}), each kernel's code what {@link ClassGenerator} writes into its single class.
 */
public final class LazyKernelClasses {

    private LazyKernelClasses() {
    }

    /** The superclass of a class whose batch kernels come later, each in a {@link #generateKernel} class. */
    static final String LAZY_SUPERCLASS = "dev/symgrad/compiler/load/LazyKernelsLoss";

    private static final String BATCH_KERNEL = "dev/symgrad/compiler/load/BatchKernel";

    /** {@link #LAZY_SUPERCLASS}'s constructor's last argument: what it leaves for later. */
    private static final String DEFERRED = "Ldev/symgrad/compiler/load/LazyKernelsLoss$Deferred;";

    /**
     * Whether {@link #generateLoss} applies: the per-example loss and gradient, counting each
     * output as a node, are within the inline shapes' limit, so no kernel class comes near the class-file
     * limits, and a loss too large is still refused when it is compiled, not at a first call.
     */
    public static boolean apply(LossProgram program) {
        return program.parameters().size() + program.perExampleSize() <= ClassGenerator.INLINE_NODE_LIMIT;
    }

    /**
     * The class of {@code program} without its batch kernels and printed forms: it extends
     * {@link #LAZY_SUPERCLASS}, its constructor takes a {@code LazyKernelsLoss.Deferred}, which prints and
     * defines each batch kernel ({@link #generateKernel}'s class) when first asked, and it holds the
     * one-example kernels.
     */
    public static byte[] generateLoss(LossProgram program, String internalName, Backend backend) {
        CodeShape shape = CodeShape.chosen(backend);
        return ClassGenerator.withinClassFileLimits(() -> {
            ClassWriter writer = ClassGenerator.newClassWriter();
            writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                    LAZY_SUPERCLASS, null);
            writer.visitSource("symgrad-generated", null);
            MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(" + DEFERRED + ")V", null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            ClassGenerator.pushStringArray(init, program.parameters());
            ClassGenerator.pushStringArray(init, program.inputs());
            init.visitVarInsn(Opcodes.ALOAD, 1);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, LAZY_SUPERCLASS, "<init>",
                    "(" + ClassGenerator.STRING_ARRAY + ClassGenerator.STRING_ARRAY + DEFERRED + ")V", false);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            ChunkedKernels chunked = new ChunkedKernels(writer, internalName);
            for (Kernel kernel : List.of(Kernel.LOSS, Kernel.GRADIENT)) {
                ClassGenerator.emitKernel(writer, chunked, kernel, program, shape);
                ClassGenerator.emitBridge(writer, internalName, kernel, Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL);
            }
            writer.visitEnd();
            return writer.toByteArray();
        });
    }

    /** A batch kernel's class bytes, and whether its loop is the Vector API's (else the scalar loop). */
    public record KernelClass(byte[] bytes, boolean vectorLoop) {
    }

    /**
     * The class of one batch kernel of {@code program}, named by its method ({@code "gradientOfSumKernel"}):
     * it implements {@code BatchKernel} with that method, which calls the kernel's static method, the same
     * code {@link ClassGenerator#generate(LossProgram, String, Backend)} puts in the whole class.
     */
    public static byte[] generateKernel(LossProgram program, String kernelMethod, String internalName,
                                        Backend backend) {
        return generateKernelClass(program, kernelMethod, internalName, backend).bytes();
    }

    /**
     * {@link #generateKernel}, saying whether the kernel got a vector loop: on the {@link Backend#VECTOR}
     * backend a kernel too large for one keeps the scalar loop.
     */
    public static KernelClass generateKernelClass(LossProgram program, String kernelMethod, String internalName,
                                                  Backend backend) {
        Kernel kernel = java.util.Arrays.stream(Kernel.values()).filter(k -> k.bridgeName.equals(kernelMethod))
                .filter(Kernel::isBatch).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no batch kernel " + kernelMethod));
        CodeShape shape = CodeShape.chosen(backend);
        boolean[] vectorLoop = new boolean[1];
        byte[] bytes = ClassGenerator.withinClassFileLimits(() -> {
            ClassWriter writer = ClassGenerator.newClassWriter();
            writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                    "java/lang/Object", new String[] {BATCH_KERNEL});
            writer.visitSource("symgrad-generated", null);
            Bytecode.objectConstructor(writer, Opcodes.ACC_PUBLIC);
            vectorLoop[0] = shape.backend() == Backend.VECTOR
                    && ClassGenerator.emitVectorKernel(writer, kernel, program, shape.branchFree());
            if (!vectorLoop[0]) {
                ClassGenerator.emitKernel(writer, new ChunkedKernels(writer, internalName), kernel, program, shape);
            }
            ClassGenerator.emitBridge(writer, internalName, kernel, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL);
            writer.visitEnd();
            return writer.toByteArray();
        });
        return new KernelClass(bytes, vectorLoop[0]);
    }
}
