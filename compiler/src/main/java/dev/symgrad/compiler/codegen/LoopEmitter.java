package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexComparison;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Tensor;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Emits indexed expressions as loops: a {@link Sum} becomes a counted loop adding its body onto its start
 * (a maximum, taking the larger of the two), a {@link Comprehension} is computed element by element into a
 * scratch array the first time it is read in a scope, and an {@link Element} reads a parameter, an input
 * or a scratch array at the row-major position of its indices. Every node is computed once per scope into
 * a local: before a loop opens, whatever in its body does not depend on the loop's index (or on an index
 * bound inside the body) is computed outside it, so that a loop-invariant product, sum or array is not
 * recomputed per iteration. The example of a batch kernel is one more index ({@link
 * IndexedAnalysis#EXAMPLE}): what depends only on the parameters is computed before the example loop.
 *
 * <p>Code size depends on the loss's structure, not on the extents of its indices. Recursion follows
 * the nesting of loops only; within a loop the DAG is walked in topological order.
 */
final class LoopEmitter {

    /** Where a batch kernel's inputs come from: one example's array, or the columns at example {@code i}. */
    record InputAccess(boolean columns, int arraySlot, int exampleSlot) {
    }

    private final MethodVisitor mv;
    private final IndexedAnalysis analysis;
    private final int paramsSlot;
    private final InputAccess inputs;
    private final Map<Comprehension, Integer> scratch;
    private final boolean jamSums;
    private final Map<Integer, Integer> rowOfExample = new HashMap<>();
    private final Map<Index, Integer> indexSlots = new IdentityHashMap<>();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private int nextSlot;
    private int nextLane;
    private int maxLanes;
    /** The examples' lanes while a block of examples is computed lane by lane (null otherwise). */
    private ExampleLanes lanes;
    /** The int local holding the current example's lane in its block, or -1 outside a block's examples. */
    private int exampleLane = -1;
    /** Local arrays computed for the block, as the current example's row ({@code double[]} locals). */
    private final Map<Comprehension, Integer> exampleRows = new IdentityHashMap<>();

    /** The nodes computed in one scope (the method body or one loop), in locals or scratch arrays. */
    private static final class Scope {
        final Set<Index> bound;
        final Index binds;
        final Integer shadowedSlot;
        final Map<Node, Integer> values = new IdentityHashMap<>();
        /** Values of a block of examples: a {@code double[]} of lanes, or a comprehension's rows of lanes. */
        final Map<Node, Integer> laneValues = new IdentityHashMap<>();
        final int firstSlot;
        final int firstLane;

        Scope(Set<Index> bound, Index binds, Integer shadowedSlot, int firstSlot, int firstLane) {
            this.bound = bound;
            this.binds = binds;
            this.shadowedSlot = shadowedSlot;
            this.firstSlot = firstSlot;
            this.firstLane = firstLane;
        }
    }

    /**
     * @param bound     the indices bound on entry (for a batch kernel inside its example loop, the example)
     * @param scratch   the local slot of each comprehension's scratch array, allocated by the caller
     * @param firstFree the first local slot this emitter may use
     * @param jamSums   whether comprehensions add the sums of {@link #JAM} consecutive elements together
     */
    LoopEmitter(MethodVisitor mv, IndexedAnalysis analysis, int paramsSlot, InputAccess inputs,
                Map<Comprehension, Integer> scratch, Set<Index> bound, int firstFree, boolean jamSums) {
        this.jamSums = jamSums;
        this.mv = mv;
        this.analysis = analysis;
        this.paramsSlot = paramsSlot;
        this.inputs = inputs;
        this.scratch = scratch;
        this.nextSlot = firstFree;
        scopes.push(new Scope(Set.copyOf(bound), null, null, firstFree, 0));
    }

    /** The next unused local slot (callers allocate their own locals above it between emissions). */
    int allocate(int size) {
        int slot = nextSlot;
        nextSlot += size;
        return slot;
    }

    /**
     * Opens a scope in which {@code index} is bound to the int local {@code slot}. The same index may be
     * bound again inside (differentiation sums a body over an index whose original sum occurs inside
     * it): the inner binding shadows the outer one until its scope closes.
     */
    void enter(Index index, int slot) {
        Set<Index> bound = new HashSet<>(scopes.peek().bound);
        bound.add(index);
        Integer shadowed = indexSlots.put(index, slot);
        scopes.push(new Scope(bound, index, shadowed, nextSlot, nextLane));
    }

    /** Opens a scope that binds no index: what is computed in it is forgotten when it closes. */
    void enterBlock() {
        scopes.push(new Scope(scopes.peek().bound, null, null, nextSlot, nextLane));
    }

    /**
     * Opens the scope of a block of examples computed lane by lane by {@code lanes}: the example counts
     * as bound (what depends on it is computed for every lane), and the values stay known to the
     * examples' own scopes inside it ({@link #enterExample}) until it closes.
     */
    void enterLanes(ExampleLanes lanes) {
        Set<Index> bound = new HashSet<>(scopes.peek().bound);
        bound.add(IndexedAnalysis.EXAMPLE);
        scopes.push(new Scope(bound, null, null, nextSlot, nextLane));
        this.lanes = lanes;
    }

    /** Ends the lane-by-lane computation of the block; its values stay known until its scope closes. */
    void endLanes() {
        lanes = null;
    }

    /** Binds the example to {@code exampleSlot}, whose values computed for the block are in lane {@code laneSlot}. */
    void enterExample(int exampleSlot, int laneSlot) {
        enter(IndexedAnalysis.EXAMPLE, exampleSlot);
        exampleLane = laneSlot;
    }

    /** Closes an example's scope opened by {@link #enterExample}. */
    void exitExample() {
        exampleLane = -1;
        exampleRows.clear();
        exit();
    }

    /** Reads the elements of {@code array}, computed for the block, from the current example's row in {@code rowSlot}. */
    void readExampleRow(Comprehension array, int rowSlot) {
        exampleRows.put(array, rowSlot);
    }

    /** The index into the block's pool of lane arrays for a new lane value, free again when its scope closes. */
    int allocateLane() {
        maxLanes = Math.max(maxLanes, nextLane + 1);
        return nextLane++;
    }

    /** How many lane arrays were live at once at most: the size of the pool. */
    int maxLanes() {
        return maxLanes;
    }

    /** Closes the innermost scope: its locals are free again, its values forgotten, its index unshadowed. */
    void exit() {
        Scope scope = scopes.pop();
        nextSlot = scope.firstSlot;
        nextLane = scope.firstLane;
        if (scope.binds == null) {
            return;
        }
        if (scope.shadowedSlot == null) {
            indexSlots.remove(scope.binds);
        } else {
            indexSlots.put(scope.binds, scope.shadowedSlot);
        }
    }

    /**
     * Computes everything under {@code roots} that does not depend on an index outside the current
     * scope: called before opening a loop, with the loop's body as root.
     */
    void hoist(List<? extends Node> roots, List<Index> about) {
        // The indices the coming loops bind are not bound yet, even where an outer loop binds them too.
        Set<Index> bound = new HashSet<>(scopes.peek().bound);
        bound.removeAll(about);
        List<Node> invariant = new ArrayList<>();
        for (Node node : Graph.topologicalOrder(roots,
                node -> isKnown(node) || analysis.isWithin(node, bound) && worthComputing(node))) {
            if (!isKnown(node) && analysis.isWithin(node, bound) && worthComputing(node)) {
                invariant.add(node);
            }
        }
        for (Node node : invariant) {
            if (isKnown(node)) {
                continue;
            }
            if (node instanceof Expr expr) {
                compute(expr);
            } else if (node instanceof Comprehension comprehension) {
                materialize(comprehension);
            }
        }
    }

    /** Values worth a local; comprehensions without a scratch array are written straight to an output. */
    private boolean worthComputing(Node node) {
        return node instanceof Comprehension ? scratch.containsKey(node)
                : node instanceof Expr && !(node instanceof Constant);
    }

    /**
     * Computes {@code expr} if needed and returns how to push it: code that computes (and may loop) is
     * emitted now, while the operand stack is empty, and only the push later.
     */
    Runnable prepare(Expr expr) {
        if (expr instanceof Constant constant) {
            return () -> Bytecode.pushDouble(mv, constant.value());
        }
        int slot = compute(expr);
        return () -> mv.visitVarInsn(Opcodes.DLOAD, slot);
    }

    /** Pushes the value of an operand already computed in an open scope (or a constant). */
    private void load(Expr expr) {
        if (expr instanceof Constant constant) {
            Bytecode.pushDouble(mv, constant.value());
            return;
        }
        Integer slot = find(expr);
        if (slot == null) {
            throw new IllegalStateException("operand not computed before use: " + expr.getClass().getSimpleName());
        }
        mv.visitVarInsn(Opcodes.DLOAD, slot);
    }

    /** Computes {@code root} and what it needs into locals; returns the local holding it. */
    private int compute(Expr root) {
        Integer known = find(root);
        if (known != null) {
            return known;
        }
        if (lanes != null && analysis.dependsOn(root, IndexedAnalysis.EXAMPLE)) {
            lanes.compute(root);
            return -1;
        }
        for (Node node : Graph.topologicalOrder(List.of(root), node -> isKnown(node) || node instanceof Sum
                || node instanceof Comprehension)) {
            if (find(node) != null || node instanceof Condition || node instanceof ArrayVariable) {
                continue;
            }
            if (findLane(node) != null) {
                if (node instanceof Expr expr) {
                    loadLane(expr);
                }
                continue;
            }
            if (node instanceof Comprehension comprehension) {
                materialize(comprehension);
            } else if (node instanceof Sum sum) {
                remember(node, emitSum(sum));
            } else if (!(node instanceof Constant)) {
                Expr expr = (Expr) node;
                emitValue(expr);
                int slot = allocate(2);
                mv.visitVarInsn(Opcodes.DSTORE, slot);
                remember(node, slot);
            }
        }
        return find(root);
    }

    private int emitSum(Sum sum) {
        Runnable start = prepare(sum.start());
        int accumulator = allocate(2);
        start.run();
        mv.visitVarInsn(Opcodes.DSTORE, accumulator);
        hoist(List.of(sum.body()), List.of(sum.index()));
        int j = allocate(1);
        loop(sum.index(), j, () -> {
            Runnable body = prepare(sum.body());
            // acc = acc + body (or max), in this operand order: the Java loop a += body computes a + body.
            mv.visitVarInsn(Opcodes.DLOAD, accumulator);
            body.run();
            combine(mv, sum);
            mv.visitVarInsn(Opcodes.DSTORE, accumulator);
        });
        return accumulator;
    }

    /** Combines the accumulator and the term on the stack as the reduction does: {@code +}, or {@code Math.max}. */
    static void combine(MethodVisitor mv, Sum reduction) {
        if (reduction.isMaximum()) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "max", "(DD)D", false);
        } else {
            mv.visitInsn(Opcodes.DADD);
        }
    }

    /** {@code for (j = 0; j < extent; j++) body} with {@code index} bound to {@code j} in a new scope. */
    void loop(Index index, int slot, Runnable body) {
        CountedLoop.fromZero(mv, slot, index.extent(), () -> {
            enter(index, slot);
            body.run();
            exit();
        });
    }

    /**
     * One example's value, computed for its block lane by lane: read from the example's lane into a
     * local of the current scope.
     */
    private void loadLane(Expr expr) {
        if (exampleLane < 0) {
            throw new IllegalStateException("a block's lane value read outside its examples");
        }
        mv.visitVarInsn(Opcodes.ALOAD, findLane(expr));
        mv.visitVarInsn(Opcodes.ILOAD, exampleLane);
        mv.visitInsn(Opcodes.DALOAD);
        int slot = allocate(2);
        mv.visitVarInsn(Opcodes.DSTORE, slot);
        remember(expr, slot);
    }

    /** Computes every element of {@code array} into its scratch array, once per scope. */
    void materialize(Comprehension array) {
        if (isKnown(array)) {
            return;
        }
        if (lanes != null && analysis.dependsOn(array, IndexedAnalysis.EXAMPLE)) {
            lanes.compute(array);
            return;
        }
        int target = scratch.get(array);
        writeElements(array, (position, column) -> {
            mv.visitVarInsn(Opcodes.ALOAD, target);
            mv.visitVarInsn(Opcodes.ILOAD, position);
        }, () -> mv.visitInsn(Opcodes.DASTORE));
        remember(array, target);
    }

    /** Where the elements of a comprehension go, row by row (a row: the innermost index's extent). */
    interface Destination {
        /** Emitted before each row's loop, with the int local holding the flat position of its first element. */
        default void startRow(int positionSlot) {
        }

        /**
         * Pushes what goes before an element's value (array and position), given the int locals of its
         * flat position and of the innermost index.
         */
        void push(int positionSlot, int columnSlot);
    }

    /**
     * A loop nest over the comprehension's indices, row-major, computing the body for each element:
     * {@code destination} pushes the target, then the value is pushed and {@code store} emitted.
     */
    void writeElements(Comprehension array, Destination destination, Runnable store) {
        int position = allocate(1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, position);
        hoist(List.of(array.body()), array.indices());
        writeDimension(array, 0, position, destination, store);
    }

    /**
     * A loop nest over the comprehension's indices, row-major, calling {@code element} with the int local
     * of each element's flat position in the scope that binds all its indices (what does not depend on
     * an inner index is hoisted out of its loop, as for {@link #writeElements}).
     */
    void forEachElement(Comprehension array, IntConsumer element) {
        int position = allocate(1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, position);
        hoist(List.of(array.body()), array.indices());
        forEachInDimension(array, 0, position, element);
    }

    private void forEachInDimension(Comprehension array, int dimension, int position,
                                    IntConsumer element) {
        Index index = array.indices().get(dimension);
        loop(index, allocate(1), () -> {
            if (dimension + 1 < array.indices().size()) {
                hoist(List.of(array.body()), array.indices().subList(dimension + 1, array.indices().size()));
                forEachInDimension(array, dimension + 1, position, element);
            } else {
                element.accept(position);
                mv.visitIincInsn(position, 1);
            }
        });
    }

    private void writeDimension(Comprehension array, int dimension, int position, Destination destination,
                                Runnable store) {
        Index index = array.indices().get(dimension);
        int slot = allocate(1);
        if (dimension + 1 < array.indices().size()) {
            loop(index, slot, () -> {
                hoist(List.of(array.body()), array.indices().subList(dimension + 1, array.indices().size()));
                writeDimension(array, dimension + 1, position, destination, store);
            });
            return;
        }
        destination.startRow(position);
        List<Sum> sums = jamSums ? jammableSums(array.body(), index) : List.of();
        if (sums.isEmpty() || index.extent() < JAM) {
            loop(index, slot, () -> writeElement(array, position, slot, destination, store));
            return;
        }
        writeJammed(array, index, slot, sums, position, destination, store);
        // The last extent % JAM elements one at a time, the index continuing where the jammed loop stopped.
        CountedLoop.whileBelow(mv, slot, () -> Bytecode.pushInt(mv, index.extent()), 1, () -> {
            enter(index, slot);
            writeElement(array, position, slot, destination, store);
            exit();
        });
    }

    /** One element: its value at the current binding of the innermost index, to the destination. */
    private void writeElement(Comprehension array, int position, int columnSlot, Destination destination,
                              Runnable store) {
        Runnable value = prepare(array.body());
        destination.push(position, columnSlot);
        value.run();
        store.run();
        mv.visitIincInsn(position, 1);
    }

    /**
     * How many consecutive elements of a comprehension's innermost index are computed together when its
     * body holds sums over another index: their sums are added in one loop, {@link #JAM} independent
     * chains of additions instead of one (a sum's additions wait for each other, four cycles apiece;
     * independent chains overlap). Each chain adds in its own sum's order, so the values are unchanged.
     * Route (b) of the 64→32→10 network went from 3.5 to 2.7 µs per example, of the 64→256→10 network
     * from 34.5 to 22.9 µs (JDK 17). Code size: the class of the 64→32→10 network grew from 19 to 28 KB.
     */
    static final int JAM = 4;

    /**
     * The sums of {@code body} (outside other sums) that depend on {@code index} and are worth jamming:
     * over another index, not bound already, and whose body repeats nothing costly per element of that
     * index (the jammed loop cannot hoist what depends on {@code index} alone out of the sum's loop, so
     * only reads may depend on it).
     */
    private List<Sum> jammableSums(Expr body, Index index) {
        List<Sum> sums = new ArrayList<>();
        for (Node node : Graph.topologicalOrder(List.of(body),
                node -> isKnown(node) || node instanceof Sum || node instanceof Comprehension)) {
            if (node instanceof Sum sum && !isKnown(sum) && analysis.dependsOn(sum, index) && sum.index() != index
                    && !scopes.peek().bound.contains(sum.index()) && repeatsOnlyReads(sum, index)) {
                sums.add(sum);
            }
        }
        return sums;
    }

    private boolean repeatsOnlyReads(Sum sum, Index index) {
        for (Node node : Graph.topologicalOrder(List.of(sum.body()))) {
            boolean perElementOnly = analysis.dependsOn(node, index) && !analysis.dependsOn(node, sum.index());
            if (perElementOnly && !(node instanceof Element element && element.array() instanceof ArrayVariable)
                    && !(node instanceof Variable) && !(node instanceof ArrayVariable) && !(node instanceof Condition)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code for (slot = 0; slot + JAM <= extent; slot += JAM)}: the jammed sums for the JAM elements
     * slot .. slot + JAM - 1, each in its own accumulator, then each element's value from them, in order.
     * Every element is computed in a scope of its own that binds the index to its local, so no value of
     * one element is taken for another's.
     */
    private void writeJammed(Comprehension array, Index index, int slot, List<Sum> sums, int position,
                             Destination destination, Runnable store) {
        int full = index.extent() - index.extent() % JAM;
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, slot);
        CountedLoop.whileBelow(mv, slot, () -> Bytecode.pushInt(mv, full), JAM, () -> {
            enterBlock();
            int[] elements = new int[JAM];
            for (int u = 0; u < JAM; u++) {
                elements[u] = allocate(1);
                mv.visitVarInsn(Opcodes.ILOAD, slot);
                Bytecode.pushInt(mv, u);
                mv.visitInsn(Opcodes.IADD);
                mv.visitVarInsn(Opcodes.ISTORE, elements[u]);
            }
            int[][] accumulators = jamSums(index, elements, sums);
            for (int u = 0; u < JAM; u++) {
                enterJammed(index, elements[u], sums, accumulators[u]);
                writeElement(array, position, elements[u], destination, store);
                exit();
            }
            exit();
        });
    }

    /**
     * Adds the sums for {@code elements.length} values of {@code index} (int locals) in one loop per sum,
     * one accumulator each, each in its own sum's order; returns the accumulators' double locals,
     * {@code [element][sum]}. Each element's terms are computed in a scope of their own that binds the
     * index to the element's local.
     */
    int[][] jamSums(Index index, int[] elements, List<Sum> sums) {
        int[][] accumulators = new int[elements.length][sums.size()];
        for (int k = 0; k < sums.size(); k++) {
            Sum sum = sums.get(k);
            for (int u = 0; u < elements.length; u++) {
                accumulators[u][k] = allocate(2);
                enter(index, elements[u]);
                prepare(sum.start()).run();
                mv.visitVarInsn(Opcodes.DSTORE, accumulators[u][k]);
                exit();
            }
            int k0 = k;
            loop(sum.index(), allocate(1), () -> {
                for (int u = 0; u < elements.length; u++) {
                    enter(index, elements[u]);
                    Runnable term = prepare(sum.body());
                    mv.visitVarInsn(Opcodes.DLOAD, accumulators[u][k0]);
                    term.run();
                    combine(mv, sum);
                    mv.visitVarInsn(Opcodes.DSTORE, accumulators[u][k0]);
                    exit();
                }
            });
        }
        return accumulators;
    }

    /** Binds {@code index} to {@code slot} in a new scope where the jammed sums' values are known. */
    void enterJammed(Index index, int slot, List<Sum> sums, int[] accumulators) {
        enter(index, slot);
        for (int k = 0; k < sums.size(); k++) {
            remember(sums.get(k), accumulators[k]);
        }
    }

    /**
     * The sums under {@code roots} computed once per example (the example is their only free index)
     * that are worth adding for several examples at once, as {@link #jammableSums} decides for a
     * comprehension's elements.
     */
    List<Sum> exampleSums(List<Node> roots) {
        List<Sum> sums = new ArrayList<>();
        if (!jamSums) {
            return sums;
        }
        Set<Index> exampleOnly = Set.of(IndexedAnalysis.EXAMPLE);
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Sum sum && !isKnown(sum) && analysis.isWithin(sum, exampleOnly)
                    && analysis.dependsOn(sum, IndexedAnalysis.EXAMPLE)
                    && repeatsOnlyReads(sum, IndexedAnalysis.EXAMPLE)) {
                sums.add(sum);
            }
        }
        return sums;
    }

    /**
     * Reads inputs for the example bound to {@code exampleSlot} from the row in {@code rowSlot}, where the
     * inputs come from rows (several examples' rows are live while their sums are jammed).
     */
    void readRowOf(int exampleSlot, int rowSlot) {
        rowOfExample.put(exampleSlot, rowSlot);
    }

    /** Forgets the rows of {@link #readRowOf}: their locals are about to be free again. */
    void forgetRows() {
        rowOfExample.clear();
    }

    private void emitValue(Expr node) {
        if (node instanceof Variable variable) {
            loadInput(variable.isParameter(), variable.index(), List.of(), null);
        } else if (node instanceof Element element) {
            emitElement(element);
        } else if (node instanceof Conditional conditional) {
            // Both branches are computed already (they are pure); the test picks one.
            emitConditional(conditional, (visitor, operand) -> load(operand));
        } else {
            ValueEmitter.emitOperation(mv, node, (visitor, operand) -> load(operand), false);
        }
    }

    private void emitElement(Element element) {
        Tensor array = element.array();
        if (array instanceof ArrayVariable variable) {
            loadInput(variable.isParameter(), variable.offset(), element.at(), variable);
            return;
        }
        Comprehension comprehension = (Comprehension) array;
        materialize(comprehension);
        if (findLane(comprehension) != null && find(comprehension) == null) {
            // Computed for the block: read from the example's own row (ExampleLanes.selectExample).
            Integer exampleRow = exampleRows.get(comprehension);
            if (exampleRow == null) {
                throw new IllegalStateException("a block's array read outside its examples");
            }
            mv.visitVarInsn(Opcodes.ALOAD, exampleRow);
            pushPosition(0, element.at(), array);
            mv.visitInsn(Opcodes.DALOAD);
            return;
        }
        mv.visitVarInsn(Opcodes.ALOAD, scratch.get(comprehension));
        pushPosition(0, element.at(), array);
        mv.visitInsn(Opcodes.DALOAD);
    }

    /** Pushes a parameter's or an input's element: {@code params[p]}, {@code example[p]} or {@code columns[p][i]}. */
    private void loadInput(boolean parameter, int offset, List<IndexTerm> at, Tensor array) {
        if (parameter) {
            mv.visitVarInsn(Opcodes.ALOAD, paramsSlot);
            pushPosition(offset, at, array);
            mv.visitInsn(Opcodes.DALOAD);
        } else if (inputs.columns()) {
            // The example's local: the kernel's, or one of several examples' whose sums are jammed.
            Integer example = indexSlots.get(IndexedAnalysis.EXAMPLE);
            mv.visitVarInsn(Opcodes.ALOAD, inputs.arraySlot());
            pushPosition(offset, at, array);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitVarInsn(Opcodes.ILOAD, example != null ? example : inputs.exampleSlot());
            mv.visitInsn(Opcodes.DALOAD);
        } else {
            Integer example = indexSlots.get(IndexedAnalysis.EXAMPLE);
            Integer row = example == null ? null : rowOfExample.get(example);
            mv.visitVarInsn(Opcodes.ALOAD, row != null ? row : inputs.arraySlot());
            pushPosition(offset, at, array);
            mv.visitInsn(Opcodes.DALOAD);
        }
    }

    /** Pushes {@code offset + Σ_d at_d · stride_d} as an int. */
    void pushPosition(int offset, List<IndexTerm> at, Tensor array) {
        int constant = offset;
        boolean pushed = false;
        for (int d = 0; d < at.size(); d++) {
            IndexTerm term = at.get(d);
            int stride = array.stride(d);
            if (term instanceof FixedIndex fixed) {
                constant += fixed.value() * stride;
                continue;
            }
            mv.visitVarInsn(Opcodes.ILOAD, slotOf((Index) term));
            if (stride != 1) {
                Bytecode.pushInt(mv, stride);
                mv.visitInsn(Opcodes.IMUL);
            }
            if (pushed) {
                mv.visitInsn(Opcodes.IADD);
            }
            pushed = true;
        }
        if (!pushed) {
            Bytecode.pushInt(mv, constant);
        } else if (constant != 0) {
            Bytecode.pushInt(mv, constant);
            mv.visitInsn(Opcodes.IADD);
        }
    }

    private int slotOf(Index index) {
        Integer slot = indexSlots.get(index);
        if (slot == null || !scopes.peek().bound.contains(index)) {
            throw new IllegalStateException("index " + index + " is used outside its loop");
        }
        return slot;
    }

    /**
     * {@code test ? ifTrue : ifFalse} as a jump, each operand pushed by {@code operands}: index comparisons
     * in the test read the loops' indices ({@link #branch}), which the scalar backend's conditional cannot.
     */
    void emitConditional(Conditional conditional, ValueEmitter.OperandAccess operands) {
        Label otherwise = new Label();
        Label end = new Label();
        branch(conditional.test(), otherwise, false, operands);
        operands.load(mv, conditional.ifTrue());
        mv.visitJumpInsn(Opcodes.GOTO, end);
        mv.visitLabel(otherwise);
        operands.load(mv, conditional.ifFalse());
        mv.visitLabel(end);
    }

    /** Jumps to {@code target} when the condition's value equals {@code jumpWhen}; NaN compares false. */
    void branch(Condition condition, Label target, boolean jumpWhen, ValueEmitter.OperandAccess operands) {
        if (condition instanceof IndexComparison comparison) {
            pushIndex(comparison.left());
            pushIndex(comparison.right());
            int opcode = comparison.lessThan()
                    ? (jumpWhen ? Opcodes.IF_ICMPLT : Opcodes.IF_ICMPGE)
                    : (jumpWhen ? Opcodes.IF_ICMPEQ : Opcodes.IF_ICMPNE);
            mv.visitJumpInsn(opcode, target);
        } else if (condition instanceof Not not) {
            branch(not.operand(), target, !jumpWhen, operands);
        } else if (condition instanceof Logical logical) {
            boolean isAnd = logical.op() == Logical.Operator.AND;
            if (isAnd != jumpWhen) {
                branch(logical.left(), target, jumpWhen, operands);
                branch(logical.right(), target, jumpWhen, operands);
            } else {
                Label skip = new Label();
                branch(logical.left(), skip, !jumpWhen, operands);
                branch(logical.right(), target, jumpWhen, operands);
                mv.visitLabel(skip);
            }
        } else {
            // Comparisons of doubles and constants: the scalar backend's instructions, operands from locals.
            ValueEmitter.emitBranch(mv, condition, target, jumpWhen, operands);
        }
    }

    private void pushIndex(IndexTerm term) {
        if (term instanceof FixedIndex fixed) {
            Bytecode.pushInt(mv, fixed.value());
        } else {
            mv.visitVarInsn(Opcodes.ILOAD, slotOf((Index) term));
        }
    }

    boolean isKnown(Node node) {
        return find(node) != null || findLane(node) != null;
    }

    /**
     * The local holding {@code node}'s lane values (a {@code double[]}, or a comprehension's
     * {@code double[][]} of rows) in the open scopes, found as {@link #find} finds values, except that
     * the scope of one example of the block does not hide them.
     */
    Integer findLane(Node node) {
        for (Scope scope : scopes) {
            Integer slot = scope.laneValues.get(node);
            if (slot != null) {
                return slot;
            }
            if (scope.binds != null && scope.binds != IndexedAnalysis.EXAMPLE && analysis.dependsOn(node, scope.binds)) {
                return null;
            }
        }
        return null;
    }

    /** Records lane values in the innermost scope. */
    void rememberLane(Node node, int slot) {
        scopes.peek().laneValues.put(node, slot);
    }

    /**
     * The local holding {@code node}'s value in the open scopes, innermost first. A value found outside
     * the scope that binds one of its indices was computed under another binding of that index (the
     * index is shadowed), so the search stops there.
     */
    private Integer find(Node node) {
        for (Scope scope : scopes) {
            Integer slot = scope.values.get(node);
            if (slot != null) {
                return slot;
            }
            if (scope.binds != null && analysis.dependsOn(node, scope.binds)) {
                return null;
            }
        }
        return null;
    }

    /** Records a value in the outermost open scope whose indices it depends on, so inner loops reuse it. */
    private void remember(Node node, int slot) {
        scopes.peek().values.put(node, slot);
    }

}
