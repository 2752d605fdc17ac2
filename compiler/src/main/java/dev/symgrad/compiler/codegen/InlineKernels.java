package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast code shape: every intermediate value in a local variable, parameter-only values computed
 * once before the loop, the loop a plain counted {@code int} loop over the columns whose body calls
 * nothing but {@code Math} intrinsics. Sums use {@code unroll} independent accumulators per value
 * (C2 keeps a single {@code double} accumulator sequential), combined pairwise after the loop.
 * Used when the method stays under the JIT's size limit; {@link ChunkedKernels} handles the rest.
 */
final class InlineKernels {

    private InlineKernels() {
    }

    /** Local variable slots of one method, looked up first in this scope, then in the enclosing one. */
    static final class Locals {
        private final Map<Node, Integer> slots = new IdentityHashMap<>();
        private final Locals outer;
        private final int[] next;

        Locals(int firstFree) {
            this.outer = null;
            this.next = new int[] {firstFree};
        }

        private Locals(Locals outer) {
            this.outer = outer;
            this.next = outer.next;
        }

        Locals nested() {
            return new Locals(this);
        }

        Integer find(Node node) {
            Integer slot = slots.get(node);
            return slot != null || outer == null ? slot : outer.find(node);
        }

        int allocate(Node node, int size) {
            int slot = next[0];
            next[0] += size;
            if (node != null) {
                slots.put(node, slot);
            }
            return slot;
        }
    }

    /** Pushes operands: constants inline, everything else from its local. */
    static ValueEmitter.OperandAccess access(Locals locals) {
        return (mv, operand) -> {
            if (operand instanceof Constant c) {
                Bytecode.pushDouble(mv, c.value());
                return;
            }
            Integer slot = locals.find(operand);
            if (slot == null) {
                throw new IllegalStateException("operand not computed: " + operand.getClass().getSimpleName());
            }
            mv.visitVarInsn(Opcodes.DLOAD, slot);
        };
    }

    /**
     * Computes every operator node of {@code nodes} (in order) into a new local. Conditionals whose
     * test is in {@code selectWithoutJumps} (the data-dependent nodes in batch loops, else empty) are
     * emitted branch-free.
     */
    static void computeAll(MethodVisitor mv, List<Node> nodes, Locals locals, Set<Node> selectWithoutJumps) {
        ValueEmitter.OperandAccess operands = access(locals);
        for (Node node : nodes) {
            if (node instanceof Condition || node instanceof Constant || node instanceof Variable
                    || node instanceof BatchSum || node instanceof BatchSize || locals.find(node) != null) {
                continue;
            }
            boolean branchFree = node instanceof Conditional c && selectWithoutJumps.contains(c.test());
            ValueEmitter.emitOperation(mv, (Expr) node, operands, branchFree);
            mv.visitVarInsn(Opcodes.DSTORE, locals.allocate(node, 2));
        }
    }

