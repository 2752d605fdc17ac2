package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loop fission at calls: the per-example work of a batch loop that calls {@code Math.exp},
 * {@code log}, {@code tanh} and the like, split into several loops over blocks of {@link #BLOCK}
 * examples, with the values that cross from one loop to a later one kept in small scratch arrays.
 *
 * <p>Why: C2 never vectorizes these calls, and every call clobbers all floating-point registers, so in
 * a fused loop every live accumulator, weight and intermediate is spilled and reloaded around each
 * call. Split, the arithmetic before the calls is a call-free map that C2 vectorizes, the call loops
 * have almost nothing live, and the arithmetic after them (including the accumulations) is call-free
 * again. The hand-written reference for logistic regression gained 31 → 20-24 ns per example this
 * way. Blocks keep the scratch arrays in L1 and the inputs in cache when a later loop reloads them.
 *
 * <p>Loop order: arithmetic at call depth 0, then the calls of depth 1, the arithmetic of depth 1,
 * the calls of depth 2, and so on, where a node's call depth is the number of calls on its longest
 * path from the inputs. Sums keep exactly the lanes and order of the fused loop: {@link #BLOCK} is a
 * multiple of every unroll factor, so example i still goes to lane (i - from) mod unroll and only the
 * last few examples of the batch to lane 0.
 */
final class StagedLoops {

    /** Set to {@code false} to keep every batch loop fused; only for measuring what fission gains. */
    static final String PROPERTY = "symgrad.loopFission";

    /** Examples per block: a multiple of 4 (the largest unroll), scratch arrays of 2 KB each. */
    static final int BLOCK = 256;

    /** Emits what one loop does with an output value: store it, or add it to an accumulator lane. */
    interface Output {
        void emit(MethodVisitor mv, int output, ValueEmitter.OperandAccess operands, int indexSlot, int offset,
                  int lane);
    }

    private StagedLoops() {
    }

    /** True if some per-example node calls a function that C2 cannot vectorize. */
    static boolean worthSplitting(List<Node> perExample) {
        if ("false".equals(System.getProperty(PROPERTY))) {
            return false;
        }
        return perExample.stream().anyMatch(StagedLoops::isCall);
    }

    /** Calls that stay calls in C2's code; {@code sqrt}, {@code abs}, {@code max}, {@code min} are instructions. */
    static boolean isCall(Node node) {
        if (node instanceof Unary unary) {
            return unary.op() != UnaryOp.NEG && unary.op() != UnaryOp.SQRT && unary.op() != UnaryOp.ABS;
        }
        return node instanceof Binary binary && (binary.op() == BinaryOp.POW || binary.op() == BinaryOp.HYPOT);
    }

    /** The value operands of a node, looking through conditions to the values they compare. */
    private static List<Expr> valueOperands(Node node) {
        List<Expr> operands = new ArrayList<>();
        List<Node> pending = new ArrayList<>(node.children());
        while (!pending.isEmpty()) {
            Node child = pending.remove(pending.size() - 1);
            if (child instanceof Condition) {
                pending.addAll(child.children());
            } else {
                operands.add((Expr) child);
            }
        }
        return operands;
    }

    /**
     * Emits the block loop for the per-example nodes {@code perExample} (topologically ordered) and
     * the {@code outputs}, each handed to {@code output} in the loop that computes it. Parameters,
     * invariants and column arrays must already be in {@code locals} / {@code columns}.
     */
    static void emit(MethodVisitor mv, InlineKernels.Locals locals, Map<Variable, Integer> columns, List<Node> perExample,
                     Set<Node> selectWithoutJumps, List<Expr> outputs, int unroll, Output output) {
        Map<Node, Integer> home = new IdentityHashMap<>();
        Map<Node, Integer> depth = new IdentityHashMap<>();
        int loopCount = 1;
        for (Node node : perExample) {
            if (node instanceof Condition || node instanceof Variable) {
                continue; // conditions are emitted inside their conditional; inputs are loaded where used
            }
            int d = 0;
            for (Expr operand : valueOperands(node)) {
                d = Math.max(d, depth.getOrDefault(operand, 0));
            }
            boolean call = isCall(node);
            d += call ? 1 : 0;
            depth.put(node, d);
            home.put(node, call ? 2 * d - 1 : 2 * d);
            loopCount = Math.max(loopCount, home.get(node) + 1);
        }
        List<List<Node>> nodesIn = new ArrayList<>();
        List<Set<Node>> usedIn = new ArrayList<>();
        List<List<Integer>> outputsIn = new ArrayList<>();
        for (int loop = 0; loop < loopCount; loop++) {
            nodesIn.add(new ArrayList<>());
            usedIn.add(new LinkedHashSet<>());
            outputsIn.add(new ArrayList<>());
        }
        for (Node node : perExample) {
            Integer loop = home.get(node);
            if (loop != null) {
                nodesIn.get(loop).add(node);
                usedIn.get(loop).addAll(valueOperands(node));
            }
        }
        for (int k = 0; k < outputs.size(); k++) {
            int loop = home.getOrDefault(outputs.get(k), 0);
            outputsIn.get(loop).add(k);
            usedIn.get(loop).add(outputs.get(k));
        }
        // A value computed in one loop and used in a later one lives in a scratch array.
        Map<Node, Integer> scratch = new IdentityHashMap<>();
        int length = locals.allocate(null, 1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, BLOCK);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(Opcodes.ISTORE, length);
        for (int loop = 0; loop < loopCount; loop++) {
            for (Node used : usedIn.get(loop)) {
                if (home.containsKey(used) && home.get(used) != loop && !scratch.containsKey(used)) {
                    mv.visitVarInsn(Opcodes.ILOAD, length);
                    mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
                    int slot = locals.allocate(null, 1);
                    mv.visitVarInsn(Opcodes.ASTORE, slot);
                    scratch.put(used, slot);
                }
            }
        }

        int start = locals.allocate(null, 1);
        int end = locals.allocate(null, 1);
        int i = locals.allocate(null, 1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, start);
        Label blockTest = new Label();
        Label done = new Label();
        mv.visitLabel(blockTest);
        mv.visitVarInsn(Opcodes.ILOAD, start);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, done);
        // end = start + min(BLOCK, to - start), without overflow near Integer.MAX_VALUE.
        mv.visitVarInsn(Opcodes.ILOAD, start);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitVarInsn(Opcodes.ILOAD, start);
        mv.visitInsn(Opcodes.ISUB);
        Bytecode.pushInt(mv, BLOCK);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ISTORE, end);
        for (int loop = 0; loop < loopCount; loop++) {
            if (nodesIn.get(loop).isEmpty() && outputsIn.get(loop).isEmpty()) {
                continue;
            }
            Loop body = new Loop(locals, columns, scratch, home, loop, nodesIn.get(loop), usedIn.get(loop),
                    outputsIn.get(loop), outputs, selectWithoutJumps, output, start, i);
            int loopUnroll = outputsIn.get(loop).isEmpty() ? 1 : unroll;
            emitCountedLoop(mv, locals, i, start, end, loopUnroll, body);
        }
        mv.visitVarInsn(Opcodes.ILOAD, end);
        mv.visitVarInsn(Opcodes.ISTORE, start);
        mv.visitJumpInsn(Opcodes.GOTO, blockTest);
        mv.visitLabel(done);
    }

    /** {@code for (i = start; i < end; i += unroll)} over lanes, then the remaining examples in lane 0. */
    private static void emitCountedLoop(MethodVisitor mv, InlineKernels.Locals locals, int i, int start, int end,
                                        int unroll, Loop body) {
        mv.visitVarInsn(Opcodes.ILOAD, start);
        mv.visitVarInsn(Opcodes.ISTORE, i);
        if (unroll > 1) {
            int limit = locals.allocate(null, 1);
            mv.visitVarInsn(Opcodes.ILOAD, end);
            Bytecode.pushInt(mv, unroll - 1);
            mv.visitInsn(Opcodes.ISUB);
            mv.visitVarInsn(Opcodes.ISTORE, limit);
            Label test = new Label();
            Label exit = new Label();
            mv.visitLabel(test);
            mv.visitVarInsn(Opcodes.ILOAD, i);
            mv.visitVarInsn(Opcodes.ILOAD, limit);
            mv.visitJumpInsn(Opcodes.IF_ICMPGE, exit);
            for (int lane = 0; lane < unroll; lane++) {
                body.emitExample(mv, lane, lane);
            }
            mv.visitIincInsn(i, unroll);
            mv.visitJumpInsn(Opcodes.GOTO, test);
            mv.visitLabel(exit);
        }
        Label test = new Label();
        Label exit = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(Opcodes.ILOAD, i);
        mv.visitVarInsn(Opcodes.ILOAD, end);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, exit);
        body.emitExample(mv, 0, 0);
        mv.visitIincInsn(i, 1);
        mv.visitJumpInsn(Opcodes.GOTO, test);
        mv.visitLabel(exit);
    }

    /** The body of one of the loops, for one example. */
    private record Loop(InlineKernels.Locals locals, Map<Variable, Integer> columns, Map<Node, Integer> scratch,
                        Map<Node, Integer> home, int loop, List<Node> nodes, Set<Node> used,
                        List<Integer> outputIndices, List<Expr> outputs, Set<Node> selectWithoutJumps, Output output,
                        int start, int i) {

        void emitExample(MethodVisitor mv, int offset, int lane) {
            InlineKernels.Locals example = locals.nested();
            for (Node value : used) {
                if (value instanceof Variable v && !v.isParameter()) {
                    mv.visitVarInsn(Opcodes.ALOAD, columns.get(v));
                    pushIndex(mv, false, offset);
                    mv.visitInsn(Opcodes.DALOAD);
                    mv.visitVarInsn(Opcodes.DSTORE, example.allocate(v, 2));
                } else if (scratch.containsKey(value) && home.get(value) != loop) {
                    mv.visitVarInsn(Opcodes.ALOAD, scratch.get(value));
                    pushIndex(mv, true, offset);
                    mv.visitInsn(Opcodes.DALOAD);
                    mv.visitVarInsn(Opcodes.DSTORE, example.allocate(value, 2));
                }
            }
            InlineKernels.computeAll(mv, nodes, example, selectWithoutJumps);
            ValueEmitter.OperandAccess operands = InlineKernels.access(example);
            for (Node node : nodes) {
                if (scratch.containsKey(node)) {
                    mv.visitVarInsn(Opcodes.ALOAD, scratch.get(node));
                    pushIndex(mv, true, offset);
                    operands.load(mv, (Expr) node);
                    mv.visitInsn(Opcodes.DASTORE);
                }
            }
            for (int k : outputIndices) {
                output.emit(mv, k, operands, i, offset, lane);
            }
        }

        /** Pushes {@code i + offset}, or {@code i - start + offset} for a scratch array. */
        private void pushIndex(MethodVisitor mv, boolean inBlock, int offset) {
            mv.visitVarInsn(Opcodes.ILOAD, i);
            if (inBlock) {
                mv.visitVarInsn(Opcodes.ILOAD, start);
                mv.visitInsn(Opcodes.ISUB);
            }
            if (offset != 0) {
                Bytecode.pushInt(mv, offset);
                mv.visitInsn(Opcodes.IADD);
            }
        }
    }
}
