package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.CodeSizeEvaluator;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code shape for losses too large for one method: intermediate values live in a scratch array,
 * and the straight-line computation is cut into private static "chunk" methods that each stay under
 * {@link #CHUNK_BYTES} bytes of bytecode, far below the JIT's 8000-byte limit. The kernels call the
 * chunks in order for each example. Slower than {@link InlineKernels} per node, but every method is
 * JIT-compiled, which an oversized method never is. One instance serves one class, and kernels that
 * compute the same per-example values (the gradient for one example, for a batch, summed) share one
 * set of chunk methods.
 */
final class ChunkedKernels {

    private final ClassVisitor cv;
    private final String className;
    private final Map<List<Expr>, Program> perExamplePrograms = new HashMap<>();

    /** Target bytecode size of one chunk; one more node never adds more than a few hundred bytes. */
    static final int CHUNK_BYTES = 5_000;

    /** Chunk calls that fit in one kernel method with room to spare (each call is 7 bytes). */
    private static final int MAX_CHUNK_CALLS = 900;

    private static final String CHUNK_DESCRIPTOR = "([D[D[D)V";

    ChunkedKernels(ClassVisitor cv, String className) {
        this.cv = cv;
        this.className = className;
    }

    /**
     * A computation cut into chunk methods with signature {@code (double[] params, double[] leaves,
     * double[] scratch)}; root k ends up in {@code scratch[k]}.
     */
    private record Program(List<String> chunkNames, int scratchSize) {
    }

    /** The chunks computing {@code roots} for one example (leaves: the example's inputs), emitted once per class. */
    private Program perExampleProgram(List<Expr> roots) {
        Program program = perExamplePrograms.get(roots);
        if (program == null) {
            program = emitProgram("example" + perExamplePrograms.size(), roots, inputLeaves(roots));
            perExamplePrograms.put(List.copyOf(roots), program);
        }
        return program;
    }

    private Program emitProgram(String prefix, List<Expr> roots, Map<Node, Integer> leafIndex) {
        Map<Node, Integer> scratchIndex = new IdentityHashMap<>();
        int[] nextScratch = {roots.size()};
        List<String> names = new ArrayList<>();
        ValueEmitter.OperandAccess operands = (mv, operand) -> {
            if (operand instanceof Constant c) {
                Bytecode.pushDouble(mv, c.value());
            } else if (operand instanceof Variable v && v.isParameter()) {
                loadElement(mv, 0, v.index());
            } else if (leafIndex.containsKey(operand)) {
                loadElement(mv, 1, leafIndex.get(operand));
            } else {
                Integer index = scratchIndex.get(operand);
                if (index == null) {
                    throw new IllegalStateException("operand not computed: " + operand.getClass().getSimpleName());
                }
                loadElement(mv, 2, index);
            }
        };
        ChunkWriter writer = new ChunkWriter(cv, className, prefix, names);
        for (Node node : Graph.topologicalOrder(roots, leafIndex::containsKey)) {
            if (node instanceof Condition || node instanceof Constant || node instanceof Variable
                    || leafIndex.containsKey(node)) {
                continue;
            }
            MethodVisitor mv = writer.current();
            int index = nextScratch[0]++;
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            Bytecode.pushInt(mv, index);
            ValueEmitter.emitOperation(mv, (Expr) node, operands, false);
            mv.visitInsn(Opcodes.DASTORE);
            scratchIndex.put(node, index);
            writer.endStatement();
        }
        for (int k = 0; k < roots.size(); k++) {
            MethodVisitor mv = writer.current();
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            Bytecode.pushInt(mv, k);
            operands.load(mv, roots.get(k));
            mv.visitInsn(Opcodes.DASTORE);
            writer.endStatement();
        }
        writer.finish();
        if (names.size() > MAX_CHUNK_CALLS) {
            throw new LossTooLargeException("needs " + names.size() + " helper methods; at most " + MAX_CHUNK_CALLS
                    + " are supported");
        }
        return new Program(names, nextScratch[0]);
    }

    private static void loadElement(MethodVisitor mv, int arraySlot, int index) {
        mv.visitVarInsn(Opcodes.ALOAD, arraySlot);
        Bytecode.pushInt(mv, index);
        mv.visitInsn(Opcodes.DALOAD);
    }

    /** Opens chunk methods on demand and closes each once it reaches the size target. */
    private static final class ChunkWriter {
        private final ClassVisitor cv;
        private final String className;
        private final String prefix;
        private final List<String> names;
        private MethodNode method;
        private CodeSizeEvaluator size;

        ChunkWriter(ClassVisitor cv, String className, String prefix, List<String> names) {
            this.cv = cv;
            this.className = className;
            this.prefix = prefix;
            this.names = names;
        }

        MethodVisitor current() {
            if (method == null) {
                String name = prefix + "$" + names.size();
                names.add(name);
                method = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                        name, CHUNK_DESCRIPTOR, null, null);
                size = new CodeSizeEvaluator(method);
                size.visitCode();
            }
            return size;
        }

        void endStatement() {
            if (size.getMaxSize() >= CHUNK_BYTES) {
                finish();
            }
        }

        void finish() {
            if (method == null) {
                return;
            }
            size.visitInsn(Opcodes.RETURN);
            size.visitMaxs(0, 0);
            size.visitEnd();
            method.accept(cv);
            method = null;
            size = null;
        }
    }

    private void callAll(MethodVisitor mv, Program program, int paramsSlot, int leavesSlot,
                                int scratchSlot) {
        for (String name : program.chunkNames()) {
            mv.visitVarInsn(Opcodes.ALOAD, paramsSlot);
            mv.visitVarInsn(Opcodes.ALOAD, leavesSlot);
            mv.visitVarInsn(Opcodes.ALOAD, scratchSlot);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, className, name, CHUNK_DESCRIPTOR, false);
        }
    }

    private static int newDoubleArray(MethodVisitor mv, int length, int slot) {
        Bytecode.pushInt(mv, length);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitVarInsn(Opcodes.ASTORE, slot);
        return slot;
    }

    private static Map<Node, Integer> inputLeaves(List<Expr> roots) {
        Map<Node, Integer> leaves = new IdentityHashMap<>();
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Variable v && !v.isParameter()) {
                leaves.put(v, v.index());
            }
        }
        return leaves;
    }

    /** {@code computeLoss} or {@code computeGradient}. */
    void emitSingleExample(MethodVisitor mv, Kernel kernel, List<Expr> roots) {
        Program program = perExampleProgram(roots);
        int scratch = newDoubleArray(mv, program.scratchSize(), kernel.argumentSlots());
        callAll(mv, program, Kernel.PARAMS, Kernel.EXAMPLE, scratch);
        if (kernel == Kernel.LOSS) {
            loadElement(mv, scratch, 0);
            mv.visitInsn(Opcodes.DRETURN);
        } else {
            copyOut(mv, scratch, Kernel.SINGLE_OUT, roots.size());
            mv.visitInsn(Opcodes.RETURN);
        }
    }

    private static void copyOut(MethodVisitor mv, int fromSlot, int toSlot, int length) {
        mv.visitVarInsn(Opcodes.ALOAD, fromSlot);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ALOAD, toSlot);
        mv.visitInsn(Opcodes.ICONST_0);
        Bytecode.pushInt(mv, length);
        Bytecode.arraycopy(mv);
    }

    /** Emits {@code for (int i = from; i < to; i++) { example = row i; body }}. */
    private static void loopOverExamples(MethodVisitor mv, int inputCount, int exampleSlot, int indexSlot, int innerSlot,
                                         Runnable body) {
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, indexSlot);
        CountedLoop.whileBelow(mv, indexSlot, () -> mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO), 1, () -> {
            // for (int j = 0; j < inputCount; j++) example[j] = columns[j][i];
            CountedLoop.fromZero(mv, innerSlot, inputCount, () -> {
                mv.visitVarInsn(Opcodes.ALOAD, exampleSlot);
                mv.visitVarInsn(Opcodes.ILOAD, innerSlot);
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.COLUMNS);
                mv.visitVarInsn(Opcodes.ILOAD, innerSlot);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitVarInsn(Opcodes.ILOAD, indexSlot);
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitInsn(Opcodes.DASTORE);
            });
            body.run();
        });
    }

    /** {@code computePerExampleLosses} or {@code computePerExampleGradients}. */
    void emitMap(MethodVisitor mv, Kernel kernel, List<Expr> roots, int inputCount) {
        Program program = perExampleProgram(roots);
        int scratch = newDoubleArray(mv, program.scratchSize(), kernel.argumentSlots());
        int example = newDoubleArray(mv, inputCount, scratch + 1);
        int i = example + 1;
        int j = i + 1;
        loopOverExamples(mv, inputCount, example, i, j, () -> {
            callAll(mv, program, Kernel.PARAMS, example, scratch);
            if (kernel.writesOneColumn()) {
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
                mv.visitVarInsn(Opcodes.ILOAD, i);
                loadElement(mv, scratch, 0);
                mv.visitInsn(Opcodes.DASTORE);
            } else {
                // for (int k = 0; k < P; k++) out[k][i] = scratch[k];
                CountedLoop.fromZero(mv, j, roots.size(), () -> {
                    mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
                    mv.visitVarInsn(Opcodes.ILOAD, j);
                    mv.visitInsn(Opcodes.AALOAD);
                    mv.visitVarInsn(Opcodes.ILOAD, i);
                    mv.visitVarInsn(Opcodes.ALOAD, scratch);
                    mv.visitVarInsn(Opcodes.ILOAD, j);
                    mv.visitInsn(Opcodes.DALOAD);
                    mv.visitInsn(Opcodes.DASTORE);
                });
            }
        });
        mv.visitInsn(Opcodes.RETURN);
    }

    /** {@code computeTotalLoss}, {@code computeSumOfPerExampleGradients} or {@code computeGradientOfSum}. */
    void emitReduce(MethodVisitor mv, Kernel kernel, List<Expr> roots, int inputCount) {
        InlineKernels.emitEmptyBatchIsZero(mv, kernel);
        List<Expr> summands = new ArrayList<>();
        Map<Node, Integer> outerLeaves = new IdentityHashMap<>();
        for (Node node : Graph.topologicalOrder(roots, n -> n instanceof BatchSum)) {
            if (node instanceof BatchSum sum) {
                outerLeaves.put(sum, summands.size());
                summands.add(sum.summand());
            }
        }
        for (Node node : Graph.topologicalOrder(roots, n -> n instanceof BatchSum)) {
            if (node instanceof BatchSize) {
                outerLeaves.put(node, summands.size());
            }
        }
        Program perExample = perExampleProgram(summands);
        Program outer = emitProgram(kernel.methodName + "$batch", roots, outerLeaves);
        int base = kernel.argumentSlots();
        int sums = newDoubleArray(mv, summands.size() + 1, base);
        int scratch = newDoubleArray(mv, perExample.scratchSize(), base + 1);
        int example = newDoubleArray(mv, inputCount, base + 2);
        int i = base + 3;
        int j = base + 4;
        loopOverExamples(mv, inputCount, example, i, j, () -> {
            callAll(mv, perExample, Kernel.PARAMS, example, scratch);
            // for (int j = 0; j < J; j++) sums[j] += scratch[j];
            CountedLoop.fromZero(mv, j, summands.size(), () -> {
                mv.visitVarInsn(Opcodes.ALOAD, sums);
                mv.visitVarInsn(Opcodes.ILOAD, j);
                mv.visitInsn(Opcodes.DUP2);
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitVarInsn(Opcodes.ALOAD, scratch);
                mv.visitVarInsn(Opcodes.ILOAD, j);
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitInsn(Opcodes.DADD);
                mv.visitInsn(Opcodes.DASTORE);
            });
        });
        mv.visitVarInsn(Opcodes.ALOAD, sums);
        Bytecode.pushInt(mv, summands.size());
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitInsn(Opcodes.ISUB);
        mv.visitInsn(Opcodes.I2D);
        mv.visitInsn(Opcodes.DASTORE);
        int outerScratch = newDoubleArray(mv, outer.scratchSize(), base + 5);
        callAll(mv, outer, Kernel.PARAMS, sums, outerScratch);
        if (kernel == Kernel.TOTAL_LOSS) {
            loadElement(mv, outerScratch, 0);
            mv.visitInsn(Opcodes.DRETURN);
        } else {
            copyOut(mv, outerScratch, Kernel.BATCH_OUT, roots.size());
            mv.visitInsn(Opcodes.RETURN);
        }
    }
}
