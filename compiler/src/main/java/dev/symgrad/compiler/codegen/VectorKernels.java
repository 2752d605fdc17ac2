package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;
import dev.symgrad.runtime.StableMath;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch loops of the {@link Backend#VECTOR} backend: the same DAG as {@link InlineKernels}, but the
 * loop takes {@code DoubleVector.SPECIES_PREFERRED.length()} examples per iteration, every per-example
 * node is one Vector API call ({@code lanewise(EXP)} and the other transcendental functions are SIMD
 * stubs where scalar {@code Math} calls never vectorize), conditionals are {@code compare} and
 * {@code blend}, and each sum keeps one vector accumulator reduced with {@code reduceLanes(ADD)} after
 * the loop. The examples left over (fewer than a vector) run through the scalar code of
 * {@link InlineKernels}. The class refers to {@code jdk.incubator.vector} only in these kernels' code.
 */
final class VectorKernels {

    private static final String PACKAGE = "jdk/incubator/vector/";
    private static final String DOUBLE_VECTOR = PACKAGE + "DoubleVector";
    private static final String MASK = PACKAGE + "VectorMask";
    private static final String SPECIES = PACKAGE + "VectorSpecies";
    private static final String OPERATORS = PACKAGE + "VectorOperators";

    private static final String T_DOUBLE_VECTOR = "L" + DOUBLE_VECTOR + ";";
    private static final String T_VECTOR = "L" + PACKAGE + "Vector;";
    private static final String T_MASK = "L" + MASK + ";";
    private static final String T_SPECIES = "L" + SPECIES + ";";

    /**
     * Cephes' tanh for |z| < 0.625 (tanh.c, S. L. Moshier): {@code tanh(a) = a + a·s·P(s)/Q(s)}, s = a²,
     * relative error 2.3e-16 there.
     */
    private static final double[] TANH_P = {-9.64399179425052238628E-1, -9.92877231001918586564E1,
        -1.61468768441708447952E3};
    private static final double[] TANH_Q = {1.12811678491632931402E2, 2.23548839060100448583E3,
        4.84406305325125486048E3};
    private static final double TANH_RATIONAL_BELOW = 0.625;

    /**
     * Kernels with more per-example nodes stay scalar. A Vector API loop is fast only once C2 has
     * compiled it and removed every vector object; a body too large for C2 would run boxed, far slower
     * than scalar code.
     */
    static final int MAX_PER_EXAMPLE_NODES = 600;

    private VectorKernels() {
    }

    /** Where the vector loop keeps its state: the species, the lane count and each node's vector or mask. */
    private static final class VectorLoop {
        final int species;
        final int lanes;
        final int upper;
        final Map<Node, Integer> vectors = new IdentityHashMap<>();
        final InlineKernels.Locals locals;

        VectorLoop(MethodVisitor mv, InlineKernels.Locals locals) {
            this.locals = locals;
            species = locals.allocate(null, 1);
            lanes = locals.allocate(null, 1);
            upper = locals.allocate(null, 1);
            mv.visitFieldInsn(Opcodes.GETSTATIC, DOUBLE_VECTOR, "SPECIES_PREFERRED", T_SPECIES);
            mv.visitVarInsn(Opcodes.ASTORE, species);
            mv.visitVarInsn(Opcodes.ALOAD, species);
            mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPECIES, "length", "()I", true);
            mv.visitVarInsn(Opcodes.ISTORE, lanes);
            // upper = from + species.loopBound(to - from): the vector loop stops before a partial vector.
            mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
            mv.visitVarInsn(Opcodes.ALOAD, species);
            mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
            mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
            mv.visitInsn(Opcodes.ISUB);
            mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPECIES, "loopBound", "(I)I", true);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, upper);
        }

        /** Broadcasts, before the loop, every loop-invariant value the per-example nodes or outputs use. */
        void broadcastInvariants(MethodVisitor mv, List<Node> nodes, Set<Node> varying, List<Expr> outputs) {
            ValueEmitter.OperandAccess scalars = InlineKernels.access(locals);
            List<Expr> needed = new ArrayList<>();
            for (Node node : nodes) {
                if (varying.contains(node) || node instanceof Condition) {
                    for (Node child : node.children()) {
                        if (child instanceof Expr e && !varying.contains(e)) {
                            needed.add(e);
                        }
                    }
                }
            }
            for (Expr output : outputs) {
                if (!varying.contains(output)) {
                    needed.add(output);
                }
            }
            for (Expr value : needed) {
                if (!vectors.containsKey(value)) {
                    mv.visitVarInsn(Opcodes.ALOAD, species);
                    scalars.load(mv, value);
                    broadcast(mv);
                    store(mv, value);
                }
            }
        }

        void store(MethodVisitor mv, Node node) {
            int slot = locals.allocate(null, 1);
            mv.visitVarInsn(Opcodes.ASTORE, slot);
            vectors.put(node, slot);
        }

        void load(MethodVisitor mv, Node node) {
            Integer slot = vectors.get(node);
            if (slot == null) {
                throw new IllegalStateException("vector not computed: " + node.getClass().getSimpleName());
            }
            mv.visitVarInsn(Opcodes.ALOAD, slot);
        }

        /** {@code for (; i < upper; i += lanes) body}; {@code i} must hold the first example. */
        void emit(MethodVisitor mv, int i, Map<Variable, Integer> columns, List<Node> perExample, Runnable afterBody) {
            Label test = new Label();
            Label exit = new Label();
            mv.visitLabel(test);
            mv.visitVarInsn(Opcodes.ILOAD, i);
            mv.visitVarInsn(Opcodes.ILOAD, upper);
            mv.visitJumpInsn(Opcodes.IF_ICMPGE, exit);
            Map<Node, Integer> invariants = new IdentityHashMap<>(vectors);
            for (Map.Entry<Variable, Integer> column : columns.entrySet()) {
                mv.visitVarInsn(Opcodes.ALOAD, species);
                mv.visitVarInsn(Opcodes.ALOAD, column.getValue());
                mv.visitVarInsn(Opcodes.ILOAD, i);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE_VECTOR, "fromArray",
                        "(" + T_SPECIES + "[DI)" + T_DOUBLE_VECTOR, false);
                store(mv, column.getKey());
            }
            for (Node node : perExample) {
                if (node instanceof Condition condition) {
                    mask(mv, condition);
                } else if (!(node instanceof Variable) && !vectors.containsKey(node)) {
                    emitOperation(mv, (Expr) node);
                    store(mv, node);
                }
            }
            afterBody.run();
            mv.visitVarInsn(Opcodes.ILOAD, i);
            mv.visitVarInsn(Opcodes.ILOAD, lanes);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, i);
            mv.visitJumpInsn(Opcodes.GOTO, test);
            mv.visitLabel(exit);
            // Values computed in the loop are not available after it.
            vectors.keySet().retainAll(invariants.keySet());
        }

        private void emitOperation(MethodVisitor mv, Expr node) {
            if (node instanceof Unary unary) {
                load(mv, unary.operand());
                if (unary.op() == UnaryOp.NEG) {
                    neg(mv);
                } else if (unary.op() == UnaryOp.STOP_GRADIENT) {
                    return; // the identity: it matters only to differentiation
                } else if (unary.op() == UnaryOp.TANH) {
                    emitTanh(mv);
                } else if (unary.op() == UnaryOp.SIGMOID) {
                    emitSigmoid(mv);
                } else {
                    // The Vector API's operator constants carry the names of symgrad's UnaryOp.
                    mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, unary.op().name(), "L" + OPERATORS + "$Unary;");
                    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "lanewise",
                            "(L" + OPERATORS + "$Unary;)" + T_DOUBLE_VECTOR, false);
                }
            } else if (node instanceof Binary binary) {
                load(mv, binary.left());
                switch (binary.op()) {
                    case ADD, SUB, MUL, DIV -> {
                        load(mv, binary.right());
                        String name = binary.op().name().toLowerCase(java.util.Locale.ROOT);
                        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, name,
                                "(" + T_VECTOR + ")" + T_DOUBLE_VECTOR, false);
                    }
                    case LOGADDEXP -> {
                        load(mv, binary.right());
                        emitLogAddExp(mv);
                    }
                    case POW, MAX, MIN, HYPOT -> {
                        // MAX and MIN are declared as the Binary subtype Associative.
                        String type = binary.op() == dev.symgrad.compiler.ir.BinaryOp.MAX
                                || binary.op() == dev.symgrad.compiler.ir.BinaryOp.MIN ? "$Associative;" : "$Binary;";
                        mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, binary.op().name(), "L" + OPERATORS + type);
                        load(mv, binary.right());
                        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "lanewise",
                                "(L" + OPERATORS + "$Binary;" + T_VECTOR + ")" + T_DOUBLE_VECTOR, false);
                    }
                }
            } else if (node instanceof Conditional conditional) {
                // Both branches are computed (the IR is pure); the mask picks ifTrue's lanes.
                load(mv, conditional.ifFalse());
                load(mv, conditional.ifTrue());
                mask(mv, conditional.test());
                mv.visitVarInsn(Opcodes.ALOAD, vectors.get(conditional.test()));
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "blend",
                        "(" + T_VECTOR + T_MASK + ")" + T_DOUBLE_VECTOR, false);
            } else {
                throw new IllegalArgumentException("not an operator node: " + node.getClass().getSimpleName());
            }
        }

        /**
         * {@code tanh(z)} in two pieces, computed on {@code a = |z|} and given z's sign at the end (so
         * tanh(-0) = -0): below 0.625, Cephes' rational form {@code a + a·s·P(s)/Q(s)}, {@code s = a²};
         * above, {@code 1 - 2/(t + 2)} with {@code t = expm1(min(2a, 40))} (tanh(20) rounds to 1, so the cap
         * changes nothing but avoids overflow). Both are computed for every lane and a mask picks one.
         * Measured against {@code StrictMath.tanh} on 20 million inputs per range: the rational form is
         * within 2 ulp below 0.625, {@code 1 - 2/(t+2)} within 2 ulp on [0.625, 1] and 1 ulp above;
         * {@code t/(t+2)} alone, used before, was 3 ulp off near |z| = 0.4 and near 0. The Vector API's
         * own {@code TANH} ran at 35 ns per lane on a 4-lane (AVX2) machine, slower than scalar {@code Math.tanh}.
         */
        private void emitTanh(MethodVisitor mv) {
            int z = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, z);
            lanewise(mv, "ABS");
            int a = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            call(mv, "mul", T_VECTOR);
            int s = storeTemporary(mv);
            // P(s) / Q(s); Q is monic.
            polynomial(mv, s, TANH_P, false);
            polynomial(mv, s, TANH_Q, true);
            call(mv, "div", T_VECTOR);
            int ratio = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, s);
            call(mv, "mul", T_VECTOR);
            mv.visitVarInsn(Opcodes.ALOAD, ratio);
            call(mv, "mul", T_VECTOR);
            call(mv, "add", T_VECTOR);
            int small = storeTemporary(mv);
            // 1 - 2/(t + 2); not -(2/(t + 2)) + 1, whose negation would set the sign bit of a NaN.
            mv.visitVarInsn(Opcodes.ALOAD, species);
            Bytecode.pushDouble(mv, 1.0);
            broadcast(mv);
            mv.visitVarInsn(Opcodes.ALOAD, species);
            Bytecode.pushDouble(mv, 2.0);
            broadcast(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            Bytecode.pushDouble(mv, 2.0);
            call(mv, "mul", "D");
            Bytecode.pushDouble(mv, 40.0);
            call(mv, "min", "D");
            lanewise(mv, "EXPM1");
            Bytecode.pushDouble(mv, 2.0);
            call(mv, "add", "D");
            call(mv, "div", T_VECTOR);
            call(mv, "sub", T_VECTOR);
            // big.blend(small, a < 0.625)
            mv.visitVarInsn(Opcodes.ALOAD, small);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            compareWith(mv, "LT", TANH_RATIONAL_BELOW);
            blend(mv);
            int magnitude = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, magnitude);
            mv.visitVarInsn(Opcodes.ALOAD, magnitude);
            neg(mv);
            mv.visitVarInsn(Opcodes.ALOAD, z);
            test(mv, "IS_NEGATIVE");
            blend(mv);
        }

        /**
         * {@code StableMath.sigmoid} on the vector on the stack, lane for lane the scalar function's arithmetic:
         * {@code 1/(1 + exp(-a))}, and {@code exp(a)} in the lanes below {@code StableMath.SIGMOID_EXP_BELOW}.
         * One exponential serves both: of {@code -a}, or of {@code a} in those lanes.
         */
        private void emitSigmoid(MethodVisitor mv) {
            int a = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            compareWith(mv, "LT", StableMath.SIGMOID_EXP_BELOW);
            int low = storeTemporary(mv);
            // (-a).blend(a, low), then its exponential.
            mv.visitVarInsn(Opcodes.ALOAD, a);
            neg(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, low);
            blend(mv);
            lanewise(mv, "EXP");
            int e = storeTemporary(mv);
            // (1/(1 + e)).blend(e, low)
            mv.visitVarInsn(Opcodes.ALOAD, species);
            Bytecode.pushDouble(mv, 1.0);
            broadcast(mv);
            mv.visitVarInsn(Opcodes.ALOAD, e);
            Bytecode.pushDouble(mv, 1.0);
            call(mv, "add", "D");
            call(mv, "div", T_VECTOR);
            mv.visitVarInsn(Opcodes.ALOAD, e);
            mv.visitVarInsn(Opcodes.ALOAD, low);
            blend(mv);
        }

        /**
         * {@code StableMath.logaddexp} on the two vectors on the stack (a below b):
         * {@code max(a, b) + log1p(exp(-|a - b|))}, and {@code max(a, b)} itself in the lanes where it is
         * infinite, as the scalar function returns it there.
         */
        private void emitLogAddExp(MethodVisitor mv) {
            int b = storeTemporary(mv);
            int a = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, b);
            call(mv, "max", T_VECTOR);
            int max = storeTemporary(mv);
            mv.visitVarInsn(Opcodes.ALOAD, max);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitVarInsn(Opcodes.ALOAD, b);
            call(mv, "sub", T_VECTOR);
            expOfMinusAbs(mv);
            lanewise(mv, "LOG1P");
            call(mv, "add", T_VECTOR);
            // blend(max, max is infinite)
            mv.visitVarInsn(Opcodes.ALOAD, max);
            mv.visitVarInsn(Opcodes.ALOAD, max);
            test(mv, "IS_INFINITE");
            blend(mv);
        }

        /**
         * Leaves {@code c[0]·x^(n-1) + ... + c[n-1]} on the stack by Horner's rule, x in slot {@code x};
         * with {@code monic}, {@code x^n + c[0]·x^(n-1) + ... + c[n-1]}.
         */
        private static void polynomial(MethodVisitor mv, int x, double[] c, boolean monic) {
            mv.visitVarInsn(Opcodes.ALOAD, x);
            int k = 0;
            if (!monic) {
                Bytecode.pushDouble(mv, c[0]);
                call(mv, "mul", "D");
                k = 1;
            }
            for (; k < c.length; k++) {
                Bytecode.pushDouble(mv, c[k]);
                call(mv, "add", "D");
                if (k < c.length - 1) {
                    mv.visitVarInsn(Opcodes.ALOAD, x);
                    call(mv, "mul", T_VECTOR);
                }
            }
        }

        /** {@code DoubleVector.broadcast(species, value)} with both on the stack. */
        private static void broadcast(MethodVisitor mv) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE_VECTOR, "broadcast", "(" + T_SPECIES + "D)" + T_DOUBLE_VECTOR,
                    false);
        }

        private static void blend(MethodVisitor mv) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "blend", "(" + T_VECTOR + T_MASK + ")" + T_DOUBLE_VECTOR,
                    false);
        }

        private int storeTemporary(MethodVisitor mv) {
            int slot = locals.allocate(null, 1);
            mv.visitVarInsn(Opcodes.ASTORE, slot);
            return slot;
        }

        /** {@code vector.name(operand)} where the operand is a {@code double} ("D") or a vector. */
        private static void call(MethodVisitor mv, String name, String operandType) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, name, "(" + operandType + ")" + T_DOUBLE_VECTOR, false);
        }

        private static void neg(MethodVisitor mv) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "neg", "()" + T_DOUBLE_VECTOR, false);
        }

        /** {@code exp(-|v|)} of the vector on the stack: the exponential the stable functions take, at most 1. */
        private static void expOfMinusAbs(MethodVisitor mv) {
            lanewise(mv, "ABS");
            neg(mv);
            lanewise(mv, "EXP");
        }

        /** The mask of {@code v comparison constant} for the vector on the stack ({@code VectorOperators.LT}, ...). */
        private static void compareWith(MethodVisitor mv, String comparison, double constant) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, comparison, "L" + OPERATORS + "$Comparison;");
            Bytecode.pushDouble(mv, constant);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "compare", "(L" + OPERATORS + "$Comparison;D)" + T_MASK,
                    false);
        }

        /** The mask of the test ({@code VectorOperators.IS_INFINITE}, ...) on the vector on the stack. */
        private static void test(MethodVisitor mv, String test) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, test, "L" + OPERATORS + "$Test;");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "test", "(L" + OPERATORS + "$Test;)" + T_MASK, false);
        }

        private static void lanewise(MethodVisitor mv, String unaryOperator) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, unaryOperator, "L" + OPERATORS + "$Unary;");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "lanewise", "(L" + OPERATORS + "$Unary;)" + T_DOUBLE_VECTOR,
                    false);
        }

        /** Computes the mask of {@code condition} into its slot, once per iteration; depth is the parser's bound. */
        private void mask(MethodVisitor mv, Condition condition) {
            if (vectors.containsKey(condition)) {
                return;
            }
            if (condition instanceof BooleanConstant constant) {
                mv.visitVarInsn(Opcodes.ALOAD, species);
                mv.visitInsn(constant.value() ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
                mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SPECIES, "maskAll", "(Z)" + T_MASK, true);
            } else if (condition instanceof Not not) {
                mask(mv, not.operand());
                load(mv, not.operand());
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MASK, "not", "()" + T_MASK, false);
            } else if (condition instanceof Logical logical) {
                mask(mv, logical.left());
                mask(mv, logical.right());
                load(mv, logical.left());
                load(mv, logical.right());
                String name = logical.op() == Logical.Operator.AND ? "and" : "or";
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MASK, name, "(" + T_MASK + ")" + T_MASK, false);
            } else {
                Comparison comparison = (Comparison) condition;
                load(mv, comparison.left());
                // Java's comparison semantics, NaN included: every comparison but != is false on NaN.
                mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, comparison.op().name(),
                        "L" + OPERATORS + "$Comparison;");
                load(mv, comparison.right());
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "compare",
                        "(L" + OPERATORS + "$Comparison;" + T_VECTOR + ")" + T_MASK, false);
            }
            store(mv, condition);
        }
    }

    /**
     * Most input columns, and most outputs (sums or stored values), of a vector kernel. Each is a vector
     * live across the whole loop body; with 31 sums and 31 columns (the breast-cancer logistic loss) the
     * route (b) kernel ran 17 times slower than its scalar form on JDK 17 (1.34 ms against 80 µs per
     * 1,000 examples, ClippingBenchmark): C2 no longer keeps such a loop's vectors out of the heap.
     */
    static final int MAX_LIVE_VECTORS = 16;

    /** True if the kernel is small enough for the vector shape: its nodes, its columns and its outputs. */
    static boolean fits(List<Node> nodes, int outputs) {
        int columns = 0;
        for (Node node : nodes) {
            columns += node instanceof Variable v && !v.isParameter() ? 1 : 0;
        }
        return nodes.size() <= MAX_PER_EXAMPLE_NODES && columns <= MAX_LIVE_VECTORS && outputs <= MAX_LIVE_VECTORS;
    }

    /** {@code for (; i < to; i++)} over the examples after the last whole vector, in scalar code. */
    private static void scalarTail(MethodVisitor mv, int i, CountedLoop.Body body) {
        Label test = new Label();
        Label exit = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(Opcodes.ILOAD, i);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.TO);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, exit);
        body.emit(mv, 0, 0);
        mv.visitIincInsn(i, 1);
        mv.visitJumpInsn(Opcodes.GOTO, test);
        mv.visitLabel(exit);
    }

    /** The vector form of {@link InlineKernels#emitMap}. */
    static void emitMap(MethodVisitor mv, Kernel kernel, List<Expr> roots, boolean branchFree) {
        InlineKernels.Locals locals = new InlineKernels.Locals(kernel.argumentSlots());
        List<Node> nodes = Graph.topologicalOrder(roots);
        Set<Node> dataDependent = Graph.inputDependent(roots);
        List<List<Node>> parts = InlineKernels.partition(nodes, dataDependent);
        InlineKernels.loadParameters(mv, nodes, locals);
        InlineKernels.computeAll(mv, parts.get(0), locals, Set.of());
        Map<Variable, Integer> columns = InlineKernels.loadColumns(mv, nodes, locals);
        int[] outSlots = InlineKernels.loadOutputColumns(mv, kernel, roots.size(), locals);
        VectorLoop loop = new VectorLoop(mv, locals);
        loop.broadcastInvariants(mv, nodes, dataDependent, roots);
        int i = locals.allocate(null, 1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, i);
        loop.emit(mv, i, columns, parts.get(1), () -> {
            for (int k = 0; k < roots.size(); k++) {
                loop.load(mv, roots.get(k));
                mv.visitVarInsn(Opcodes.ALOAD, outSlots[k]);
                mv.visitVarInsn(Opcodes.ILOAD, i);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "intoArray", "([DI)V", false);
            }
        });
        Set<Node> selectWithoutJumps = branchFree ? dataDependent : Set.of();
        scalarTail(mv, i, (m, offset, lane) -> {
            ValueEmitter.OperandAccess operands = InlineKernels.computeExample(m, columns, i, 0, parts.get(1),
                    selectWithoutJumps, locals);
            for (int k = 0; k < roots.size(); k++) {
                InlineKernels.storeOutput(m, outSlots[k], i, 0, operands, roots.get(k));
            }
        });
        mv.visitInsn(Opcodes.RETURN);
    }

    /** The vector form of {@link InlineKernels#emitReduce}. */
    static void emitReduce(MethodVisitor mv, Kernel kernel, List<Expr> roots, boolean branchFree) {
        InlineKernels.emitEmptyBatchIsZero(mv, kernel);
        InlineKernels.Locals locals = new InlineKernels.Locals(kernel.argumentSlots());
        List<Node> outerNodes = Graph.topologicalOrder(roots, node -> node instanceof BatchSum);
        List<BatchSum> sums = InlineKernels.batchSums(outerNodes);
        List<Expr> summands = InlineKernels.summandsOf(sums);
        InlineKernels.loadParameters(mv, Graph.topologicalOrder(roots), locals);
        List<Node> summandNodes = Graph.topologicalOrder(summands);
        Set<Node> dataDependent = Graph.inputDependent(summands);
        List<List<Node>> parts = InlineKernels.partition(summandNodes, dataDependent);
        InlineKernels.computeAll(mv, parts.get(0), locals, Set.of());
        Map<Variable, Integer> columns = InlineKernels.loadColumns(mv, summandNodes, locals);
        VectorLoop loop = new VectorLoop(mv, locals);
        loop.broadcastInvariants(mv, summandNodes, dataDependent, summands);
        int[] accumulators = new int[sums.size()];
        for (int j = 0; j < sums.size(); j++) {
            mv.visitVarInsn(Opcodes.ALOAD, loop.species);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, DOUBLE_VECTOR, "zero", "(" + T_SPECIES + ")" + T_DOUBLE_VECTOR,
                    false);
            accumulators[j] = locals.allocate(null, 1);
            mv.visitVarInsn(Opcodes.ASTORE, accumulators[j]);
        }
        int i = locals.allocate(null, 1);
        mv.visitVarInsn(Opcodes.ILOAD, Kernel.FROM);
        mv.visitVarInsn(Opcodes.ISTORE, i);
        loop.emit(mv, i, columns, parts.get(1), () -> {
            for (int j = 0; j < sums.size(); j++) {
                mv.visitVarInsn(Opcodes.ALOAD, accumulators[j]);
                loop.load(mv, summands.get(j));
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "add", "(" + T_VECTOR + ")" + T_DOUBLE_VECTOR,
                        false);
                mv.visitVarInsn(Opcodes.ASTORE, accumulators[j]);
            }
        });
        int[] totals = new int[sums.size()];
        for (int j = 0; j < sums.size(); j++) {
            mv.visitVarInsn(Opcodes.ALOAD, accumulators[j]);
            mv.visitFieldInsn(Opcodes.GETSTATIC, OPERATORS, "ADD", "L" + OPERATORS + "$Associative;");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, DOUBLE_VECTOR, "reduceLanes", "(L" + OPERATORS + "$Associative;)D",
                    false);
            totals[j] = locals.allocate(sums.get(j), 2);
            mv.visitVarInsn(Opcodes.DSTORE, totals[j]);
        }
        Set<Node> selectWithoutJumps = branchFree ? dataDependent : Set.of();
        scalarTail(mv, i, (m, offset, lane) -> {
            ValueEmitter.OperandAccess operands = InlineKernels.computeExample(m, columns, i, 0, parts.get(1),
                    selectWithoutJumps, locals);
            for (int j = 0; j < sums.size(); j++) {
                InlineKernels.accumulate(m, totals[j], operands, summands.get(j));
            }
        });
        InlineKernels.finishReduce(mv, kernel, outerNodes, roots, locals);
    }
}
