package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.CodeSizeEvaluator;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;

/**
 * The code generation stage. In: a {@link LossProgram} and a class name. Out: the bytes of one class
 * extending {@code dev.symgrad.runtime.GeneratedLoss}, with a public no-argument constructor, the
 * static {@link Kernel} methods and the instance bridges the superclass calls.
 *
 * <p>Each kernel is first emitted in the fast {@link InlineKernels} shape (sums with 4, then 2, then 1
 * accumulators); if the method would exceed {@link #METHOD_BYTES} bytes, which the JIT would refuse to
 * compile, the {@link ChunkedKernels} shape is used instead. The output is deterministic: the same
 * program and name give the same bytes, so the build plugin can write what the runtime would load.
 */
public final class ClassGenerator {

    /** Largest kernel method emitted; HotSpot never compiles methods over 8000 bytes of bytecode. */
    public static final int METHOD_BYTES = 7_500;

    /**
     * Most accumulators (lanes times sums) a reduce kernel may keep. With 31 sums in 4 lanes C2 gave up
     * on the fused DP-SGD clipping kernel of a 31-parameter loss ("out of nodes" while splitting live
     * ranges), leaving it to the tier-3 code. 32, the number of vector registers on AVX-512, rather than
     * 64: two lanes instead of four for W3 (9 sums) and W4 (13), one instead of two for 31 sums. JMH, JDK
     * 17, route (b), the two builds alternated twice: W3 11.4-11.5 instead of 12.1-12.5 µs at N = 1,000
     * and 12.8-12.9 instead of 13.0-13.1 ms at N = 1,000,000; W4 67-68 instead of 64-65 µs at N = 1,000
     * (the one loss) but 69 instead of 101 ms at N = 1,000,000; the 31-parameter logistic loss 36 instead
     * of 41 µs and 68-69 instead of 82 ms (route (a) summed likewise, the clipped sum unchanged).
     */
    static final int MAX_ACCUMULATORS = 32;

    /** Kernels whose DAG has more nodes than this go straight to the chunked shape. */
    static final int INLINE_NODE_LIMIT = 1_500;

    static final String SUPERCLASS = "dev/symgrad/runtime/GeneratedLoss";

    static final String STRING_ARRAY = "[Ljava/lang/String;";

    /** Longest string constant piece; the class-file limit is 65535 bytes of modified UTF-8. */
    private static final int STRING_PIECE = 16_000;

    private ClassGenerator() {
    }

    /** The class file for {@code program} with the scalar batch loops, which run on every JVM. */
    public static byte[] generate(LossProgram program, String internalName) {
        return generate(program, internalName, Backend.SCALAR);
    }

    /**
     * The class file for {@code program} named {@code internalName} (e.g. {@code com/example/LossGradients}),
     * with the batch loops of {@code backend} in the shapes the generator chooses.
     */
    public static byte[] generate(LossProgram program, String internalName, Backend backend) {
        return generate(program, internalName, CodeShape.chosen(backend));
    }

    /** As {@link #generate(LossProgram, String, Backend)}, in the given shape (tests force each one). */
    public static byte[] generate(LossProgram program, String internalName, CodeShape shape) {
        return withinClassFileLimits(() -> write(program, internalName, shape, false));
    }

    /**
     * As {@link #generate(LossProgram, String, Backend)}, for a class defined at run time: its constructor
     * takes the printed loss and derivatives as functions, {@code (Supplier<String>, IntFunction<String>)},
     * rather than holding them as constants, so that they are printed only if asked for. Printing was a tenth
     * of W5's compile (a 10,000-node loss, which keeps one class).
     */
    public static byte[] generatePrintingLater(LossProgram program, String internalName, Backend backend) {
        return withinClassFileLimits(() -> write(program, internalName, CodeShape.chosen(backend), true));
    }

    /** ASM's reports of a class or method over the class-file limits, as {@link LossTooLargeException}. */
    static byte[] withinClassFileLimits(java.util.function.Supplier<byte[]> write) {
        try {
            return write.get();
        } catch (ClassTooLargeException e) {
            throw new LossTooLargeException("the generated class would exceed the JVM's class-file limits ("
                    + e.getConstantPoolCount() + " constant pool entries)");
        } catch (MethodTooLargeException e) {
            throw new LossTooLargeException("generated method " + e.getMethodName() + " would have " + e.getCodeSize()
                    + " bytes of bytecode, over the JVM's 65535");
        }
    }

    /**
     * The class file for a loss over arrays: index loops stay loops, so its size depends on the loss's
     * structure, not on the arrays' extents. Scalar code on every backend for now.
     */
    public static byte[] generate(IndexedLossProgram program, String internalName) {
        return generate(program, internalName, LoopSchedule.LANES);
    }

    /** As {@link #generate(IndexedLossProgram, String)} with the given schedule (tests force each one). */
    static byte[] generate(IndexedLossProgram program, String internalName, LoopSchedule schedule) {
        return generate(program, internalName, schedule, ExampleLanes.MAX_LANES);
    }

