package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Computes what a batch kernel needs once per example for a block of examples at a time (from
 * {@link #MIN_LANES} to {@link #MAX_LANES}, {@link #blockSize}), with the examples innermost: every
 * per-example value is a {@code double[lanes]}, every local array a
 * row of lanes per element ({@code rows[position][lane]}), and every operation a loop over the lanes,
 * which C2 vectorizes. A layer {@code h[m] = Σ_j V[m][j]·x[j]} becomes {@code for m, for j: h[m][b] +=
 * V[m][j]·x[j][b]} for all lanes b: a matrix product over the block, as a person writes it by hand.
 *
 * <p>Values are unchanged bit for bit: each lane computes its example's operations in the same order,
 * and a sum adds its terms in its loop's order (four terms per pass over the lanes where its body is
 * only reads and arithmetic, {@code ((acc + t_j) + t_{j+1}) + ...}, so that each pass loads and stores
 * the accumulators once for four terms).
 *
 * <p>Every array a lane loop touches is read and written at the lane itself, never at an offset: C2
 * (JDK 17 and 25) does not vectorize {@code acc[b] += v * column[base + b]} (0.42 against 0.17 ns per
 * element at offset zero, measured). So the block's inputs are copied from their columns first, one
 * {@code System.arraycopy} per column.
 */
final class ExampleLanes {

    /**
     * Fewest examples per block: C2's vector loop handles 64 doubles per pass, so a block is two passes
     * (blocks of 32 spent their time in the scalar pre- and post-loops).
     */
    static final int MIN_LANES = 128;

    /**
     * Most examples per block. Longer blocks read each input column in longer runs: a logistic loss over
     * 1,024 features (one lane array per value, the batch sums added feature-major) took 0.48 ns per
     * input for its sum and 0.47 for its gradient in blocks of 128, 0.31 and 0.29 in blocks of 1,024, against
     * 0.26 and 0.40 for the hand-written loops over whole columns (a throwaway probe, 1,000 examples, JDK 17).
     */
    static final int MAX_LANES = 1024;

    /**
     * The doubles a block's lane arrays and local arrays may take (32 KB, within the 48 KB level-1 data
     * cache of the machine measured on): each operation of the block passes over them again. Route (b) of
     * a logistic loss over 32 features (6 lane arrays): 21.1 µs per 1,000 examples in blocks of 256, 21.9
     * in blocks of 512 (24 KB), 26.3 in blocks of 1,024 (48 KB; JDK 17, throwaway timing loop).
     */
    static final int LANE_STATE_DOUBLES = 1 << 12;

    /**
     * From this many inputs, the column runs matter more than the level-1 cache: blocks take up to
     * {@link #WIDE_LANE_STATE_DOUBLES}. Logistic loss route (b), blocks of 512 against 1,024: 764 against 724
     * µs at 1,024 features, 1,643 against 1,510 at 2,048, 167 against 148 ms at 100,000 (same loop).
     */
    static final int WIDE_INPUTS = 1024;

    /**
     * Examples per block of route (a) materialized, which writes each gradient element's lanes to its
     * column of the {@code [P][N]} result: longer runs write faster, longer blocks compute from more
     * memory. JMH {@code DigitsModelBenchmark.perExampleGradients}, JDK 17, ns per example, blocks of 128 /
     * 256 / 512 / 1,024: W6 572 / 626 / 1,148 ± 1,611 / 973 ± 1,355; W7 3,119 / 2,709 / 2,959 / 3,458; W8
     * 46,110 / 39,688 / 38,558 / 46,251.
     */
    static final int COLUMN_RUN_LANES = 256;

    /** What a block's lane arrays and local arrays may take where the inputs are wide (256 KB). */
    static final int WIDE_LANE_STATE_DOUBLES = 1 << 15;

    /** Most doubles the block's local arrays take at {@link #MIN_LANES} (16 MB); past that, no lanes. */
    static final int MAX_DOUBLES = 1 << 21;

    /**
     * Most doubles of the block's copy of its inputs (512 KB, within the 1 MB level-2 cache of the machine
     * measured on); wider inputs are copied where they are read, a row of lanes at a time.
     */
    static final int MAX_INPUT_DOUBLES = 1 << 16;

    /** Terms of a sum added per pass over the lanes. */
    static final int UNROLL = 4;

    /**
     * Elements of a batch sum added per pass over the lanes ({@link #addToSums}): eight chains of additions
     * against four took 0.43 against 0.47 ns per term in blocks of 128, the same in blocks of 1,024
     * (throwaway probe, JDK 17).
     */
    static final int REDUCED = 8;

    private final MethodVisitor mv;
    private final LoopEmitter loops;
    private final IndexedAnalysis analysis;
    private final Map<Node, Integer> uses;
    private final int poolSlot;
    private final int inputsSlot;
    private final int inputCount;
    /** The block's local arrays, in a fixed order (identity maps iterate in an order that varies by run). */
    private final List<Comprehension> arrays;
    private final Map<Comprehension, Integer> rows;
    private final Map<Comprehension, Integer> exampleRows;
    /** Examples per block. */
    private final int lanes;
    private int baseSlot = -1;
    private int countSlot = -1;

    private ExampleLanes(MethodVisitor mv, LoopEmitter loops, IndexedAnalysis analysis, Map<Node, Integer> uses,
                         int lanes, int poolSlot, int inputsSlot, int inputCount, List<Comprehension> arrays,
                         Map<Comprehension, Integer> rows, Map<Comprehension, Integer> exampleRows) {
        this.arrays = List.copyOf(arrays);
        this.lanes = lanes;
        this.mv = mv;
        this.loops = loops;
        this.analysis = analysis;
        this.uses = uses;
        this.poolSlot = poolSlot;
        this.inputsSlot = inputsSlot;
        this.inputCount = inputCount;
        this.rows = rows;
        this.exampleRows = exampleRows;
    }

    /** Whether a block's local arrays, as rows of lanes and as rows per example, fit in {@link #MAX_DOUBLES}. */
    static boolean fits(List<Comprehension> arrays) {
        return rowsPerExample(0, arrays) * MIN_LANES <= MAX_DOUBLES;
    }

    /**
     * Examples per block: the most, up to {@code maxLanes}, for which a pool of {@code pool} lane arrays
     * and the block's local arrays (as rows of lanes and as rows per example) take at most
     * {@link #LANE_STATE_DOUBLES}, or {@link #WIDE_LANE_STATE_DOUBLES} with {@link #WIDE_INPUTS} inputs or
     * more; never fewer than {@link #MIN_LANES}.
     */
    static int blockSize(int pool, List<Comprehension> arrays, int inputs, int maxLanes) {
        long rows = rowsPerExample(pool, arrays);
        long budget = inputs >= WIDE_INPUTS ? WIDE_LANE_STATE_DOUBLES : LANE_STATE_DOUBLES;
        int lanes = Math.max(MIN_LANES, maxLanes);
        while (lanes > MIN_LANES && rows * lanes > budget) {
            lanes /= 2;
        }
        return lanes;
    }

    private static long rowsPerExample(int pool, List<Comprehension> arrays) {
        long rows = pool;
        for (Comprehension array : arrays) {
            rows += 2L * array.size();
        }
        return rows;
    }

    /**
     * Whether a block of {@code lanes} examples copies all of its {@code inputs} once, at its start: where
     * it computes local arrays (a layer reads each input once per unit) and the copy takes at most
     * {@link #MAX_INPUT_DOUBLES}. Otherwise each input is copied where it is read, which is cheaper where
     * it is read once per block (sums over the inputs computed once per example): route (b) of a logistic
     * loss over 32 features, 1,000 examples, took 28.0 µs in blocks of 128 and 54.2 in blocks of 1,024
     * with the block's inputs copied once (34 and 270 KB), 21.6 and 26.4 copied where read (JDK 17,
     * throwaway timing loop).
     */
    static boolean copiesInputsOnce(int inputs, int lanes, List<Comprehension> arrays) {
        return !arrays.isEmpty() && (long) inputs * lanes <= MAX_INPUT_DOUBLES;
    }

    /** Examples per block. */
    int blockSize() {
        return lanes;
    }

    /**
     * Allocates a pool of {@code pool} lane arrays, the block's copy of the {@code inputs} input columns
     * (where it takes at most {@link #MAX_INPUT_DOUBLES}; wider inputs are copied where they are read) and rows
     * of lanes for each of {@code arrays} (the local arrays that depend on the example).
     */
    static ExampleLanes allocate(MethodVisitor mv, LoopEmitter loops, IndexedAnalysis analysis, Map<Node, Integer> uses,
                                 int lanes, int pool, int inputs, List<Comprehension> arrays) {
        int poolSlot = newRows(mv, loops, pool, lanes);
        int inputsSlot = copiesInputsOnce(inputs, lanes, arrays) ? newRows(mv, loops, inputs, lanes) : -1;
        Map<Comprehension, Integer> rows = new IdentityHashMap<>();
        Map<Comprehension, Integer> exampleRows = new IdentityHashMap<>();
        for (Comprehension array : arrays) {
            rows.put(array, newRows(mv, loops, array.size(), lanes));
            exampleRows.put(array, newRows(mv, loops, lanes, array.size()));
        }
        return new ExampleLanes(mv, loops, analysis, uses, lanes, poolSlot, inputsSlot, inputs, arrays, rows,
                exampleRows);
    }

    /** {@code new double[count][length]} into a new local. */
    private static int newRows(MethodVisitor mv, LoopEmitter loops, int count, int length) {
        int slot = loops.allocate(1);
        Bytecode.pushInt(mv, count);
        Bytecode.pushInt(mv, length);
        mv.visitMultiANewArrayInsn("[[D", 2);
        mv.visitVarInsn(Opcodes.ASTORE, slot);
        return slot;
    }

    /**
     * Starts a block of the {@code count} examples from {@code base} (int locals): copies their inputs
     * from the columns, {@code inputs[c][0 .. count) = columns[c][base .. base + count)}.
     */
    void startBlock(int baseSlot, int countSlot) {
        this.baseSlot = baseSlot;
        this.countSlot = countSlot;
        if (inputsSlot < 0) {
            return;
        }
        int c = loops.allocate(1);
        CountedLoop.fromZero(mv, c, inputCount, () -> copyColumn(() -> mv.visitVarInsn(Opcodes.ILOAD, c), () -> {
            mv.visitVarInsn(Opcodes.ALOAD, inputsSlot);
            mv.visitVarInsn(Opcodes.ILOAD, c);
            mv.visitInsn(Opcodes.AALOAD);
        }));
    }

    /**
     * {@code System.arraycopy(columns[column], base, lanes, 0, count)}: the block's lanes of one input, the
     * column's index and the target {@code double[]} pushed by the callbacks.
     */
    private void copyColumn(Runnable pushColumn, Runnable pushLanes) {
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.COLUMNS);
        pushColumn.run();
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ILOAD, baseSlot);
        pushLanes.run();
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ILOAD, countSlot);
        Bytecode.arraycopy(mv);
    }

    /**
     * Computes {@code node} (which depends on the example) for every lane of the block, with what it
     * needs: an expression into a lane array, a comprehension into its rows. Reads of inputs and of
     * computed rows are left to the loops that use them.
     */
    void compute(Node node) {
        if (loops.isKnown(node)) {
            return;
        }
        if (node instanceof Comprehension array) {
            materialize(array);
        } else if (node instanceof Expr expr && !isRead(expr)) {
            int lanes = newLaneArray();
            write(expr, lanes);
            loops.rememberLane(expr, lanes);
        }
    }

    /**
     * After the block's values: each local array computed for it, also as one row per example
     * ({@code exampleRows[b][position]}). An example's own work reads an array's elements across a row
     * of its gradient ({@code ∂/∂W[k][m] = h[m]·δ[k]} over m): from the rows of lanes that is one array
     * per element, which C2 cannot vectorize; from the example's row it is a contiguous loop.
     */
    void transpose() {
        for (Comprehension array : arrays) {
            Integer lanes = loops.findLane(array);
            if (lanes == null) {
                continue;
            }
            int target = exampleRows.get(array);
            int position = loops.allocate(1);
            int row = loops.allocate(1);
            CountedLoop.fromZero(mv, position, array.size(), () -> {
                mv.visitVarInsn(Opcodes.ALOAD, lanes);
                mv.visitVarInsn(Opcodes.ILOAD, position);
                mv.visitInsn(Opcodes.AALOAD);
                mv.visitVarInsn(Opcodes.ASTORE, row);
                laneLoop(b -> {
                    mv.visitVarInsn(Opcodes.ALOAD, target);
                    mv.visitVarInsn(Opcodes.ILOAD, b);
                    mv.visitInsn(Opcodes.AALOAD);
                    mv.visitVarInsn(Opcodes.ILOAD, position);
                    loadLane(row, b);
                    mv.visitInsn(Opcodes.DASTORE);
                });
            });
        }
    }

    /** Points the example in lane {@code laneSlot} at its rows of the block's local arrays ({@link #transpose}). */
    void selectExample(int laneSlot) {
        for (Comprehension array : arrays) {
            if (loops.findLane(array) == null) {
                continue;
            }
            int row = loops.allocate(1);
            mv.visitVarInsn(Opcodes.ALOAD, exampleRows.get(array));
            mv.visitVarInsn(Opcodes.ILOAD, laneSlot);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitVarInsn(Opcodes.ASTORE, row);
            loops.readExampleRow(array, row);
        }
    }

    /**
     * {@code value} for the block's lanes, copied to {@code out[offset + position][base .. base + count)}
     * (route (a) materialized; {@code positionSlot} -1 for a scalar parameter's column).
     */
    void writeColumn(Expr value, int offset, int positionSlot) {
        int lanes = newLaneArray();
        write(value, lanes);
        mv.visitVarInsn(Opcodes.ALOAD, lanes);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.BATCH_OUT);
        Bytecode.pushInt(mv, offset);
        if (positionSlot >= 0) {
            mv.visitVarInsn(Opcodes.ILOAD, positionSlot);
            mv.visitInsn(Opcodes.IADD);
        }
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ILOAD, baseSlot);
        mv.visitVarInsn(Opcodes.ILOAD, countSlot);
        Bytecode.arraycopy(mv);
    }

    /**
     * Adds the block's terms of an array parameter's batch sums feature-major: for each element of
     * {@code gradient}, {@code sums[row][j] += body(j, b)} for the block's lanes b in order, so each
     * element's sum still adds its examples in example order, bit for bit as one example at a time.
     * {@link #REDUCED} consecutive elements share a pass over the lanes (that many independent chains of
     * additions; one chain waits four cycles per addition). Inputs the body reads at its index are read
     * from their columns: this pass is not vectorized (its additions are in order), so nothing is gained
     * by copying them first. This is how a loss that reads a wide input once per example (a logistic
     * regression over d features) takes its gradient without gathering each example's row of d inputs
     * from d columns. {@code rowsSlot} holds the parameter's sums as rows ({@link GradientSums}).
     */
    void addToSums(Comprehension gradient, int rowsSlot) {
        List<Index> indices = gradient.indices();
        int rowCounter = loops.allocate(1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, rowCounter);
        loops.hoist(List.of(gradient.body()), indices);
        addRows(gradient, 0, rowsSlot, rowCounter);
    }

    /** The loops over the outer indices from {@code dimension}, then each row's elements. */
    private void addRows(Comprehension gradient, int dimension, int rowsSlot, int rowCounter) {
        List<Index> indices = gradient.indices();
        if (dimension + 1 < indices.size()) {
            loops.loop(indices.get(dimension), loops.allocate(1), () -> {
                loops.hoist(List.of(gradient.body()), indices.subList(dimension + 1, indices.size()));
                addRows(gradient, dimension + 1, rowsSlot, rowCounter);
            });
            return;
        }
        Index index = indices.get(dimension);
        int row = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ALOAD, rowsSlot);
        mv.visitVarInsn(Opcodes.ILOAD, rowCounter);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, row);
        int j = loops.allocate(1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, j);
        int full = index.extent() - index.extent() % REDUCED;
        if (full > 0) {
            CountedLoop.whileBelow(mv, j, () -> Bytecode.pushInt(mv, full), REDUCED,
                    () -> addElements(gradient.body(), index, j, REDUCED, row));
        }
        CountedLoop.whileBelow(mv, j, () -> Bytecode.pushInt(mv, index.extent()), 1,
                () -> addElements(gradient.body(), index, j, 1, row));
        mv.visitIincInsn(rowCounter, 1);
    }

    /**
     * One pass over the lanes adding {@code count} consecutive elements' terms: {@code acc_u = row[j + u];
     * for b: acc_u += body(j + u, b); row[j + u] = acc_u}.
     */
    private void addElements(Expr body, Index index, int j, int count, int row) {
        loops.enterBlock();
        int[] elements = consecutive(j, count);
        List<Map<Node, IntConsumer>> terms = bindTerms(body, index, elements, true);
        int[] accumulators = new int[count];
        for (int u = 0; u < count; u++) {
            accumulators[u] = loops.allocate(2);
            mv.visitVarInsn(Opcodes.ALOAD, row);
            mv.visitVarInsn(Opcodes.ILOAD, elements[u]);
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitVarInsn(Opcodes.DSTORE, accumulators[u]);
        }
        laneLoop(b -> {
            for (int u = 0; u < count; u++) {
                mv.visitVarInsn(Opcodes.DLOAD, accumulators[u]);
                emitTerm(body, index, elements[u], terms.get(u), b);
                mv.visitInsn(Opcodes.DADD);
                mv.visitVarInsn(Opcodes.DSTORE, accumulators[u]);
            }
        });
        for (int u = 0; u < count; u++) {
            mv.visitVarInsn(Opcodes.ALOAD, row);
            mv.visitVarInsn(Opcodes.ILOAD, elements[u]);
            mv.visitVarInsn(Opcodes.DLOAD, accumulators[u]);
            mv.visitInsn(Opcodes.DASTORE);
        }
        loops.exit();
    }

    private int newLaneArray() {
        int index = loops.allocateLane();
        int slot = loops.allocate(1);
        mv.visitVarInsn(Opcodes.ALOAD, poolSlot);
        Bytecode.pushInt(mv, index);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, slot);
        return slot;
    }

    /** Every element of {@code array} into its rows: {@code rows[position][b]} for each lane b. */
    private void materialize(Comprehension array) {
        int target = rows.get(array);
        loops.forEachElement(array, position -> {
            int row = loops.allocate(1);
            mv.visitVarInsn(Opcodes.ALOAD, target);
            mv.visitVarInsn(Opcodes.ILOAD, position);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitVarInsn(Opcodes.ASTORE, row);
            write(array.body(), row);
        });
        loops.rememberLane(array, target);
    }

    /** {@code target[b] = root} for every lane b ({@code target} a {@code double[]} local). */
    private void write(Expr root, int target) {
        if (root instanceof Sum sum && !loops.isKnown(sum)) {
            accumulate(sum, target);
            return;
        }
        Set<Node> tree = inlineTree(root);
        Map<Node, IntConsumer> pushes = prepare(leaves(tree, root));
        laneLoop(b -> {
            mv.visitVarInsn(Opcodes.ALOAD, target);
            mv.visitVarInsn(Opcodes.ILOAD, b);
            emitInline(root, pushes, b);
            mv.visitInsn(Opcodes.DASTORE);
        });
    }

    /**
     * {@code target[b] = start; for j: target[b] = target[b] + body(j)}, the terms of {@link #UNROLL}
     * consecutive j in one pass over the lanes where the body's parts that depend on j are reads or
     * scalars (nothing that would need lane arrays of its own per j).
     */
    private void accumulate(Sum sum, int target) {
        write(sum.start(), target);
        Index index = sum.index();
        loops.hoist(List.of(sum.body()), List.of(index));
        int j = loops.allocate(1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, j);
        if (index.extent() >= UNROLL && unrollable(sum, j)) {
            int full = index.extent() - index.extent() % UNROLL;
            CountedLoop.whileBelow(mv, j, () -> Bytecode.pushInt(mv, full), UNROLL, () -> addTerms(sum, j, target));
        }
        // The terms one pass at a time: all of them, or the last extent % UNROLL.
        CountedLoop.whileBelow(mv, j, () -> Bytecode.pushInt(mv, index.extent()), 1, () -> {
            loops.enter(index, j);
            Set<Node> tree = inlineTree(sum.body());
            Map<Node, IntConsumer> pushes = prepare(leaves(tree, sum.body()));
            laneLoop(b -> {
                mv.visitVarInsn(Opcodes.ALOAD, target);
                mv.visitVarInsn(Opcodes.ILOAD, b);
                mv.visitInsn(Opcodes.DUP2);
                mv.visitInsn(Opcodes.DALOAD);
                emitInline(sum.body(), pushes, b);
                LoopEmitter.combine(mv, sum);
                mv.visitInsn(Opcodes.DASTORE);
            });
            loops.exit();
        });
    }

    /** Whether the leaves of the sum's body that depend on its index are all reads or scalars. */
    private boolean unrollable(Sum sum, int slot) {
        loops.enter(sum.index(), slot);
        try {
            for (Expr leaf : leaves(inlineTree(sum.body()), sum.body())) {
                boolean perTerm = analysis.dependsOn(leaf, sum.index());
                boolean lanes = analysis.dependsOn(leaf, IndexedAnalysis.EXAMPLE);
                // A lane array computed per term, or an array whose rows depend on the term, needs a pass per term.
                if (perTerm && lanes && (!isRead(leaf) || leaf instanceof Element element
                        && analysis.dependsOn(element.array(), sum.index()))) {
                    return false;
                }
            }
            return true;
        } finally {
            loops.exit();
        }
    }

    /**
     * One pass adding the terms j .. j + UNROLL - 1, each bound by {@link #bindTerms}.
     */
    private void addTerms(Sum sum, int j, int target) {
        Index index = sum.index();
        loops.enterBlock();
        int[] elements = consecutive(j, UNROLL);
        List<Map<Node, IntConsumer>> terms = bindTerms(sum.body(), index, elements, false);
        laneLoop(b -> {
            mv.visitVarInsn(Opcodes.ALOAD, target);
            mv.visitVarInsn(Opcodes.ILOAD, b);
            mv.visitInsn(Opcodes.DUP2);
            mv.visitInsn(Opcodes.DALOAD);
            for (int u = 0; u < UNROLL; u++) {
                emitTerm(sum.body(), index, elements[u], terms.get(u), b);
                LoopEmitter.combine(mv, sum);
            }
            mv.visitInsn(Opcodes.DASTORE);
        });
        loops.exit();
    }

    /** {@code count} new int locals holding {@code j}, {@code j + 1}, ... (j an int local). */
    private int[] consecutive(int j, int count) {
        int[] locals = new int[count];
        for (int u = 0; u < count; u++) {
            locals[u] = loops.allocate(1);
            mv.visitVarInsn(Opcodes.ILOAD, j);
            Bytecode.pushInt(mv, u);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, locals[u]);
        }
        return locals;
    }

    /**
     * How {@code body}'s leaves are pushed in a lane loop for each of several values of {@code index} (the
     * int locals {@code elements}): each term's leaves that depend on the index are loaded into locals of
     * the pass with the index bound to the term's own value; the other leaves are shared. With
     * {@code fromColumns}, inputs are read from their columns at the block's examples instead of from
     * lanes copied for the block.
     */
    private List<Map<Node, IntConsumer>> bindTerms(Expr body, Index index, int[] elements, boolean fromColumns) {
        loops.enter(index, elements[0]);
        Set<Node> tree = inlineTree(body);
        loops.exit();
        List<Expr> shared = new ArrayList<>();
        List<Expr> perTerm = new ArrayList<>();
        for (Expr leaf : leaves(tree, body)) {
            (analysis.dependsOn(leaf, index) && !(leaf instanceof Constant) ? perTerm : shared).add(leaf);
        }
        Map<Node, IntConsumer> sharedPushes = new IdentityHashMap<>();
        if (fromColumns) {
            List<Expr> lanesShared = new ArrayList<>();
            for (Expr leaf : shared) {
                if (isRead(leaf) && isInput(leaf)) {
                    int column = loops.allocate(1);
                    loadColumn(leaf, column);
                    sharedPushes.put(leaf, b -> loadFromColumn(column, b));
                } else {
                    lanesShared.add(leaf);
                }
            }
            shared = lanesShared;
        }
        sharedPushes.putAll(prepare(shared));
        List<Map<Node, IntConsumer>> terms = new ArrayList<>();
        for (int element : elements) {
            // Locals of the pass, allocated before the term's scope opens so that they outlive it.
            int[] locals = new int[perTerm.size()];
            for (int k = 0; k < locals.length; k++) {
                Expr leaf = perTerm.get(k);
                boolean column = fromColumns && isRead(leaf) && isInput(leaf);
                locals[k] = column ? loops.allocate(1) : isRead(leaf) ? rowLocal(leaf) : loops.allocate(2);
            }
            Map<Node, IntConsumer> pushes = new IdentityHashMap<>(sharedPushes);
            loops.enter(index, element);
            for (int k = 0; k < locals.length; k++) {
                Expr leaf = perTerm.get(k);
                int local = locals[k];
                if (fromColumns && isRead(leaf) && isInput(leaf)) {
                    loadColumn(leaf, local);
                    pushes.put(leaf, b -> loadFromColumn(local, b));
                } else if (isRead(leaf)) {
                    loadRow(leaf, local);
                    pushes.put(leaf, b -> loadLane(local, b));
                } else {
                    loops.prepare(leaf).run();
                    mv.visitVarInsn(Opcodes.DSTORE, local);
                    pushes.put(leaf, b -> mv.visitVarInsn(Opcodes.DLOAD, local));
                }
            }
            loops.exit();
            terms.add(pushes);
        }
        return terms;
    }

    /**
     * Pushes one term of a pass at lane {@code b}, with {@code index} bound to the term's own local: a
     * condition inside may compare the index itself ({@code k == k0}).
     */
    private void emitTerm(Expr body, Index index, int element, Map<Node, IntConsumer> pushes, int b) {
        loops.enter(index, element);
        emitInline(body, pushes, b);
        loops.exit();
    }

    /** {@code local = columns[position of read]}: the column of an input. */
    private void loadColumn(Expr read, int local) {
        mv.visitVarInsn(Opcodes.ALOAD, Kernel.COLUMNS);
        pushInputPosition(read);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, local);
    }

    /** Pushes {@code column[base + b]}: lane b's example of a column. */
    private void loadFromColumn(int columnSlot, int laneSlot) {
        mv.visitVarInsn(Opcodes.ALOAD, columnSlot);
        mv.visitVarInsn(Opcodes.ILOAD, baseSlot);
        mv.visitVarInsn(Opcodes.ILOAD, laneSlot);
        mv.visitInsn(Opcodes.IADD);
        mv.visitInsn(Opcodes.DALOAD);
    }

    /**
     * The operations of {@code root}'s value computed inside the lane loop: {@code root} and, below it,
     * operations on the example used nowhere else (a shared one gets a lane array of its own, so that it
     * is computed once).
     */
    private Set<Node> inlineTree(Expr root) {
        Set<Node> tree = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Expr node = pending.pop();
            boolean operation = node instanceof Unary || node instanceof Binary || node instanceof Conditional;
            if (!operation || !analysis.dependsOn(node, IndexedAnalysis.EXAMPLE) || loops.isKnown(node)
                    || node != root && uses.getOrDefault(node, 0) != 1) {
                continue;
            }
            tree.add(node);
            for (Node child : node.children()) {
                if (child instanceof Expr expr) {
                    pending.push(expr);
                }
            }
        }
        return tree;
    }

    /**
     * The operands the tree's operations read (the root itself when the tree is empty), each once, in an
     * order that depends only on the tree's shape (never on identity hash codes: the bytes must not vary).
     */
    private static List<Expr> leaves(Set<Node> tree, Expr root) {
        List<Expr> leaves = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (tree.isEmpty()) {
            leaves.add(root);
            return leaves;
        }
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            for (Node child : node.children()) {
                if (child instanceof Condition || tree.contains(child)) {
                    pending.push(child);
                } else if (child instanceof Expr expr && seen.add(expr)) {
                    leaves.add(expr);
                }
            }
        }
        return leaves;
    }

    /**
     * Computes the leaves before a lane loop (sums and shared operations into lane arrays, scalars into
     * locals) and returns how each is pushed inside it, at the lane in the given int local.
     */
    private Map<Node, IntConsumer> prepare(List<Expr> leaves) {
        Map<Node, IntConsumer> pushes = new IdentityHashMap<>();
        for (Expr leaf : leaves) {
            if (leaf instanceof Constant constant) {
                pushes.put(leaf, b -> Bytecode.pushDouble(mv, constant.value()));
            } else if (!analysis.dependsOn(leaf, IndexedAnalysis.EXAMPLE)) {
                Runnable scalar = loops.prepare(leaf);
                pushes.put(leaf, b -> scalar.run());
            } else if (!isRead(leaf)) {
                compute(leaf);
                int lanes = loops.findLane(leaf);
                pushes.put(leaf, b -> loadLane(lanes, b));
            } else if (leaf instanceof Element element && element.array() instanceof Comprehension array) {
                loops.materialize(array);
            }
        }
        for (Expr leaf : leaves) {
            if (!pushes.containsKey(leaf)) {
                int row = rowLocal(leaf);
                loadRow(leaf, row);
                pushes.put(leaf, b -> loadLane(row, b));
            }
        }
        return pushes;
    }

    /** Inputs and elements of local arrays, read in a lane loop from the row of lanes that holds them. */
    private boolean isRead(Expr expr) {
        if (expr instanceof Variable variable) {
            return !variable.isParameter();
        }
        if (expr instanceof Element element) {
            return element.array() instanceof ArrayVariable array ? !array.isParameter()
                    : analysis.dependsOn(element.array(), IndexedAnalysis.EXAMPLE);
        }
        return false;
    }

    /**
     * A local for the {@code double[]} of lanes holding a read: a lane array of the pool where an input is
     * copied where it is read, otherwise a local that {@link #loadRow} points at the row.
     */
    private int rowLocal(Expr read) {
        return inputsSlot < 0 && isInput(read) ? newLaneArray() : loops.allocate(1);
    }

    /** Makes the local from {@link #rowLocal} hold the read's lanes. */
    private void loadRow(Expr read, int local) {
        if (inputsSlot < 0 && isInput(read)) {
            copyColumn(() -> pushInputPosition(read), () -> mv.visitVarInsn(Opcodes.ALOAD, local));
            return;
        }
        pushRow(read);
        mv.visitVarInsn(Opcodes.ASTORE, local);
    }

    private static boolean isInput(Expr read) {
        return read instanceof Variable || read instanceof Element element && element.array() instanceof ArrayVariable;
    }

    /** Pushes the flat position of an input read (its column). */
    private void pushInputPosition(Expr read) {
        if (read instanceof Variable variable) {
            Bytecode.pushInt(mv, variable.index());
        } else {
            Element element = (Element) read;
            ArrayVariable array = (ArrayVariable) element.array();
            loops.pushPosition(array.offset(), element.at(), array);
        }
    }

    /** Pushes the {@code double[]} of lanes holding a read: the block's copy of an input, or a row of an array. */
    private void pushRow(Expr read) {
        if (isInput(read)) {
            mv.visitVarInsn(Opcodes.ALOAD, inputsSlot);
            pushInputPosition(read);
        } else {
            Element element = (Element) read;
            Comprehension array = (Comprehension) element.array();
            mv.visitVarInsn(Opcodes.ALOAD, loops.findLane(array));
            loops.pushPosition(0, element.at(), array);
        }
        mv.visitInsn(Opcodes.AALOAD);
    }

    private void loadLane(int arraySlot, int laneSlot) {
        mv.visitVarInsn(Opcodes.ALOAD, arraySlot);
        mv.visitVarInsn(Opcodes.ILOAD, laneSlot);
        mv.visitInsn(Opcodes.DALOAD);
    }

    /** Pushes {@code node}'s value at lane {@code b}: a leaf as prepared, an operation of the tree computed here. */
    private void emitInline(Expr node, Map<Node, IntConsumer> pushes, int b) {
        IntConsumer push = pushes.get(node);
        if (push != null) {
            push.accept(b);
            return;
        }
        ValueEmitter.OperandAccess operands = (visitor, operand) -> emitInline(operand, pushes, b);
        if (node instanceof Conditional conditional) {
            loops.emitConditional(conditional, operands);
        } else {
            ValueEmitter.emitOperation(mv, node, operands, false);
        }
    }

    /** {@code for (b = 0; b < count; b++) body(b)} over the block's lanes. */
    private void laneLoop(IntConsumer body) {
        int b = loops.allocate(1);
        CountedLoop.fromZeroBelow(mv, b, countSlot, () -> body.accept(b));
    }
}
