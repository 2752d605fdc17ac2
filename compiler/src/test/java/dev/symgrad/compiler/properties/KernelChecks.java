package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.CodeShape;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.properties.ShapeLosses.LossCase;
import dev.symgrad.runtime.Clipping;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Assume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel of a compiled loss against the IR {@link Evaluator}: the single-example kernels, the
 * per-example batch kernels (values and {@code ...Into}, and route (a) materialized across threads) and
 * the sums (total loss, both routes, the clipped sum at several clip norms including ∞ and its count of
 * skipped examples; values, {@code ...Into} and across threads). The interpreter runs once per batch ({@link Expected}) and serves every
 * code shape compiled from the same program.
 *
 * <p>Per-example values are compared by a {@link PerExample} rule: bit for bit for the scalar backend,
 * which performs the interpreter's operations in its order. Sums agree within {@link SummationOrderBound},
 * the first-order bound between two summation orders (threads split the batch into slices, which is one
 * more order), plus the rule's error of each term. Batches are drawn over {@link ShapeLosses#value} or
 * {@link ShapeLosses#moderateValue}.
 */
public final class KernelChecks {

    /** Clip norms: below, at and above typical gradient norms, and ∞ (nothing clipped). */
    static final double[] CLIP_NORMS = {1e-3, 0.5, 1.0, 10.0, Double.POSITIVE_INFINITY};

    private static final int PARALLELISM = 3;

    /** How a generated per-example value is compared with the interpreter's. */
    public interface PerExample {
        /** Fails the test unless {@code actual} is acceptable for {@code root} at the given example. */
        void check(Expr root, double expected, double actual, double[] params, double[] example, String what);

        /**
         * How far the kernel's value of one term of a sum may be from the interpreter's, added to the
         * summation-order bound of the sums; 0 where terms are computed as the interpreter does.
         */
        default double termError(Expr summand, double[] params, double[] example) {
            return 0;
        }

        /** Bit for bit (NaN equal to NaN, 0.0 unequal to -0.0). */
        PerExample EXACT = (root, expected, actual, params, example, what) -> assertEquals(expected, actual, what);
    }

    /**
     * The interpreter's values of a program on one batch: the per-example roots (loss, gradient, gradient
     * norm) evaluated up front, each batch root with its summation-order bound on first use, then kept.
     */
    public static final class Expected {
        private final LossProgram program;
        private final double[] params;
        private final double[][] columns;
        private final double[][] perExample;
        private final PerExample rule;
        private final Map<List<?>, double[]> sums = new HashMap<>();

        private Expected(LossProgram program, double[] params, double[][] columns, double[][] perExample,
                         PerExample rule) {
            this.rule = rule;
            this.program = program;
            this.params = params;
            this.columns = columns;
            this.perExample = perExample;
        }

        /**
         * Evaluates the per-example roots of {@code program} on every example of the batch; sums will be
         * bounded for kernels whose terms may be off as {@code rule} says.
         */
        public static Expected of(LossProgram program, double[] params, double[][] columns, PerExample rule) {
            List<Expr> roots = perExampleRoots(program);
            Evaluator evaluator = new Evaluator(roots);
            int n = columns.length == 0 ? 0 : columns[0].length;
            double[][] values = new double[roots.size()][n];
            for (int i = 0; i < n; i++) {
                double[] row = evaluator.values(roots, params, example(columns, i));
                for (int r = 0; r < roots.size(); r++) {
                    values[r][i] = row[r];
                }
            }
            return new Expected(program, params, columns, values, rule);
        }

        /**
         * The interpreter's value of a batch root and its bound, at {@code rootParams}, for the batch cut
         * into {@code slices} as {@code CompiledLoss} documents for threads: slice k is examples
         * {@code [k·N/slices, (k+1)·N/slices)}, an empty slice is 0, and the slices are added in order.
         * The bound is the slices' summation-order bounds plus, where they are not zero, the rounding of
         * each addition of slices on both sides.
         */
        double[] sum(Expr root, double[] rootParams, int slices) {
            // Keyed by the node's identity (the factory interns it), the parameter values (the clip norm), slices.
            return bySlices(List.of(new Identity(root), Arrays.toString(rootParams), slices), slices,
                    (from, to) -> sliceSum(root, rootParams, from, to));
        }

        /**
         * Entry {@code k} of the clipped sum at {@code clipNorm} as the runtime computes it (k = P: the
         * skipped count), with its bound, for the batch cut into {@code slices}: a slice in which the
         * kernel's norm can be trusted for every example is the kernel's IR sum; any other slice is clipped
         * from the per-example gradients by the reference arithmetic ({@link Clipping}), which the
         * scalar shapes must match bit for bit (the gradients are the interpreter's); for other rules that
         * slice is not bounded.
         */
        double[] clippedSum(int k, double clipNorm, int slices) {
            int p = parameterCount();
            double[] paramsAndClipNorm = Arrays.copyOf(params, p + 1);
            paramsAndClipNorm[p] = clipNorm;
            List<Expr> roots = program.clippedGradientSum();
            return bySlices(List.of("clipped", k, clipNorm, slices), slices, (from, to) -> {
                if (sliceSum(roots.get(p), paramsAndClipNorm, from, to)[0] == 0) {
                    return k == p ? new double[] {0, 0} : sliceSum(roots.get(k), paramsAndClipNorm, from, to);
                }
                double[] reference = new double[p];
                int skipped = Clipping.sumClippedInto(Arrays.copyOfRange(perExample, 1, p + 1), from, to, clipNorm,
                        reference);
                double bound = rule == PerExample.EXACT ? 0 : Double.POSITIVE_INFINITY;
                return new double[] {k == p ? skipped : reference[k], bound};
            });
        }

        /** The interpreter's value of a batch root over examples {@code from..to-1}, and its bound. */
        private double[] sliceSum(Expr root, double[] rootParams, int from, int to) {
            double[][] slice = new double[columns.length][];
            for (int c = 0; c < columns.length; c++) {
                slice[c] = Arrays.copyOfRange(columns[c], from, to);
            }
            return new double[] {Evaluator.batchValue(root, rootParams, slice),
                SummationOrderBound.of(root, rootParams, slice, rule::termError)};
        }

        /** Slices' values and bounds combined: empty slices are 0, the others added in order. */
        private double[] bySlices(List<Object> key, int slices, SliceValue value) {
            return sums.computeIfAbsent(key, k -> {
                int n = size();
                double total = 0;
                double bound = 0;
                double partialMagnitudes = 0;
                for (int s = 0; s < slices; s++) {
                    int from = (int) ((long) s * n / slices);
                    int to = (int) ((long) (s + 1) * n / slices);
                    if (from == to) {
                        continue;
                    }
                    double[] valueAndBound = value.of(from, to);
                    total = s == 0 ? valueAndBound[0] : total + valueAndBound[0];
                    bound += valueAndBound[1];
                    partialMagnitudes += s == 0 ? 0 : Math.abs(total);
                }
                return new double[] {total, bound == 0 ? 0 : bound + 0x1p-52 * partialMagnitudes};
            });
        }

        private interface SliceValue {
            double[] of(int from, int to);
        }

        int size() {
            return perExample[0].length;
        }

        int parameterCount() {
            return program.parameters().size();
        }
    }

    /** A node compared by identity, as a map key. */
    private record Identity(Expr node) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    private KernelChecks() {
    }

    /** loss, gradient..., gradient norm. */
    private static List<Expr> perExampleRoots(LossProgram program) {
        List<Expr> roots = new ArrayList<>();
        roots.add(program.loss());
        roots.addAll(program.gradient());
        roots.add(program.gradientNorm());
        return roots;
    }

    static double[] example(double[][] columns, int i) {
        double[] example = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            example[c] = columns[c][i];
        }
        return example;
    }

    /**
     * Compiles {@code loss} once, draws a batch of {@code size} examples from {@code seed} over
     * {@link ShapeLosses#value} ({@code wideValues}) or {@link ShapeLosses#moderateValue}, and checks each
     * shape's class (verified first) against one run of the interpreter. A loss the compiler refuses (an int
     * division by a constant zero) is not counted.
     */
    public static void assertEveryShape(LossCase loss, int size, long seed, boolean wideValues, List<CodeShape> shapes,
                                        PerExample rule) {
        assertEveryShape(loss, Program.LOSS, size, seed, wideValues, shapes, rule);
    }

    /** The classes compiled from one loss: the loss's own, and the auxiliary ones of second derivatives. */
    public enum Program {
        LOSS, HESSIAN_VECTOR_PRODUCT, HESSIAN_DIAGONAL, WEIGHTED,
        /** The loss's parameters taken as margins: per-example first and second derivatives. */
        MARGIN_DERIVATIVES;

        LossProgram compile(LossCase loss) {
            LossCompiler compiler = new LossCompiler();
            String source = "<expression>";
            return switch (this) {
                case LOSS -> compiler.compile(loss.source(), loss.parameters(), loss.inputs());
                case HESSIAN_VECTOR_PRODUCT -> compiler.compileHessianVectorProduct(loss.source(), loss.parameters(),
                        loss.inputs());
                case HESSIAN_DIAGONAL -> compiler.compileHessianDiagonal(loss.source(), source, loss.parameters(),
                        loss.inputs());
                case WEIGHTED -> compiler.compileWeighted(loss.source(), source, loss.parameters(), loss.inputs());
                case MARGIN_DERIVATIVES -> compiler.compileMarginDerivatives(loss.source(), source, loss.parameters(),
                        loss.inputs());
            };
        }
    }

    /**
     * As {@link #assertEveryShape(LossCase, int, long, boolean, List, PerExample)} for the class {@code which}
     * of the loss. A second-order program the compiler refuses as too large is not counted either.
     */
    public static void assertEveryShape(LossCase loss, Program which, int size, long seed, boolean wideValues,
                                        List<CodeShape> shapes, PerExample rule) {
        LossProgram program;
        try {
            program = which.compile(loss);
        } catch (CompileError e) {
            boolean refusedForItsOwnReason = e.reason().startsWith("loss too large")
                    || which == Program.MARGIN_DERIVATIVES && e.reason().startsWith("the loss does not depend on the margin");
            if (which == Program.LOSS || !refusedForItsOwnReason) {
                assertEquals("integer division by zero", e.reason(), loss.toString());
            }
            Assume.that(false);
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] params = ShapeLosses.values(random, program.parameters().size(), wideValues);
        double[][] columns = new double[program.inputs().size()][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = ShapeLosses.values(random, size, wideValues);
        }
        Expected expected = Expected.of(program, params, columns, rule);
        for (CodeShape shape : shapes) {
            byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, shape);
            GeneratedClassVerifier.verify(bytes);
            CompiledLoss compiled = HiddenClassDefiner.define(bytes);
            assertEveryKernel(expected, compiled, "of " + loss + " (" + which + ") in " + shape + ", batch of " + size
                    + " from seed " + seed);
        }
    }

    /**
     * Every shape of {@code backend}: each loop structure with both conditional forms, except the chunked
     * shape, which always jumps; the generator's own choice first.
     */
    public static List<CodeShape> shapes(Backend backend) {
        List<CodeShape> shapes = new ArrayList<>();
        for (CodeShape.Loops loops : CodeShape.Loops.values()) {
            for (CodeShape.Conditionals conditionals : CodeShape.Conditionals.values()) {
                if (loops != CodeShape.Loops.CHUNKED || conditionals == CodeShape.Conditionals.JUMP) {
                    shapes.add(new CodeShape(backend, loops, conditionals));
                }
            }
        }
        return shapes;
    }

    /** Fails unless every kernel of {@code loss} computes what the interpreter computes. */
    public static void assertEveryKernel(Expected expected, CompiledLoss loss, String where) {
        assertPerExampleKernels(expected, loss, expected.rule, where);
        assertSums(expected, loss, where);
    }

    private static void assertPerExampleKernels(Expected expected, CompiledLoss loss, PerExample rule, String where) {
        LossProgram program = expected.program;
        double[] params = expected.params;
        double[][] columns = expected.columns;
        int n = expected.size();
        int p = expected.parameterCount();
        double[][] want = expected.perExample;
        double[] losses = loss.perExampleLosses(params, columns);
        double[] lossesInto = new double[n];
        loss.perExampleLossesInto(params, columns, lossesInto);
        double[][] gradients = loss.perExampleGradients(params, columns);
        double[][] gradientsInto = new double[p][n];
        loss.perExampleGradientsInto(params, columns, gradientsInto);
        double[][] gradientsSplit = loss.perExampleGradients(params, columns, PARALLELISM);
        double[] norms = loss.perExampleGradientNorms(params, columns);
        double[] normsInto = new double[n];
        loss.perExampleGradientNormsInto(params, columns, normsInto);
        double[] gradientInto = new double[p];
        for (int i = 0; i < n; i++) {
            double[] example = example(columns, i);
            String at = " of example " + i + " (" + Arrays.toString(example) + ") " + where;
            // The one-example kernels are scalar code in every shape: bit for bit.
            assertEquals(want[0][i], loss.loss(params, example), "loss" + at);
            double[] gradient = loss.gradient(params, example);
            loss.gradientInto(params, example, gradientInto);
            rule.check(program.loss(), want[0][i], losses[i], params, example, "perExampleLosses" + at);
            rule.check(program.loss(), want[0][i], lossesInto[i], params, example, "perExampleLossesInto" + at);
            for (int k = 0; k < p; k++) {
                String component = "[" + program.parameters().get(k) + "]" + at;
                Expr root = program.gradient().get(k);
                assertEquals(want[1 + k][i], gradient[k], "gradient" + component);
                assertEquals(want[1 + k][i], gradientInto[k], "gradientInto" + component);
                rule.check(root, want[1 + k][i], gradients[k][i], params, example, "perExampleGradients" + component);
                rule.check(root, want[1 + k][i], gradientsInto[k][i], params, example,
                        "perExampleGradientsInto" + component);
                rule.check(root, want[1 + k][i], gradientsSplit[k][i], params, example,
                        "perExampleGradients on " + PARALLELISM + " threads" + component);
            }
            rule.check(program.gradientNorm(), want[1 + p][i], norms[i], params, example, "perExampleGradientNorms" + at);
            rule.check(program.gradientNorm(), want[1 + p][i], normsInto[i], params, example,
                    "perExampleGradientNormsInto" + at);
        }
    }

    private static void assertSums(Expected expected, CompiledLoss loss, String where) {
        LossProgram program = expected.program;
        double[] params = expected.params;
        double[][] columns = expected.columns;
        int p = expected.parameterCount();
        assertSum(expected, program.totalLoss(), params, 1, loss.totalLoss(params, columns), "totalLoss " + where);
        double[] into = new double[p];
        loss.sumOfPerExampleGradientsInto(params, columns, into);
        assertSums(expected, program.sumOfPerExampleGradients(), params, "sumOfPerExampleGradients", where,
                loss.sumOfPerExampleGradients(params, columns), into,
                loss.sumOfPerExampleGradients(params, columns, PARALLELISM));
        into = new double[p];
        loss.gradientOfSumInto(params, columns, into);
        assertSums(expected, program.gradientOfSum(), params, "gradientOfSum", where,
                loss.gradientOfSum(params, columns), into, loss.gradientOfSum(params, columns, PARALLELISM));
        for (double clipNorm : CLIP_NORMS) {
            into = new double[p];
            int skipped = loss.clippedGradientSumInto(params, columns, clipNorm, into);
            String kernel = "clippedGradientSum at C = " + clipNorm;
            assertClipped(expected, p, clipNorm, 1, skipped, "examples skipped by " + kernel + " " + where);
            double[] plain = loss.clippedGradientSum(params, columns, clipNorm);
            double[] threaded = loss.clippedGradientSum(params, columns, clipNorm, PARALLELISM);
            for (int k = 0; k < p; k++) {
                String what = kernel + "[" + k + "] " + where;
                assertClipped(expected, k, clipNorm, 1, plain[k], what);
                assertClipped(expected, k, clipNorm, 1, into[k], "...Into: " + what);
                assertClipped(expected, k, clipNorm, PARALLELISM, threaded[k], "on " + PARALLELISM + " threads: " + what);
            }
        }
    }

    /** One root per parameter; the plain, {@code ...Into} and threaded results. */
    private static void assertSums(Expected expected, List<Expr> roots, double[] params, String kernel, String where,
                                   double[] plain, double[] into, double[] threaded) {
        for (int k = 0; k < roots.size(); k++) {
            String what = kernel + "[" + k + "] " + where;
            assertSum(expected, roots.get(k), params, 1, plain[k], what);
            assertSum(expected, roots.get(k), params, 1, into[k], "...Into: " + what);
            assertSum(expected, roots.get(k), params, PARALLELISM, threaded[k], "on " + PARALLELISM + " threads: " + what);
        }
    }

    /**
     * Within the summation-order bound; exactly equal where the interpreter's value is not finite. Where
     * the bound is not finite an intermediate sum overflows, and the order decides which infinity or NaN
     * comes out: nothing to compare.
     */
    private static void assertClipped(Expected expected, int k, double clipNorm, int slices, double actual,
                                      String what) {
        assertWithin(expected.clippedSum(k, clipNorm, slices), actual, what);
    }

    private static void assertSum(Expected expected, Expr root, double[] params, int slices, double actual,
                                  String what) {
        assertWithin(expected.sum(root, params, slices), actual, what);
    }

    private static void assertWithin(double[] valueAndBound, double actual, String what) {
        double value = valueAndBound[0];
        double bound = valueAndBound[1];
        String message = what + ": expected " + value + " within " + bound + " but was " + actual;
        if (Double.isFinite(value) && Double.isFinite(bound)) {
            assertTrue(Math.abs(value - actual) <= bound, message);
        } else if (Double.isFinite(bound)) {
            assertEquals(value, actual, message);
        }
    }
}