    /** Loads the parameters among {@code nodes} from {@code params[]} into locals. */
    static void loadParameters(MethodVisitor mv, Collection<? extends Node> nodes, Locals locals) {
        for (Node node : nodes) {
            if (node instanceof Variable v && v.isParameter()) {
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.PARAMS);
                Bytecode.pushInt(mv, v.index());
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitVarInsn(Opcodes.DSTORE, locals.allocate(v, 2));
            }
        }
    }

    /** {@code computeLoss} or {@code computeGradient}: straight-line code for one example. */
    static void emitSingleExample(MethodVisitor mv, Kernel kernel, List<Expr> roots) {
        Locals locals = new Locals(kernel.argumentSlots());
        List<Node> nodes = Graph.topologicalOrder(roots);
        loadParameters(mv, nodes, locals);
        for (Node node : nodes) {
            if (node instanceof Variable v && !v.isParameter()) {
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.EXAMPLE);
                Bytecode.pushInt(mv, v.index());
                mv.visitInsn(Opcodes.DALOAD);
                mv.visitVarInsn(Opcodes.DSTORE, locals.allocate(v, 2));
            }
        }
        computeAll(mv, nodes, locals, Set.of());
        returnResults(mv, kernel == Kernel.LOSS, Kernel.SINGLE_OUT, roots, access(locals));
    }

    /** Returns the single root's value, or writes root k to {@code out[k]} and returns. */
    static void returnResults(MethodVisitor mv, boolean returnsValue, int outSlot, List<Expr> roots,
                                      ValueEmitter.OperandAccess operands) {
        if (returnsValue) {
            operands.load(mv, roots.get(0));
            mv.visitInsn(Opcodes.DRETURN);
            return;
        }
        for (int k = 0; k < roots.size(); k++) {
            mv.visitVarInsn(Opcodes.ALOAD, outSlot);
            Bytecode.pushInt(mv, k);
            operands.load(mv, roots.get(k));
            mv.visitInsn(Opcodes.DASTORE);
        }
        mv.visitInsn(Opcodes.RETURN);
    }

    /** The column arrays of the inputs the DAG uses, loaded into locals once. */
    static Map<Variable, Integer> loadColumns(MethodVisitor mv, List<Node> nodes, Locals locals) {
        // Insertion (topological) order: the columns are iterated to emit loads, and the class bytes must
        // not depend on identity hash codes (the build plugin writes what the run-time path would load).
        Map<Variable, Integer> columns = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node instanceof Variable v && !v.isParameter()) {
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.COLUMNS);
                Bytecode.pushInt(mv, v.index());
                mv.visitInsn(Opcodes.AALOAD);
                int slot = locals.allocate(null, 1);
                mv.visitVarInsn(Opcodes.ASTORE, slot);
                columns.put(v, slot);
            }
        }
        return columns;
    }

    /** Loads {@code x[i + offset]} for every input into the example's locals. */
    static void loadExample(MethodVisitor mv, Map<Variable, Integer> columns, int indexSlot, int offset,
                                    Locals example) {
        for (Map.Entry<Variable, Integer> column : columns.entrySet()) {
            mv.visitVarInsn(Opcodes.ALOAD, column.getValue());
            mv.visitVarInsn(Opcodes.ILOAD, indexSlot);
            if (offset != 0) {
                Bytecode.pushInt(mv, offset);
                mv.visitInsn(Opcodes.IADD);
            }
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitVarInsn(Opcodes.DSTORE, example.allocate(column.getKey(), 2));
        }
    }

    /** Loads example {@code i + offset} and computes its per-example nodes in a nested scope; returns their access. */
    static ValueEmitter.OperandAccess computeExample(MethodVisitor mv, Map<Variable, Integer> columns, int indexSlot,
                                                     int offset, List<Node> perExample, Set<Node> selectWithoutJumps,
                                                     Locals locals) {
        Locals example = locals.nested();
        loadExample(mv, columns, indexSlot, offset, example);
        computeAll(mv, perExample, example, selectWithoutJumps);
        return access(example);
    }

    /** Splits the per-example DAG into loop-invariant nodes and nodes computed for every example. */
    static List<List<Node>> partition(List<Node> nodes, Set<Node> varying) {
        List<Node> invariant = new ArrayList<>();
        List<Node> perExample = new ArrayList<>();
        for (Node node : nodes) {
            (varying.contains(node) ? perExample : invariant).add(node);
        }
        return List.of(invariant, perExample);
    }

    /** {@code computePerExampleLosses} or {@code computePerExampleGradients}: one output per example. */
    static void emitMap(MethodVisitor mv, Kernel kernel, List<Expr> roots, boolean branchFree, CodeShape.Loops loops) {
        Locals locals = new Locals(kernel.argumentSlots());
        List<Node> nodes = Graph.topologicalOrder(roots);
        Set<Node> dataDependent = Graph.inputDependent(roots);
        List<List<Node>> parts = partition(nodes, dataDependent);
        Set<Node> selectWithoutJumps = branchFree ? dataDependent : Set.of();
        loadParameters(mv, nodes, locals);
        computeAll(mv, parts.get(0), locals, Set.of());
        Map<Variable, Integer> columns = loadColumns(mv, nodes, locals);
        int[] outSlots = loadOutputColumns(mv, kernel, roots.size(), locals);
        if (StagedLoops.chosen(loops, parts.get(1))) {
            StagedLoops.emit(mv, locals, columns, parts.get(1), selectWithoutJumps, roots, 1, StagedLoops.SPLIT_STORES,
                    (m, k, operands, index, offset, lane) -> storeOutput(m, outSlots[k], index, offset, operands,
                            roots.get(k)));
            mv.visitInsn(Opcodes.RETURN);
            return;
        }
        int i = locals.allocate(null, 1);
        CountedLoop.emit(mv, locals, i, Kernel.FROM, Kernel.TO, 1, (m, offset, lane) -> {
            ValueEmitter.OperandAccess operands = computeExample(m, columns, i, offset, parts.get(1), selectWithoutJumps,
                    locals);
            for (int k = 0; k < roots.size(); k++) {
                storeOutput(m, outSlots[k], i, offset, operands, roots.get(k));
            }
        });
        mv.visitInsn(Opcodes.RETURN);
    }

    /** The slot of each map output's column: {@code out} itself, or {@code out[k]} loaded into a local. */
    static int[] loadOutputColumns(MethodVisitor mv, Kernel kernel, int outputs, Locals locals) {
        int[] outSlots = new int[outputs];
        for (int k = 0; k < outputs; k++) {
            if (kernel.writesOneColumn()) {
                outSlots[k] = Kernel.BATCH_OUT;
            } else {
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
                Bytecode.pushInt(mv, k);
                mv.visitInsn(Opcodes.AALOAD);
                outSlots[k] = locals.allocate(null, 1);
                mv.visitVarInsn(Opcodes.ASTORE, outSlots[k]);
            }
        }
        return outSlots;
    }

    /** {@code out[index + offset] = value}. */
    static void storeOutput(MethodVisitor mv, int outSlot, int indexSlot, int offset,
                                    ValueEmitter.OperandAccess operands, Expr value) {
        mv.visitVarInsn(Opcodes.ALOAD, outSlot);
        mv.visitVarInsn(Opcodes.ILOAD, indexSlot);
        if (offset != 0) {
            Bytecode.pushInt(mv, offset);
            mv.visitInsn(Opcodes.IADD);
        }
        operands.load(mv, value);
        mv.visitInsn(Opcodes.DASTORE);
    }

    /**
     * {@code computeTotalLoss}, {@code computeSumOfPerExampleGradients} or {@code computeGradientOfSum}:
     * accumulates every batch sum of the batch-level {@code roots} in one pass over the batch, then
     * computes the roots from the sums.
     */
    static void emitReduce(MethodVisitor mv, Kernel kernel, List<Expr> roots, int unroll, boolean branchFree,
                           CodeShape.Loops loops) {
        emitEmptyBatchIsZero(mv, kernel);
        Locals locals = new Locals(kernel.argumentSlots());
        List<Node> outerNodes = Graph.topologicalOrder(roots, node -> node instanceof BatchSum);
        List<BatchSum> sums = batchSums(outerNodes);
        List<Expr> summands = summandsOf(sums);
        List<Node> allNodes = Graph.topologicalOrder(roots);
        loadParameters(mv, allNodes, locals);
        List<Node> summandNodes = Graph.topologicalOrder(summands);
        Set<Node> dataDependent = Graph.inputDependent(summands);
        List<List<Node>> parts = partition(summandNodes, dataDependent);
        Set<Node> selectWithoutJumps = branchFree ? dataDependent : Set.of();
        computeAll(mv, parts.get(0), locals, Set.of());
        Map<Variable, Integer> columns = loadColumns(mv, summandNodes, locals);

        int[][] accumulators = new int[sums.size()][unroll];
        for (int j = 0; j < sums.size(); j++) {
            for (int u = 0; u < unroll; u++) {
                mv.visitInsn(Opcodes.DCONST_0);
                accumulators[j][u] = locals.allocate(null, 2);
                mv.visitVarInsn(Opcodes.DSTORE, accumulators[j][u]);
            }
        }
        if (StagedLoops.chosen(loops, parts.get(1))) {
            StagedLoops.emit(mv, locals, columns, parts.get(1), selectWithoutJumps, summands, unroll,
                    StagedLoops.SPLIT_SUMS, (m, j, operands, index, offset, lane) ->
                            accumulate(m, accumulators[j][lane], operands, summands.get(j)));
        } else {
            emitFusedReduceLoops(mv, locals, columns, parts.get(1), selectWithoutJumps, summands, accumulators, unroll);
        }

        for (int j = 0; j < sums.size(); j++) {
            combinePairwise(mv, accumulators[j], 0, unroll);
            mv.visitVarInsn(Opcodes.DSTORE, locals.allocate(sums.get(j), 2));
        }
        finishReduce(mv, kernel, outerNodes, roots, locals);
    }

    /** The batch sums among the batch-level nodes, in their order. */
    static List<BatchSum> batchSums(List<Node> outerNodes) {
        List<BatchSum> sums = new ArrayList<>();
        for (Node node : outerNodes) {
            if (node instanceof BatchSum sum) {
                sums.add(sum);
            }
        }
        return sums;
    }

    static List<Expr> summandsOf(List<BatchSum> sums) {
        List<Expr> summands = new ArrayList<>(sums.size());
        for (BatchSum sum : sums) {
            summands.add(sum.summand());
        }
        return summands;
    }

    /** Once every sum is in its local: the batch size, the batch-level nodes, and the results. */
    static void finishReduce(MethodVisitor mv, Kernel kernel, List<Node> outerNodes, List<Expr> roots, Locals locals) {
        for (Node node : outerNodes) {
            if (node instanceof BatchSize) {
                mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
                mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
                mv.visitInsn(Opcodes.ISUB);
                mv.visitInsn(Opcodes.I2D);
                mv.visitVarInsn(Opcodes.DSTORE, locals.allocate(node, 2));
            }
        }
        computeAll(mv, outerNodes, locals, Set.of());
        returnResults(mv, kernel == Kernel.TOTAL_LOSS, Kernel.BATCH_OUT, roots, access(locals));
    }

    /** One loop over the batch computing every summand and adding it to accumulator lane i mod unroll. */
    private static void emitFusedReduceLoops(MethodVisitor mv, Locals locals, Map<Variable, Integer> columns,
                                             List<Node> perExample, Set<Node> selectWithoutJumps, List<Expr> summands,
                                             int[][] accumulators, int unroll) {
        int i = locals.allocate(null, 1);
        CountedLoop.emit(mv, locals, i, Kernel.FROM, Kernel.TO, unroll, (m, offset, lane) -> accumulateOneExample(m,
                columns, i, offset, perExample, selectWithoutJumps, locals, summands, accumulators, lane));
    }

    /**
     * A sum over no examples is 0, whatever was factored out of it: without this, {@code c·Σg} with
     * c = NaN would give NaN for an empty batch where route (a) gives 0.
     */
    static void emitEmptyBatchIsZero(MethodVisitor mv, Kernel kernel) {
        Label nonEmpty = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitJumpInsn(Opcodes.IF_ICMPLT, nonEmpty);
        if (kernel == Kernel.TOTAL_LOSS) {
            mv.visitInsn(Opcodes.DCONST_0);
            mv.visitInsn(Opcodes.DRETURN);
        } else {
            mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
            mv.visitInsn(Opcodes.DCONST_0);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Arrays", "fill", "([DD)V", false);
            mv.visitInsn(Opcodes.RETURN);
        }
        mv.visitLabel(nonEmpty);
    }

    private static void accumulateOneExample(MethodVisitor mv, Map<Variable, Integer> columns, int indexSlot, int offset,
                                             List<Node> perExample, Set<Node> selectWithoutJumps, Locals locals,
                                             List<Expr> summands, int[][] accumulators, int lane) {
        ValueEmitter.OperandAccess operands = computeExample(mv, columns, indexSlot, offset, perExample,
                selectWithoutJumps, locals);
        for (int j = 0; j < summands.size(); j++) {
            accumulate(mv, accumulators[j][lane], operands, summands.get(j));
        }
    }

    /** {@code accumulator += value}. */
    static void accumulate(MethodVisitor mv, int accumulator, ValueEmitter.OperandAccess operands, Expr value) {
        mv.visitVarInsn(Opcodes.DLOAD, accumulator);
        operands.load(mv, value);
        mv.visitInsn(Opcodes.DADD);
        mv.visitVarInsn(Opcodes.DSTORE, accumulator);
    }

    /** Pushes {@code ((a0 + a1) + (a2 + a3))}: a fixed, documented order, the same on every JVM. */
    private static void combinePairwise(MethodVisitor mv, int[] accumulators, int from, int count) {
        if (count == 1) {
            mv.visitVarInsn(Opcodes.DLOAD, accumulators[from]);
            return;
        }
        int half = count / 2;
        combinePairwise(mv, accumulators, from, half);
        combinePairwise(mv, accumulators, from + half, count - half);
        mv.visitInsn(Opcodes.DADD);
    }
}
