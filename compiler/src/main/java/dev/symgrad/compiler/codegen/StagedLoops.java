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
import java.util.Collection;
import java.util.Collections;
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

    /** Stages of a sum are never split by output; see {@link #splitByOutput}. */
    static final int SPLIT_SUMS = Integer.MAX_VALUE;

    /** Stages of a map with more outputs than this get one loop per output. */
    static final int SPLIT_STORES = 1;

    /**
     * Examples per block: a multiple of 4 (the largest unroll), scratch arrays of 1 KB each. 128 rather
     * than 256: with shared scratch arrays, route (b) at N = 1,000 took 10.8-11.2 instead of 11.9 µs
     * for W3 (logistic regression over 8 features) and 60.5-61.6 instead of 62.6-65.4 µs for W4 (a
     * tanh network), and route (a) materialized 13.9-14.4 instead of 17.0-17.9 (± 7) µs for W3 (JMH
     * {@code -f 2 -wi 5 -i 5}, the two builds alternated twice, JDK 17).
     */
    static final int BLOCK = 128;

    /** Emits what one loop does with an output value: store it, or add it to an accumulator lane. */
    interface Output {
        void emit(MethodVisitor mv, int output, ValueEmitter.OperandAccess operands, int indexSlot, int offset,
                  int lane);
    }

    private StagedLoops() {
    }

    /**
     * True if a batch loop over {@code perExample} is staged: always for {@link CodeShape.Loops#STAGED},
     * never for {@link CodeShape.Loops#FUSED}, and by choice when some per-example node calls a function
     * that C2 cannot vectorize.
     */
    static boolean chosen(CodeShape.Loops loops, List<Node> perExample) {
        return switch (loops) {
            case STAGED -> true;
            case FUSED, CHUNKED -> false;
            case CHOSEN -> perExample.stream().anyMatch(StagedLoops::isCall);
        };
    }

    /** Calls that stay calls in C2's code; {@code sqrt}, {@code abs}, {@code max}, {@code min} are instructions. */
    static boolean isCall(Node node) {
        if (node instanceof Unary unary) {
            return unary.op() != UnaryOp.NEG && unary.op() != UnaryOp.SQRT && unary.op() != UnaryOp.ABS
                    && unary.op() != UnaryOp.STOP_GRADIENT;
        }
        return node instanceof Binary binary && (binary.op() == BinaryOp.POW || binary.op() == BinaryOp.HYPOT
                || binary.op() == BinaryOp.LOGADDEXP);
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
     * the {@code outputs}, each handed to {@code output} in the loop that computes it; a stage with more
     * than {@code splitAbove} outputs gets a loop per output. Invariants and column arrays must already be in
     * {@code locals} / {@code columns}; each loop loads the parameters it reads.
     */
    static void emit(MethodVisitor mv, InlineKernels.Locals locals, Map<Variable, Integer> columns, List<Node> perExample,
                     Set<Node> selectWithoutJumps, List<Expr> outputs, int unroll, int splitAbove, Output output) {
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
        List<List<Node>> nodesInStage = new ArrayList<>();
        List<List<Integer>> outputsInStage = new ArrayList<>();
        for (int stage = 0; stage < loopCount; stage++) {
            nodesInStage.add(new ArrayList<>());
            outputsInStage.add(new ArrayList<>());
        }
        for (Node node : perExample) {
            Integer stage = home.get(node);
            if (stage != null) {
                nodesInStage.get(stage).add(node);
            }
        }
        for (int k = 0; k < outputs.size(); k++) {
            outputsInStage.get(home.getOrDefault(outputs.get(k), 0)).add(k);
        }
        // Built from the last stage back: the values each stage's later stages read.
        List<List<Part>> partsOfStage = new ArrayList<>(Collections.nCopies(loopCount, null));
        Set<Node> usedByLaterStages = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int stage = loopCount - 1; stage >= 0; stage--) {
            partsOfStage.set(stage, splitByOutput(nodesInStage.get(stage), outputsInStage.get(stage), outputs,
                    splitAbove, usedByLaterStages));
            for (Node node : nodesInStage.get(stage)) {
                usedByLaterStages.addAll(valueOperands(node));
            }
        }
        List<Part> parts = new ArrayList<>();
        partsOfStage.forEach(parts::addAll);
        // From here on, a node's home is the part (loop) that computes it.
        home.clear();
        List<Set<Node>> usedIn = new ArrayList<>();
        for (int part = 0; part < parts.size(); part++) {
            for (Node node : parts.get(part).nodes()) {
                home.put(node, part);
            }
        }
        for (int part = 0; part < parts.size(); part++) {
            Set<Node> used = new LinkedHashSet<>();
            for (Node node : parts.get(part).nodes()) {
                used.addAll(valueOperands(node));
            }
            for (Node operand : used) {
                // A loop that read a value its block computes only in a later loop would read stale scratch.
                if (home.getOrDefault(operand, part) > part) {
                    throw new IllegalStateException("loop " + part + " reads a value computed in loop "
                            + home.get(operand));
                }
            }
            for (int k : parts.get(part).outputs()) {
                used.add(outputs.get(k));
            }
            usedIn.add(used);
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
        for (Map.Entry<Node, Node> array : scratchArrays(parts.size(), home, usedIn)) {
            Integer slot = scratch.get(array.getValue());
            if (slot == null) {
                mv.visitVarInsn(Opcodes.ILOAD, length);
                mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
                slot = locals.allocate(null, 1);
                mv.visitVarInsn(Opcodes.ASTORE, slot);
            }
            scratch.put(array.getKey(), slot);
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
        for (int loop = 0; loop < parts.size(); loop++) {
            Part part = parts.get(loop);
            // Each loop loads the parameters it reads, in every block, rather than the kernel once at its entry.
            // Loaded once, a weight is live from the kernel's entry to its end, across every loop, and competes
            // for registers with the accumulators that are live across every loop too: in W3's margin loop C2
            // kept nine column arrays and three weights on the stack and reloaded them for every example. (C2
            // does not hoist these loads out of the block loop: the scratch stores may alias params.) Columns
            // stay loaded once: loaded per block, their range checks stayed in the loops and W3 took 11.8 µs.
            // Route (b) of W3 at N = 1,000 (JMH, -f 2, JDK 17): 9.2 µs against 10.0 µs loaded once; the
            // hand-written reference, which reloads its weights per block, took 9.2-9.4 µs.
            InlineKernels.Locals loopLocals = locals.nested();
            InlineKernels.loadParameters(mv, usedIn.get(loop), loopLocals);
            Loop body = new Loop(loopLocals, columns, scratch, home, loop, part.nodes(), usedIn.get(loop), part.outputs(),
                    outputs, selectWithoutJumps, output, start, i);
            CountedLoop.emit(mv, locals, i, start, end, part.outputs().isEmpty() ? 1 : unroll, body::emitExample);
        }
        mv.visitVarInsn(Opcodes.ILOAD, end);
        mv.visitVarInsn(Opcodes.ISTORE, start);
        mv.visitJumpInsn(Opcodes.GOTO, blockTest);
        mv.visitLabel(done);
    }

    /**
     * For each value that crosses loops, in the order of the loop that computes it, the value whose scratch
     * array it takes: itself for a new array, or an earlier value read for the last time in or before that
     * loop.
     *
     * <p>Sharing is safe because a loop body loads every scratch value it reads, for one example,
     * before it stores any, and each example touches only its own element: a value read for the last
     * time in loop L may be overwritten by a value that loop L computes, in place. Why share: a staged
     * kernel allocates its arrays on every call, and logistic regression's two (the margin, then its
     * sigmoid) made route (b) at N = 1,000 allocate 4 KB per call against the hand-written loop's
     * 1 KB. In a JVM whose heap pages are not yet touched, each new page of that allocation costs a
     * page fault: JMH forks with {@code -Xms2g} ran 12.5 µs per call in warm-up and then 24 µs for
     * about 1.5 s, where the same forks with {@code -XX:+AlwaysPreTouch} stayed at 11.5 µs.
     */
    private static List<Map.Entry<Node, Node>> scratchArrays(int loopCount, Map<Node, Integer> home,
                                                             List<Set<Node>> usedIn) {
        Map<Node, Integer> lastRead = new IdentityHashMap<>();
        for (int loop = 0; loop < loopCount; loop++) {
            for (Node used : usedIn.get(loop)) {
                if (home.containsKey(used) && home.get(used) != loop) {
                    lastRead.put(used, loop);
                }
            }
        }
        List<List<Node>> computedIn = new ArrayList<>();
        List<List<Node>> lastReadIn = new ArrayList<>();
        for (int loop = 0; loop < loopCount; loop++) {
            computedIn.add(new ArrayList<>());
            lastReadIn.add(new ArrayList<>());
        }
        // Values in the order of the loops' node lists, so that the arrays are the same from run to run.
        for (int loop = 0; loop < loopCount; loop++) {
            for (Node used : usedIn.get(loop)) {
                if (lastRead.containsKey(used) && lastRead.get(used) == loop) {
                    lastReadIn.get(loop).add(used);
                    computedIn.get(home.get(used)).add(used);
                }
            }
        }
        Map<Node, Node> owner = new IdentityHashMap<>();
        List<Map.Entry<Node, Node>> arrays = new ArrayList<>();
        List<Node> free = new ArrayList<>();
        for (int loop = 0; loop < loopCount; loop++) {
            for (Node value : lastReadIn.get(loop)) {
                free.add(owner.get(value));
            }
            for (Node value : computedIn.get(loop)) {
                owner.put(value, free.isEmpty() ? value : free.remove(free.size() - 1));
                arrays.add(Map.entry(value, owner.get(value)));
            }
        }
        return arrays;
    }

    /** One loop over the block: the nodes it computes (in topological order) and the outputs it emits. */
    private record Part(List<Node> nodes, List<Integer> outputs) {
    }

    /**
     * A stage with several outputs becomes one loop for what the outputs share, then one loop per
     * output for what only that output needs. One loop per output touches only that output's columns:
     * with 31 gradient components, a loop writing all 31 output columns per example ran 10 times slower
     * than 31 loops writing one column each (108 against 10 ns per example, 256-example blocks), and
     * the sums keep 4 accumulators each instead of 4 times 31. Lane order is by example, so each sum is
     * unchanged. Sums are not split: for logistic regression with 9 parameters the split sums took 1.25
     * instead of 1.05 times the hand-written time at N = 1,000, and with 31 parameters the many loops
     * made C2 run out of nodes. Stores are: the 9-parameter loss's per-example gradients took 0.72
     * instead of 1.34 times the hand-written time at N = 1,000,000 (1.29 instead of 1.15 at N = 1,000).
     *
     * <p>The shared loop runs first, so it must hold everything it reads from this stage: what two or
     * more outputs need, and what later stages read ({@code usedByLaterStages}) together with all it is
     * computed from. Before that closure was taken, a value read by a later stage and computed from a
     * value only one output needed ran in the shared loop ahead of its operand and read the scratch
     * array before it was written (issue 13: per-example gradients wrong, their sum right).
     */
    private static List<Part> splitByOutput(List<Node> nodes, List<Integer> outputIndices, List<Expr> outputs,
                                            int splitAbove, Set<Node> usedByLaterStages) {
        if (outputIndices.size() <= splitAbove) {
            return nodes.isEmpty() && outputIndices.isEmpty() ? List.of() : List.of(new Part(nodes, outputIndices));
        }
        Set<Node> inStage = Collections.newSetFromMap(new IdentityHashMap<>());
        inStage.addAll(nodes);
        Map<Node, Integer> owners = new IdentityHashMap<>();
        List<Set<Node>> closures = new ArrayList<>();
        for (int k : outputIndices) {
            Set<Node> closure = closureInStage(List.of(outputs.get(k)), inStage);
            closure.forEach(node -> owners.merge(node, 1, Integer::sum));
            closures.add(closure);
        }
        Set<Node> neededLater = closureInStage(usedByLaterStages, inStage);
        List<Part> parts = new ArrayList<>();
        List<Node> shared = new ArrayList<>();
        for (Node node : nodes) {
            if (owners.getOrDefault(node, 0) != 1 || neededLater.contains(node)) {
                shared.add(node);
            }
        }
        if (!shared.isEmpty()) {
            parts.add(new Part(shared, List.of()));
        }
        for (int o = 0; o < outputIndices.size(); o++) {
            Set<Node> closure = closures.get(o);
            List<Node> own = new ArrayList<>();
            for (Node node : nodes) {
                if (closure.contains(node) && owners.get(node) == 1 && !neededLater.contains(node)) {
                    own.add(node);
                }
            }
            parts.add(new Part(own, List.of(outputIndices.get(o))));
        }
        return parts;
    }

    /** The nodes of {@code inStage} among {@code roots} and, transitively, their operands in the stage. */
    private static Set<Node> closureInStage(Collection<? extends Node> roots, Set<Node> inStage) {
        Set<Node> closure = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> pending = new ArrayList<>(roots);
        while (!pending.isEmpty()) {
            Node node = pending.remove(pending.size() - 1);
            if (inStage.contains(node) && closure.add(node)) {
                pending.addAll(valueOperands(node));
            }
        }
        return closure;
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
