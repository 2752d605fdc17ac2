package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernels of an {@link IndexedLossProgram}, as loops. Each batch kernel runs one loop over the
 * examples; inside it the loss and the gradient are computed by {@link LoopEmitter} (index loops stay
 * loops), and each gradient element goes where the kernel wants it as soon as it is computed: into a
 * block of examples' rows copied to {@code out[p][i..]} a column at a time (route (a) materialized,
 * {@link GradientBlock}), onto a sum per parameter (routes (a) summed and (b), and scaled by the clipping
 * factor for the fused clipped sum; {@link GradientSums}), or into one example's gradient {@code g[P]},
 * whose norm is taken where the structural one cannot be trusted. Inputs read in index loops come from
 * rows ({@link InputRows}); sums computed once per example are added for {@link LoopEmitter#JAM}
 * examples at a time.
 *
 * <p>Under {@link LoopSchedule#LANES}, a kernel whose examples compute local arrays first computes every
 * per-example value for a block of examples with the examples innermost ({@link ExampleLanes}), then
 * runs each example's own work with those values read from its lane; route (a) materialized writes the
 * block's lanes of each gradient element straight to its column.
 *
 * <p>Routes (a) summed and (b) are the same loop here. Sums over the examples use one accumulator per
 * gradient element, added in example order; under lanes, a vector parameter whose gradient reads an
 * input at its index ({@code Σ_i s_i·x_ij}) has its sums added feature-major over each block
 * ({@link ExampleLanes#addToSums}), still in example order.
 */
final class LoopKernels {

    /** Where the gradient's elements go. */
    interface Sink {
        /**
         * Emitted before the elements of one row of parameter {@code p}'s gradient (its innermost
         * index), with the int local holding the row's first position counted from the parameter's start.
         */
        default void startRow(int parameter, int rowPositionSlot) {
        }

        /**
         * Pushes what goes before an element's value, given the int locals of its flat position (from
         * the start of all parameters) and of its innermost index (-1 for a scalar parameter).
         */
        void before(int positionSlot, int columnSlot);

        void after();
    }

    private final IndexedLossProgram program;
    private final List<Node> roots;
    private boolean jamSums = true;
    private boolean lanes = true;
    /** The size of the pool of lane arrays the kernel being emitted allocates ({@link ExampleLanes}). */
    private int lanePool;
    /** Examples per block of the kernel being emitted, under lanes ({@link ExampleLanes#blockSize}). */
    private int blockSize = ExampleLanes.MIN_LANES;
    private final int maxBlockSize;

    LoopKernels(IndexedLossProgram program) {
        this(program, ExampleLanes.MAX_LANES);
    }

    /** Kernels whose blocks of examples take at most {@code maxBlockSize} (tests force several blocks). */
    LoopKernels(IndexedLossProgram program, int maxBlockSize) {
        this.maxBlockSize = maxBlockSize;
        this.program = program;
        List<Node> roots = new ArrayList<>();
        roots.add(program.loss());
        roots.addAll(program.gradient());
        this.roots = roots;
    }

    /** Emits {@code kernel} with the given schedule. */
    void emit(MethodVisitor mv, Kernel kernel, LoopSchedule schedule) {
        this.jamSums = schedule.jamSums;
        this.lanes = schedule.lanes;
        switch (kernel) {
            case LOSS -> emitLoss(mv);
            case GRADIENT -> emitGradient(mv);
            default -> {
                BatchPlan plan = plan(kernel);
                if (plan.lanes()) {
                    // The pool's size is known once the kernel is emitted: emit it once to count, then
                    // again if the block size chosen from it copies the inputs where they are read.
                    lanePool = 0;
                    blockSize = ExampleLanes.MIN_LANES;
                    lanePool = emitBatch(new MethodNode(Opcodes.ASM9, 0, "count", "()V", null, null), kernel, plan);
                    int chosen = kernel == Kernel.PER_EXAMPLE_GRADIENTS
                            ? Math.min(maxBlockSize, ExampleLanes.COLUMN_RUN_LANES)
                            : ExampleLanes.blockSize(lanePool, plan.laneArrays(), program.inputCount(), maxBlockSize);
                    int inputs = program.inputCount();
                    List<Comprehension> arrays = plan.laneArrays();
                    if (ExampleLanes.copiesInputsOnce(inputs, blockSize, arrays)
                            != ExampleLanes.copiesInputsOnce(inputs, chosen, arrays)) {
                        blockSize = chosen;
                        lanePool = emitBatch(new MethodNode(Opcodes.ASM9, 0, "count", "()V", null, null), kernel, plan);
                    }
                    blockSize = chosen;
                }
                emitBatch(mv, kernel, plan);
            }
        }
    }

    /**
     * The parameters whose route (b) sums are added feature-major under lanes ({@link #summedByLanes};
     * tests count them). Leaves the schedule at lanes; {@link #emit} sets it for each kernel.
     */
    Set<Integer> parametersSummedFeatureMajor() {
        lanes = true;
        return plan(Kernel.GRADIENT_OF_SUM).summedByLanes();
    }

    /** An emitter for one example's kernel (no example loop), its analysis made here. */
    private LoopEmitter emitter(MethodVisitor mv, int firstFree, List<Node> kernelRoots) {
        return emitter(mv, new LoopEmitter.InputAccess(false, Kernel.EXAMPLE, -1), Set.of(IndexedAnalysis.EXAMPLE),
                firstFree, kernelRoots, new IndexedAnalysis(kernelRoots));
    }

    private LoopEmitter emitter(MethodVisitor mv, LoopEmitter.InputAccess inputs, Set<Index> bound, int firstFree,
                                List<Node> kernelRoots, IndexedAnalysis analysis) {
        Map<Comprehension, Integer> scratch = new IdentityHashMap<>();
        int slot = firstFree;
        for (Comprehension array : readArrays(kernelRoots)) {
            Bytecode.pushInt(mv, array.size());
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
            mv.visitVarInsn(Opcodes.ASTORE, slot);
            scratch.put(array, slot++);
        }
        return new LoopEmitter(mv, analysis, Kernel.PARAMS, inputs, scratch, bound, slot, jamSums);
    }

    /**
     * True if an input array is read at a loop index somewhere under the roots, not counting what is
     * under the nodes of {@code computedForBlock} (computed for a block of examples lane by lane).
     */
    private static boolean readsInputsInLoops(List<Node> roots, Set<Node> computedForBlock) {
        for (Node node : Graph.topologicalOrder(roots, computedForBlock::contains)) {
            if (node instanceof Element element && element.array() instanceof ArrayVariable array
                    && !array.isParameter() && element.at().stream().anyMatch(term -> term instanceof Index)
                    && !computedForBlock.contains(node)) {
                return true;
            }
        }
        return false;
    }

    /** The comprehensions that are read element by element (the others are written straight to outputs). */
    private static List<Comprehension> readArrays(List<Node> roots) {
        List<Comprehension> read = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Element element && element.array() instanceof Comprehension array && seen.add(array)) {
                read.add(array);
            }
        }
        return read;
    }

    private void emitLoss(MethodVisitor mv) {
        LoopEmitter loops = emitter(mv, Kernel.LOSS.argumentSlots(), List.of(program.loss()));
        loops.prepare(program.loss()).run();
        mv.visitInsn(Opcodes.DRETURN);
    }

    private void emitGradient(MethodVisitor mv) {
        LoopEmitter loops = emitter(mv, Kernel.GRADIENT.argumentSlots(), program.gradient());
        writeGradient(mv, loops, arraySink(mv, Kernel.SINGLE_OUT));
        mv.visitInsn(Opcodes.RETURN);
    }

    /** {@code target[position] = value}, position counted from the flat start of the parameters. */
    private static Sink arraySink(MethodVisitor mv, int targetSlot) {
        return new Sink() {
            @Override
            public void before(int positionSlot, int columnSlot) {
                mv.visitVarInsn(Opcodes.ALOAD, targetSlot);
                mv.visitVarInsn(Opcodes.ILOAD, positionSlot);
            }

            @Override
            public void after() {
                mv.visitInsn(Opcodes.DASTORE);
            }
        };
    }

    /**
     * Computes every gradient element in flat order and hands it to the sink: a scalar parameter's at
     * its position, an array's in a loop nest over its comprehension. The position is an int local the
     * emitter counts up.
     */
    private void writeGradient(MethodVisitor mv, LoopEmitter loops, Sink sink) {
        writeGradient(mv, loops, sink, Set.of());
    }

    /** {@link #writeGradient(MethodVisitor, LoopEmitter, Sink)} for the parameters not in {@code skipped}. */
    private void writeGradient(MethodVisitor mv, LoopEmitter loops, Sink sink, Set<Integer> skipped) {
        int position = loops.allocate(1);
        for (int p = 0; p < program.parameters().size(); p++) {
            if (skipped.contains(p)) {
                continue;
            }
            Node block = program.gradient().get(p);
            int offset = program.offsetOf(p);
            if (block instanceof Comprehension array) {
                int local = loops.allocate(1);
                int parameter = p;
                loops.writeElements(array, new LoopEmitter.Destination() {
                    @Override
                    public void startRow(int positionSlot) {
                        sink.startRow(parameter, positionSlot);
                    }

                    @Override
                    public void push(int positionSlot, int columnSlot) {
                        mv.visitVarInsn(Opcodes.ILOAD, positionSlot);
                        Bytecode.pushInt(mv, offset);
                        mv.visitInsn(Opcodes.IADD);
                        mv.visitVarInsn(Opcodes.ISTORE, local);
                        sink.before(local, columnSlot);
                    }
                }, sink::after);
            } else {
                Runnable value = loops.prepare((Expr) block);
                Bytecode.pushInt(mv, offset);
                mv.visitVarInsn(Opcodes.ISTORE, position);
                sink.before(position, -1);
                value.run();
                sink.after();
            }
        }
    }

    /** What a batch kernel computes per example: the loss, or the gradient (and its squared norm). */
    private List<Node> kernelRoots(Kernel kernel) {
        List<Node> kernelRoots = new ArrayList<>(kernel == Kernel.PER_EXAMPLE_LOSSES || kernel == Kernel.TOTAL_LOSS
                ? List.of(program.loss()) : program.gradient());
        if (kernel == Kernel.CLIPPED_GRADIENT_SUM || kernel == Kernel.PER_EXAMPLE_GRADIENT_NORMS) {
            kernelRoots.add(program.squaredNorm());
        }
        return kernelRoots;
    }

    /**
     * The local arrays a block of examples computes lane by lane: those read somewhere that depend on the
     * example.
     */
    private static List<Comprehension> exampleArrays(List<Node> kernelRoots, IndexedAnalysis analysis) {
        List<Comprehension> arrays = new ArrayList<>();
        for (Comprehension array : readArrays(kernelRoots)) {
            if (analysis.dependsOn(array, IndexedAnalysis.EXAMPLE)) {
                arrays.add(array);
            }
        }
        return arrays;
    }

    /**
     * The array parameters whose batch sums a block adds feature-major ({@link ExampleLanes#addToSums}):
     * those whose gradient is one row (a vector parameter) that reads an input at its index, in a body
     * that a pass over the lanes can compute inline ({@link #inlinePerElement}). One example at a time,
     * such a gradient needs the example's row of inputs, gathered from as many columns, for one use; that
     * gather was most of the cost (logistic regression, d = 1,024, JDK 17: route (b) 1.85 times the
     * hand-written feature-major loop, 1.06 feature-major). A matrix parameter's gradient ({@code
     * ∂/∂V[m][j] = δ_m·x[j]}) uses the gathered row once per outer index, in a loop C2 vectorizes; added
     * feature-major (in order, so not vectorized) the 64→32→10 network's route (b) went from 1.2 to 1.7
     * times the best hand-written Java.
     */
    private Set<Integer> summedByLanes(IndexedAnalysis analysis, Map<Node, Integer> uses) {
        Set<Integer> summed = new TreeSet<>();
        for (int p = 0; p < program.parameters().size(); p++) {
            if (program.gradient().get(p) instanceof Comprehension gradient
                    && gradient.size() == gradient.indices().get(gradient.indices().size() - 1).extent()) {
                Index inner = gradient.indices().get(gradient.indices().size() - 1);
                if (readsInputAt(gradient.body(), inner) && inlinePerElement(gradient.body(), inner, analysis, uses)) {
                    summed.add(p);
                }
            }
        }
        return summed;
    }

    private static boolean readsInputAt(Expr body, Index index) {
        for (Node node : Graph.topologicalOrder(List.of(body))) {
            if (node instanceof Element element && element.array() instanceof ArrayVariable array
                    && !array.isParameter() && element.at().contains(index)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether everything in {@code body} that depends on both {@code index} and the example is an input
     * read, a read of a local array, or an operation used only there (computed inline per lane), so that
     * a pass over the lanes needs no lane array per element.
     */
    private static boolean inlinePerElement(Expr body, Index index, IndexedAnalysis analysis, Map<Node, Integer> uses) {
        // Operands of a condition are computed before the lane loop (ExampleLanes.leaves): only reads there.
        Deque<Node> pending = new ArrayDeque<>();
        Set<Node> inCondition = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.push(body);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (node instanceof Condition) {
                for (Node child : node.children()) {
                    inCondition.add(child);
                    pending.push(child);
                }
                continue;
            }
            if (!analysis.dependsOn(node, index) || !analysis.dependsOn(node, IndexedAnalysis.EXAMPLE)) {
                continue;
            }
            boolean operation = node instanceof Unary || node instanceof Binary || node instanceof Conditional;
            if (operation && !inCondition.contains(node) && (node == body || uses.getOrDefault(node, 0) == 1)) {
                node.children().forEach(pending::push);
            } else if (!(node instanceof Variable) && !(node instanceof Element element
                    && (element.array() instanceof ArrayVariable || !analysis.dependsOn(element.array(), index)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a batch kernel computes and how, worked out once for both of its emissions: its roots and their
     * analysis; whether a block of examples computes its per-example values lane by lane
     * ({@link ExampleLanes}), its local arrays ({@link #exampleArrays}), what it computes lane by lane
     * ({@link #laneRoots}) and the operands' use counts; the parameters whose sums it adds feature-major
     * ({@link #summedByLanes}); whether each example reads rows of inputs ({@link InputRows}).
     *
     * <p>Lanes apply where each example computes local arrays (a layer reads every input once per unit,
     * from the block's copy), or where batch sums are added feature-major. A loss whose per-example values
     * are a few sums reading each input once, in a kernel without such sums (the logistic loss's fused
     * clipped sum), is faster one example at a time with its sums jammed: it reads each column once, where
     * lanes copy the block's inputs first.
     */
    private record BatchPlan(List<Node> kernelRoots, IndexedAnalysis analysis, boolean lanes,
                             List<Comprehension> laneArrays, List<Node> laneRoots, Map<Node, Integer> uses,
                             Set<Integer> summedByLanes, boolean readsInputRows) {
    }

    private BatchPlan plan(Kernel kernel) {
        List<Node> kernelRoots = kernelRoots(kernel);
        IndexedAnalysis analysis = new IndexedAnalysis(kernelRoots);
        if (lanes) {
            List<Comprehension> arrays = exampleArrays(kernelRoots, analysis);
            Map<Node, Integer> uses = Graph.useCounts(kernelRoots);
            Set<Integer> summed = kernel == Kernel.GRADIENT_OF_SUM || kernel == Kernel.SUM_OF_PER_EXAMPLE_GRADIENTS
                    ? summedByLanes(analysis, uses) : Set.of();
            if (ExampleLanes.fits(arrays) && !(arrays.isEmpty() && summed.isEmpty())) {
                List<Node> laneRoots = laneRoots(kernelRoots, analysis, uses);
                Set<Node> computedForBlock = Collections.newSetFromMap(new IdentityHashMap<>());
                computedForBlock.addAll(laneRoots);
                List<Node> exampleRoots = new ArrayList<>(kernelRoots);
                for (int p : summed) {
                    exampleRoots.removeIf(root -> root == program.gradient().get(p));
                }
                return new BatchPlan(kernelRoots, analysis, true, arrays, laneRoots, uses, summed,
                        kernel != Kernel.PER_EXAMPLE_GRADIENTS && readsInputsInLoops(exampleRoots, computedForBlock));
            }
        }
        return new BatchPlan(kernelRoots, analysis, false, List.of(), List.of(), Map.of(), Set.of(),
                readsInputsInLoops(kernelRoots, Set.of()));
    }

    /** Emits a batch kernel; returns how many lane arrays it needs at once. */
    private int emitBatch(MethodVisitor mv, Kernel kernel, BatchPlan plan) {
        int parameters = program.parameterCount();
        List<Node> kernelRoots = plan.kernelRoots();
        int i = kernel.argumentSlots();
        // Inputs read inside index loops are read from one row per example (InputRows).
        int row = plan.readsInputRows() ? i + 1 : -1;
        LoopEmitter.InputAccess inputs = row >= 0 ? new LoopEmitter.InputAccess(false, row, -1)
                : new LoopEmitter.InputAccess(true, Kernel.COLUMNS, i);
        InputRows inputRows = row >= 0 ? InputRows.allocate(mv, row + 1, row, program.inputCount()) : null;
        LoopEmitter loops = emitter(mv, inputs, Set.of(), row >= 0 ? row + 2 : i + 1, kernelRoots, plan.analysis());
        // Per-kernel locals, above the emitter's scratch arrays.
        int total = -1;
        GradientSums sums = null;
        int example = -1;
        switch (kernel) {
            case TOTAL_LOSS -> {
                total = loops.allocate(2);
                mv.visitInsn(Opcodes.DCONST_0);
                mv.visitVarInsn(Opcodes.DSTORE, total);
            }
            case SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM, CLIPPED_GRADIENT_SUM -> sums = GradientSums.allocate(mv,
                    loops, program, kernel == Kernel.CLIPPED_GRADIENT_SUM ? parameters + 1 : parameters);
            default -> {
            }
        }
        ExampleLanes exampleLanes = !plan.lanes() ? null : ExampleLanes.allocate(mv, loops,
                plan.analysis(), plan.uses(), blockSize, lanePool, program.inputCount(), plan.laneArrays());
        if (kernel == Kernel.PER_EXAMPLE_GRADIENT_NORMS) {
            example = loops.allocate(1);
            Bytecode.pushInt(mv, parameters);
            mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
            mv.visitVarInsn(Opcodes.ASTORE, example);
        }
        // With lanes, route (a) materialized writes each element's lanes straight to its column.
        GradientBlock rows = kernel == Kernel.PER_EXAMPLE_GRADIENTS && exampleLanes == null
                ? GradientBlock.allocate(mv, loops, parameters)
                : null;
        // What depends only on the parameters is computed once, before the example loop.
        List<Node> bodies = new ArrayList<>();
        List<Index> outputIndices = new ArrayList<>();
        for (Node root : kernelRoots) {
            if (root instanceof Comprehension block) {
                bodies.add(block.body());
                outputIndices.addAll(block.indices());
            } else {
                bodies.add(root);
            }
        }
        loops.hoist(bodies, outputIndices);
        BatchLocals locals = new BatchLocals(total, sums, example, rows);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, i);
        if (exampleLanes != null) {
            emitLaneBlocks(mv, kernel, loops, i, inputRows, exampleLanes, plan, locals);
        } else {
            List<Sum> exampleSums = loops.exampleSums(kernelRoots);
            if (!exampleSums.isEmpty() && (inputRows == null || inputRows.holdsJammedExamples())) {
                emitJammedExamples(mv, kernel, loops, i, inputRows, exampleSums, locals);
            }
            // One example at a time: all of them, or those after the last full group of jammed ones.
            CountedLoop.whileBelow(mv, i, () -> mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO), 1, () -> {
                loops.enter(IndexedAnalysis.EXAMPLE, i);
                if (inputRows != null) {
                    inputRows.selectRow(mv, loops, i);
                }
                emitExample(mv, kernel, loops, i, locals);
                loops.exit();
            });
        }
        switch (kernel) {
            case TOTAL_LOSS -> {
                mv.visitVarInsn(Opcodes.DLOAD, total);
                mv.visitInsn(Opcodes.DRETURN);
                return loops.maxLanes();
            }
            case SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM, CLIPPED_GRADIENT_SUM -> sums.store(mv, loops, Kernel.BATCH_OUT);
            default -> {
            }
        }
        mv.visitInsn(Opcodes.RETURN);
        return loops.maxLanes();
    }

    /**
     * What a block of examples computes lane by lane: the sums, local arrays and operations whose only
     * free index is the example, except operations used once by another of them (those are computed
     * inside its lane loop). In topological order.
     */
    private static List<Node> laneRoots(List<Node> kernelRoots, IndexedAnalysis analysis, Map<Node, Integer> uses) {
        Set<Index> exampleOnly = Set.of(IndexedAnalysis.EXAMPLE);
        Set<Comprehension> read = Collections.newSetFromMap(new IdentityHashMap<>());
        read.addAll(readArrays(kernelRoots));
        List<Node> candidates = new ArrayList<>();
        Set<Node> isCandidate = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : Graph.topologicalOrder(kernelRoots)) {
            boolean perExample = analysis.dependsOn(node, IndexedAnalysis.EXAMPLE) && analysis.isWithin(node, exampleOnly);
            boolean computed = node instanceof Comprehension array ? read.contains(array)
                    : node instanceof Expr && !(node instanceof Element) && !(node instanceof Variable);
            if (perExample && computed) {
                candidates.add(node);
                isCandidate.add(node);
            }
        }
        Map<Node, Integer> usedByCandidates = new IdentityHashMap<>();
        for (Node node : candidates) {
            for (Node child : node.children()) {
                if (isCandidate.contains(child)) {
                    usedByCandidates.merge(child, 1, Integer::sum);
                }
            }
        }
        List<Node> laneRoots = new ArrayList<>();
        for (Node node : candidates) {
            boolean inlined = !(node instanceof Sum) && !(node instanceof Comprehension) && uses.getOrDefault(node, 0) == 1
                    && usedByCandidates.getOrDefault(node, 0) == 1;
            if (!inlined) {
                laneRoots.add(node);
            }
        }
        return laneRoots;
    }

    /**
     * Route (a) materialized for a block: every gradient element computed for the block's lanes and
     * copied to {@code out[p][i .. i + count)}, a column of the {@code [P][N]} result written in one
     * piece (where one example at a time puts each of its P values in a different array).
     */
    private void writeGradientColumns(LoopEmitter loops, ExampleLanes exampleLanes) {
        for (int p = 0; p < program.parameters().size(); p++) {
            Node block = program.gradient().get(p);
            int offset = program.offsetOf(p);
            if (block instanceof Comprehension array) {
                loops.forEachElement(array, position -> exampleLanes.writeColumn(array.body(), offset, position));
            } else {
                exampleLanes.writeColumn((Expr) block, offset, -1);
            }
        }
    }

    /**
     * {@code for (; i < to; i += lanes)}: the block's per-example values lane by lane
     * ({@link ExampleLanes}), then each example's own work in order (its gradient's elements, added in
     * example order), with those values read from its lane.
     */
    private void emitLaneBlocks(MethodVisitor mv, Kernel kernel, LoopEmitter loops, int i, InputRows inputRows,
                                ExampleLanes exampleLanes, BatchPlan plan, BatchLocals locals) {
        int lanes = exampleLanes.blockSize();
        CountedLoop.whileBelow(mv, i, () -> mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO), lanes, () -> {
            loops.enterLanes(exampleLanes);
            int count = loops.allocate(1);
            mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
            mv.visitVarInsn(Opcodes.ILOAD, i);
            mv.visitInsn(Opcodes.ISUB);
            Bytecode.pushInt(mv, lanes);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
            mv.visitVarInsn(Opcodes.ISTORE, count);
            exampleLanes.startBlock(i, count);
            for (Node node : plan.laneRoots()) {
                exampleLanes.compute(node);
            }
            for (int p : plan.summedByLanes()) {
                exampleLanes.addToSums((Comprehension) program.gradient().get(p), locals.sums().rowsSlot(p));
            }
            if (kernel == Kernel.PER_EXAMPLE_GRADIENTS) {
                writeGradientColumns(loops, exampleLanes);
                loops.endLanes();
                loops.exit();
                return;
            }
            exampleLanes.transpose();
            loops.endLanes();
            int lane = loops.allocate(1);
            int example = loops.allocate(1);
            CountedLoop.fromZeroBelow(mv, lane, count, () -> {
                mv.visitVarInsn(Opcodes.ILOAD, i);
                mv.visitVarInsn(Opcodes.ILOAD, lane);
                mv.visitInsn(Opcodes.IADD);
                mv.visitVarInsn(Opcodes.ISTORE, example);
                loops.enterExample(example, lane);
                exampleLanes.selectExample(lane);
                if (inputRows != null) {
                    inputRows.selectRow(mv, loops, example);
                }
                emitExample(mv, kernel, loops, example, locals, plan.summedByLanes());
                loops.exitExample();
            });
            loops.exit();
        });
    }

    /** A batch kernel's own locals (-1 or null where the kernel has none). */
    private record BatchLocals(int total, GradientSums sums, int example, GradientBlock rows) {
    }

    /**
     * {@code for (; i + JAM <= to; i += JAM)}: the sums computed once per example ({@code t = b + Σ_j
     * w_j·z_j} of a logistic loss) for JAM consecutive examples in one loop per sum, kept in a small
     * array, then each example's work in order, in a loop over the JAM examples, with its sums read from
     * there (the example's code is emitted once: four copies of it took the networks' kernels past the
     * size where sums in arrays are jammed). An example's sum is one chain of additions, four cycles
     * apiece; JAM examples' chains overlap. Each adds in its own order, so every value is the same as one
     * example at a time. Examples are jammed from the start of the slice, which is where the input rows'
     * blocks start too ({@link InputRows#holdsJammedExamples}).
     */
    private void emitJammedExamples(MethodVisitor mv, Kernel kernel, LoopEmitter loops, int i, InputRows inputRows,
                                    List<Sum> exampleSums, BatchLocals locals) {
        int count = exampleSums.size();
        int jammed = loops.allocate(1);
        Bytecode.pushInt(mv, LoopEmitter.JAM * count);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_DOUBLE);
        mv.visitVarInsn(Opcodes.ASTORE, jammed);
        // while (i < to - (JAM - 1)), that is while examples i .. i + JAM - 1 are in the slice
        CountedLoop.whileBelow(mv, i, () -> {
            mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
            Bytecode.pushInt(mv, LoopEmitter.JAM - 1);
            mv.visitInsn(Opcodes.ISUB);
        }, LoopEmitter.JAM, () -> {
            loops.enterBlock();
            int[] examples = new int[LoopEmitter.JAM];
            for (int u = 0; u < examples.length; u++) {
                examples[u] = loops.allocate(1);
                mv.visitVarInsn(Opcodes.ILOAD, i);
                Bytecode.pushInt(mv, u);
                mv.visitInsn(Opcodes.IADD);
                mv.visitVarInsn(Opcodes.ISTORE, examples[u]);
                if (inputRows != null) {
                    int row = loops.allocate(1);
                    inputRows.selectRow(mv, loops, examples[u], row);
                    loops.readRowOf(examples[u], row);
                }
            }
            int[][] accumulators = loops.jamSums(IndexedAnalysis.EXAMPLE, examples, exampleSums);
            for (int u = 0; u < examples.length; u++) {
                for (int k = 0; k < count; k++) {
                    mv.visitVarInsn(Opcodes.ALOAD, jammed);
                    Bytecode.pushInt(mv, u * count + k);
                    mv.visitVarInsn(Opcodes.DLOAD, accumulators[u][k]);
                    mv.visitInsn(Opcodes.DASTORE);
                }
            }
            loops.forgetRows();
            loops.exit();
            // for (lane = 0; lane < JAM; lane++): example i + lane, its sums from jammed[lane·count ..].
            loops.enterBlock();
            int lane = loops.allocate(1);
            int example = loops.allocate(1);
            CountedLoop.fromZero(mv, lane, LoopEmitter.JAM, () -> {
                mv.visitVarInsn(Opcodes.ILOAD, i);
                mv.visitVarInsn(Opcodes.ILOAD, lane);
                mv.visitInsn(Opcodes.IADD);
                mv.visitVarInsn(Opcodes.ISTORE, example);
                int[] values = new int[count];
                for (int k = 0; k < count; k++) {
                    values[k] = loops.allocate(2);
                    mv.visitVarInsn(Opcodes.ALOAD, jammed);
                    mv.visitVarInsn(Opcodes.ILOAD, lane);
                    Bytecode.pushInt(mv, count);
                    mv.visitInsn(Opcodes.IMUL);
                    Bytecode.pushInt(mv, k);
                    mv.visitInsn(Opcodes.IADD);
                    mv.visitInsn(Opcodes.DALOAD);
                    mv.visitVarInsn(Opcodes.DSTORE, values[k]);
                }
                if (inputRows != null) {
                    inputRows.pointAtRow(mv, loops, example);
                }
                loops.enterJammed(IndexedAnalysis.EXAMPLE, example, exampleSums, values);
                emitExample(mv, kernel, loops, example, locals);
                loops.exit();
            });
            loops.exit();
        });
    }

    /** One example's work in a batch kernel, with the example bound to the int local {@code i}. */
    private void emitExample(MethodVisitor mv, Kernel kernel, LoopEmitter loops, int i, BatchLocals locals) {
        emitExample(mv, kernel, loops, i, locals, Set.of());
    }

    /** {@link #emitExample(MethodVisitor, Kernel, LoopEmitter, int, BatchLocals)}, without the sums of {@code summedByLanes}. */
    private void emitExample(MethodVisitor mv, Kernel kernel, LoopEmitter loops, int i, BatchLocals locals,
                             Set<Integer> summedByLanes) {
        int parameters = program.parameterCount();
        switch (kernel) {
            case PER_EXAMPLE_LOSSES -> {
                Runnable loss = loops.prepare(program.loss());
                mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
                mv.visitVarInsn(Opcodes.ILOAD, i);
                loss.run();
                mv.visitInsn(Opcodes.DASTORE);
            }
            case TOTAL_LOSS -> {
                Runnable loss = loops.prepare(program.loss());
                mv.visitVarInsn(Opcodes.DLOAD, locals.total());
                loss.run();
                mv.visitInsn(Opcodes.DADD);
                mv.visitVarInsn(Opcodes.DSTORE, locals.total());
            }
            case PER_EXAMPLE_GRADIENTS -> {
                locals.rows().startRow(mv, i, parameters);
                writeGradient(mv, loops, locals.rows().sink(mv));
                locals.rows().flushWhenFull(mv, loops, i, parameters);
            }
            case SUM_OF_PER_EXAMPLE_GRADIENTS, GRADIENT_OF_SUM ->
                    writeGradient(mv, loops, locals.sums().sink(mv, -1), summedByLanes);
            case CLIPPED_GRADIENT_SUM -> {
                // The norm from the gradient's structure (GhostNorms), then each entry scaled into the sums.
                int factor = ExampleGradientTail.clipFactor(mv, loops, loops.prepare(program.squaredNorm()),
                        locals.sums().flatSlot(), parameters);
                writeGradient(mv, loops, locals.sums().sink(mv, factor));
            }
            case PER_EXAMPLE_GRADIENT_NORMS -> {
                // sqrt of the structural squared norm where it is a normal finite number; otherwise the
                // gradient is formed and its norm taken with scaling, without overflow or underflow.
                Label direct = new Label();
                Label done = new Label();
                ExampleGradientTail.storeNormWhereSafe(mv, loops, loops.prepare(program.squaredNorm()), i, direct);
                mv.visitJumpInsn(Opcodes.GOTO, done);
                mv.visitLabel(direct);
                writeGradient(mv, loops, arraySink(mv, locals.example()));
                ExampleGradientTail.norm(mv, loops, locals.example(), parameters, i);
                mv.visitLabel(done);
            }
            default -> throw new IllegalStateException("not a batch kernel: " + kernel);
        }
    }
}