    /**
     * As {@link #generate(IndexedLossProgram, String, LoopSchedule)}, with blocks of at most
     * {@code maxBlockSize} examples under lanes (tests force blocks of {@link ExampleLanes#MIN_LANES}).
     */
    static byte[] generate(IndexedLossProgram program, String internalName, LoopSchedule schedule, int maxBlockSize) {
        return withinClassFileLimits(() -> {
            ClassWriter writer = newClassWriter();
            writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                    SUPERCLASS, null);
            writer.visitSource("symgrad-generated", null);
            IndexedConstructor.emit(writer, program);
            LoopKernels kernels = new LoopKernels(program, maxBlockSize);
            for (Kernel kernel : Kernel.values()) {
                // Lanes and jammed sums repeat code: where that would take a kernel past what the JIT
                // compiles, the kernel falls back to a smaller schedule.
                MethodNode method = null;
                for (LoopSchedule fallback : schedule.andSmaller()) {
                    method = loopKernel(kernels, kernel, fallback);
                    if (method != null) {
                        break;
                    }
                }
                method.accept(writer);
                emitBridge(writer, internalName, kernel, Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL);
            }
            writer.visitEnd();
            return writer.toByteArray();
        });
    }

    /**
     * A loop kernel emitted to a method node, or null if {@code schedule} would take it past
     * {@link #METHOD_BYTES} (the plain schedule's kernel is returned whatever its size).
     */
    private static MethodNode loopKernel(LoopKernels kernels, Kernel kernel, LoopSchedule schedule) {
        MethodNode method = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, kernel.methodName,
                kernel.descriptor, null, null);
        CodeSizeEvaluator size = new CodeSizeEvaluator(method);
        size.visitCode();
        kernels.emit(size, kernel, schedule);
        size.visitMaxs(0, 0);
        size.visitEnd();
        return schedule != LoopSchedule.PLAIN && size.getMaxSize() > METHOD_BYTES ? null : method;
    }

    static ClassWriter newClassWriter() {
        return new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                // Frames only ever merge identical array types; never load classes to find out.
                return type1.equals(type2) ? type1 : "java/lang/Object";
            }
        };
    }

    private static byte[] write(LossProgram program, String internalName, CodeShape shape, boolean printingLater) {
        ClassWriter writer = newClassWriter();
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                SUPERCLASS, null);
        writer.visitSource("symgrad-generated", null);
        emitConstructor(writer, program, printingLater);
        ChunkedKernels chunked = new ChunkedKernels(writer, internalName);
        for (Kernel kernel : Kernel.values()) {
            if (shape.backend() != Backend.VECTOR || !emitVectorKernel(writer, kernel, program, shape.branchFree())) {
                emitKernel(writer, chunked, kernel, program, shape);
            }
            emitBridge(writer, internalName, kernel, Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL);
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    static void emitKernel(ClassVisitor cv, ChunkedKernels chunked, Kernel kernel, LossProgram program,
                                   CodeShape shape) {
        List<Expr> roots = rootsOf(kernel, program);
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
        boolean branchFree = shape.branchFree();
        if (shape.loops() != CodeShape.Loops.CHUNKED && !Graph.isLargerThan(roots, INLINE_NODE_LIMIT)) {
            int[] unrolls = kernel.isReduction() ? new int[] {4, 2, 1} : new int[] {1};
            int sums = kernel.isReduction() ? countBatchSums(roots) : 0;
            for (int unroll : unrolls) {
                if (unroll > 1 && unroll * sums > MAX_ACCUMULATORS) {
                    continue;
                }
                MethodNode method = new MethodNode(Opcodes.ASM9, access, kernel.methodName, kernel.descriptor, null, null);
                CodeSizeEvaluator size = new CodeSizeEvaluator(method);
                size.visitCode();
                switch (kernel) {
                    case LOSS, GRADIENT -> InlineKernels.emitSingleExample(size, kernel, roots);
                    case PER_EXAMPLE_LOSSES, PER_EXAMPLE_GRADIENTS, PER_EXAMPLE_GRADIENT_NORMS ->
                            InlineKernels.emitMap(size, kernel, roots, branchFree, shape.loops());
                    case TOTAL_LOSS, SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM, CLIPPED_GRADIENT_SUM ->
                            InlineKernels.emitReduce(size, kernel, roots, unroll, branchFree, shape.loops());
                }
                size.visitMaxs(0, 0);
                size.visitEnd();
                if (size.getMaxSize() <= METHOD_BYTES) {
                    method.accept(cv);
                    return;
                }
            }
        }
        MethodVisitor mv = cv.visitMethod(access, kernel.methodName, kernel.descriptor, null, null);
        mv.visitCode();
        int inputs = program.inputs().size();
        switch (kernel) {
            case LOSS, GRADIENT -> chunked.emitSingleExample(mv, kernel, roots);
            case PER_EXAMPLE_LOSSES, PER_EXAMPLE_GRADIENTS, PER_EXAMPLE_GRADIENT_NORMS ->
                    chunked.emitMap(mv, kernel, roots, inputs);
            case TOTAL_LOSS, SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM, CLIPPED_GRADIENT_SUM ->
                    chunked.emitReduce(mv, kernel, roots, inputs);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * Emits the {@link VectorKernels} shape of a batch kernel if it fits the limits of that shape and of
     * the JIT; false leaves the kernel to the scalar shapes.
     */
    static boolean emitVectorKernel(ClassVisitor cv, Kernel kernel, LossProgram program, boolean branchFree) {
        if (!kernel.isBatch()) {
            return false;
        }
        List<Expr> roots = rootsOf(kernel, program);
        // One traversal: VectorKernels.fits bounds the node count well below INLINE_NODE_LIMIT.
        List<Node> nodes = Graph.topologicalOrder(roots);
        int outputs = kernel.isReduction() ? countBatchSums(roots) : roots.size();
        if (!VectorKernels.fits(nodes, outputs)) {
            return false;
        }
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
        MethodNode method = new MethodNode(Opcodes.ASM9, access, kernel.methodName, kernel.descriptor, null, null);
        CodeSizeEvaluator size = new CodeSizeEvaluator(method);
        size.visitCode();
        if (kernel.isReduction()) {
            VectorKernels.emitReduce(size, kernel, roots, branchFree);
        } else {
            VectorKernels.emitMap(size, kernel, roots, branchFree);
        }
        size.visitMaxs(0, 0);
        size.visitEnd();
        if (size.getMaxSize() > METHOD_BYTES) {
            return false;
        }
        method.accept(cv);
        return true;
    }

    private static int countBatchSums(List<Expr> roots) {
        return InlineKernels.batchSums(Graph.topologicalOrder(roots, node -> node instanceof BatchSum)).size();
    }

    /** What each kernel computes. Route (a) summed is the plain sum of the per-example gradients. */
    static List<Expr> rootsOf(Kernel kernel, LossProgram program) {
        return switch (kernel) {
            case LOSS, PER_EXAMPLE_LOSSES -> List.of(program.loss());
            case GRADIENT, PER_EXAMPLE_GRADIENTS -> program.gradient();
            case TOTAL_LOSS -> List.of(program.totalLoss());
            case SUM_OF_PER_EXAMPLE_GRADIENTS -> program.sumOfPerExampleGradients();
            case GRADIENT_OF_SUM -> program.gradientOfSum();
            case CLIPPED_GRADIENT_SUM -> program.clippedGradientSum();
            case PER_EXAMPLE_GRADIENT_NORMS -> List.of(program.gradientNorm());
        };
    }

    /** {@code protected ... lossKernel(...) { return computeLoss(...); }} and so on. */
    static void emitBridge(ClassVisitor cv, String className, Kernel kernel, int access) {
        MethodVisitor mv = cv.visitMethod(access, kernel.bridgeName, kernel.descriptor, null, null);
        mv.visitCode();
        int slot = 1;
        for (Type argument : Type.getArgumentTypes(kernel.descriptor)) {
            mv.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
            slot += argument.getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, className, kernel.methodName, kernel.descriptor, false);
        mv.visitInsn(Type.getReturnType(kernel.descriptor).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code public Name() { super(parameters, inputs, printedLoss, printedDerivatives); }}, or with
     * {@code printingLater}, {@code public Name(Supplier<String> loss, IntFunction<String> derivative) {
     * super(parameters, inputs, loss, derivative); }}.
     */
    private static void emitConstructor(ClassVisitor cv, LossProgram program, boolean printingLater) {
        String printers = "Ljava/util/function/Supplier;Ljava/util/function/IntFunction;";
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC, "<init>", printingLater ? "(" + printers + ")V" : "()V",
                null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        pushStringArray(mv, program.parameters());
        pushStringArray(mv, program.inputs());
        if (printingLater) {
            mv.visitVarInsn(Opcodes.ALOAD, 1);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
        } else {
            pushString(mv, program.printedLoss());
            pushStringArray(mv, program.printedDerivatives());
        }
        String printed = printingLater ? printers : "Ljava/lang/String;" + STRING_ARRAY;
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPERCLASS, "<init>", "(" + STRING_ARRAY + STRING_ARRAY + printed + ")V",
                false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    static void pushStringArray(MethodVisitor mv, List<String> values) {
        Bytecode.pushInt(mv, values.size());
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/String");
        for (int i = 0; i < values.size(); i++) {
            mv.visitInsn(Opcodes.DUP);
            Bytecode.pushInt(mv, i);
            pushString(mv, values.get(i));
            mv.visitInsn(Opcodes.AASTORE);
        }
    }

    /** Long strings are split into constants below the class-file limit and joined with {@code concat}. */
    static void pushString(MethodVisitor mv, String value) {
        if (value.length() <= STRING_PIECE) {
            mv.visitLdcInsn(value);
            return;
        }
        mv.visitLdcInsn(value.substring(0, STRING_PIECE));
        for (int start = STRING_PIECE; start < value.length(); start += STRING_PIECE) {
            mv.visitLdcInsn(value.substring(start, Math.min(value.length(), start + STRING_PIECE)));
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat",
                    "(Ljava/lang/String;)Ljava/lang/String;", false);
        }
    }
}
