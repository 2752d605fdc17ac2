package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.IndexedLossProgram;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.codegen.LazyKernelClasses;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.simplify.OverflowNotes;
import dev.symgrad.runtime.CompiledLoss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The front door of the run-time compiler: a per-example loss in Java syntax becomes a
 * {@link CompiledLoss} backed by a freshly generated, garbage-collectable class; so does a loss kept as
 * a static Java method ({@link #compileMethod}), whose arrays and loops stay loops.
 *
 * <pre>{@code
 * CompiledLoss loss = Symgrad.compile("(w * x) * (w * x)", List.of("w"), List.of("x"));
 * double[] routeA = loss.sumOfPerExampleGradients(new double[] {1}, new double[][] {{1, 2}}); // [10.0]
 * double[] routeB = loss.gradientOfSum(new double[] {1}, new double[][] {{1, 2}});            // [10.0]
 * }</pre>
 *
 * The text is parsed, never executed: only arithmetic, comparisons, conditionals, the declared names
 * and a fixed list of {@code Math} functions are accepted. Safe to call from many threads. Recently
 * compiled losses are kept in a bounded {@link CompileCache} (system property
 * {@value CompileCache#SIZE_PROPERTY}, default {@value CompileCache#DEFAULT_SIZE}, 0 disables it).
 */
public final class Symgrad {

    private static final CompileCache CACHE = CompileCache.configured();
    /** Created on first use: the logging framework's classes are a cold start's cost otherwise. */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("dev.symgrad");
    }

    private Symgrad() {
    }

    /**
     * Compiles {@code expression} with the given parameters (differentiated) and inputs (per-example data).
     * The same expression and names give the same instance while it is in the cache.
     *
     * @throws CompileError             if the expression is not a valid loss; its message points at the spot
     * @throws IllegalArgumentException if the names are not distinct Java identifiers
     */
    public static CompiledLoss compile(String expression, List<String> parameters, List<String> inputs) {
        return CACHE.get(expression, parameters, inputs, () -> defineLoss(
                new LossCompiler().compile(expression, parameters, inputs), expression));
    }

    /**
     * The loaded loss of {@code program}. Where {@link LazyKernelClasses#apply} holds, the batch
     * kernels are generated when first called, each in a class of its own, and the printed forms when asked
     * for, so a compile costs the front end and a small class; otherwise one class holds every kernel, as
     * the build plugin writes it.
     */
    static CompiledLoss defineLoss(LossProgram program, String expression, Backend backend) {
        return defineLoss(program, ExpressionParser.EXPRESSION_SOURCE, expression, backend, false);
    }

    /** {@link #defineLoss(LossProgram, String, Backend)} on the selected backend, tiered if it is. */
    static CompiledLoss defineLoss(LossProgram program, String expression) {
        return load(program, ExpressionParser.EXPRESSION_SOURCE, expression);
    }

    /**
     * Loads a program compiled by {@link LossCompiler} from {@code source} (named {@code sourceName} in
     * errors) as {@link #compile} loads its own: batch kernels on first call, on the selected backend, tiered
     * if it is ({@link Backend#tiered()}). Not cached.
     *
     * @throws CompileError if the loss is too large for a class file
     */
    public static CompiledLoss load(LossProgram program, String sourceName, String source) {
        return defineLoss(program, sourceName, source, Backend.selected(), Backend.tiered());
    }

    /**
     * With {@code tiered}, each vector batch kernel stands behind its scalar twin until warm-up has shown it
     * faster ({@link dev.symgrad.compiler.load.TieredKernel}).
     */
    static CompiledLoss defineLoss(LossProgram program, String sourceName, String expression, Backend backend,
                                   boolean tiered) {
        String source = sourceName;
        if (!LazyKernelClasses.apply(program)) {
            // A one-class loss has no notes() of its own, so its notes go to the log.
            for (String note : OverflowNotes.of(program.loss())) {
                Log.LOGGER.log(System.Logger.Level.INFO, "symgrad: note: " + note);
            }
            // Printed when asked for, as the lazy path's are.
            DeferredProgram printing = new DeferredProgram(program, backend, false);
            return HiddenClassDefiner.define(LossCompiler.generateClassPrintingLater(program,
                    HiddenClassDefiner.CLASS_NAME, source, expression, backend), printing::expression,
                    printing::derivative);
        }
        return HiddenClassDefiner.defineWithLazyKernels(
                LazyKernelClasses.generateLoss(program, HiddenClassDefiner.CLASS_NAME, backend),
                new DeferredProgram(program, backend, tiered));
    }

    /**
     * Compiles an expression loss with its second derivatives ({@link SecondOrderLoss}): Hessian-vector
     * products of the summed loss, the Hessian's diagonal, per-example Hessians and the Jacobian products of
     * the per-example losses, for Newton-type optimizers and preconditioners. The Hessian-vector class is
     * compiled now; the diagonal's and the vector-Jacobian product's on first use; each is defined as
     * {@link #compile} defines a loss, batch kernels on first call. Not cached.
     *
     * @throws CompileError             if the expression is not a valid loss
     * @throws IllegalArgumentException if the names are not distinct Java identifiers
     */
    public static SecondOrderLoss compileSecondOrder(String expression, List<String> parameters, List<String> inputs) {
        CompiledLoss loss = compile(expression, parameters, inputs);
        LossCompiler compiler = new LossCompiler();
        String source = ExpressionParser.EXPRESSION_SOURCE;
        LossProgram directional = compiler.compileHessianVectorProduct(expression, parameters, inputs);
        return new SecondOrderLoss(loss, defineLoss(directional, expression),
                () -> defineLoss(compiler.compileHessianDiagonal(expression, source, parameters, inputs), expression),
                () -> defineLoss(compiler.compileWeighted(expression, source, parameters, inputs), expression));
    }

    /**
     * Compiles the per-example first and second derivatives of {@code expression} with respect to its
     * {@code margins} ({@link MarginDerivatives}), for a gradient-boosting library's custom objective:
     *
     * <pre>{@code
     * MarginDerivatives d = Symgrad.compileMarginDerivatives("Math.log1p(Math.exp(-y * m))", List.of("m"), List.of("y"));
     * }</pre>
     *
     * The same expression and names give the same instance while it is in the cache.
     *
     * @param margins the names the loss gives the predicted raw scores, one per output (several for multi-class)
     * @param inputs  the other per-example inputs, such as the label
     * @throws CompileError             if the expression is not a valid loss or does not use every margin
     * @throws IllegalArgumentException if the names are not distinct Java identifiers, or margins is empty
     */
    public static MarginDerivatives compileMarginDerivatives(String expression, List<String> margins,
                                                             List<String> inputs) {
        if (margins == null || inputs == null) {
            throw new IllegalArgumentException("margin and input lists must not be null");
        }
        // The NUL cannot start a loss string, so these never share a key with a loss of the same text.
        CompiledLoss kernels = CACHE.get("\0margins\n" + expression, margins, inputs, () -> defineLoss(
                new LossCompiler().compileMarginDerivatives(expression, ExpressionParser.EXPRESSION_SOURCE, margins,
                        inputs), expression));
        return new MarginDerivatives(kernels, LossCompiler.elements(margins).size());
    }

    /**
     * Compiles a loss kept as a static Java method ({@link #compileMethod}) with its second derivatives
     * ({@link SecondOrderLoss}); arrays and loops stay loops in the second-order classes too. The Hessian's
     * diagonal is generated for expression losses only ({@link SecondOrderLoss#hasHessianDiagonal()}). Not
     * cached.
     *
     * @throws CompileError as {@link #compileMethod}
     */
    public static SecondOrderLoss compileMethodSecondOrder(String source, String methodName, List<String> wrt,
                                                           Map<String, List<Integer>> shapes) {
        CompiledLoss loss = compileMethod(source, methodName, wrt, shapes);
        LossCompiler compiler = new LossCompiler();
        IndexedLossProgram directional = compiler.compileMethodHessianVectorProduct(source, METHOD_SOURCE,
                methodName, wrt, shapes);
        return new SecondOrderLoss(loss, HiddenClassDefiner.define(
                ClassGenerator.generate(directional, HiddenClassDefiner.CLASS_NAME)), null,
                () -> HiddenClassDefiner.define(compiler.compileMethodWeighted(source, METHOD_SOURCE, methodName, wrt,
                        shapes).generateClass(HiddenClassDefiner.CLASS_NAME, METHOD_SOURCE, source, Backend.selected())));
    }

    /** The file name a method's source text has in error messages. */
    public static final String METHOD_SOURCE = "<method>";

    /**
     * Compiles a loss kept as a static Java method, given the text of a source file (or of just the
     * class around the method): the run-time door to what the build plugin and {@code symgrad compile
     * --source} do, giving the same class bytes as the plugin. Arrays and loops stay arrays and loops:
     *
     * <pre>{@code
     * CompiledLoss loss = Symgrad.compileMethod(source, "logistic", List.of("w", "b"),
     *         Map.of("w", List.of(30), "z", List.of(30)));
     * }</pre>
     *
     * The text is parsed, never compiled by javac or run. The same text, method, parameters and shapes give
     * the same instance while it is in the cache.
     *
     * @param wrt    the method parameters to differentiate, in any order (the loss's parameters keep the
     *               method's declaration order); empty means the first
     * @param shapes the shape of each array parameter: {@code [30]} for a {@code double[]}, {@code [32, 64]}
     *               for a {@code double[][]}, whose elements lie row-major in the flat parameter array
     * @throws CompileError if the method is missing, outside the supported subset, or the shapes do not fit
     *                      it; the message points into the text
     */
    public static CompiledLoss compileMethod(String source, String methodName, List<String> wrt,
                                             Map<String, List<Integer>> shapes) {
        if (source == null || methodName == null || wrt == null || shapes == null) {
            throw new IllegalArgumentException("source, method name, wrt and shapes must not be null");
        }
        List<String> shapeKey = new ArrayList<>();
        shapes.forEach((name, shape) -> shapeKey.add(name + "=" + shape));
        Collections.sort(shapeKey);
        // The NUL cannot start a loss string, so a method never shares a key with an expression.
        return CACHE.get("\0method " + methodName + "\n" + source, wrt, shapeKey, () -> {
            LossCompiler.MethodLoss loss = new LossCompiler().compileMethod(source, METHOD_SOURCE, methodName, wrt,
                    shapes);
            // A method's class is one class, with no notes() of its own: its notes go to the log.
            for (String note : loss.notes()) {
                Log.LOGGER.log(System.Logger.Level.INFO, "symgrad: note on " + methodName + ": " + note);
            }
            return HiddenClassDefiner.define(loss.generateClass(HiddenClassDefiner.CLASS_NAME, METHOD_SOURCE, source,
                    Backend.selected()));
        });
    }

    /** The cache {@link #compile} consults, sized by {@value CompileCache#SIZE_PROPERTY} when this class loads. */
    public static CompileCache cache() {
        return CACHE;
    }

    /**
     * The class file {@link #compile} would load with the scalar backend, named {@code internalName}: for
     * tools and the build plugin, whose classes must run on any JVM.
     */
    public static byte[] generateClass(String expression, List<String> parameters, List<String> inputs,
                                       String internalName) {
        return generateClass(expression, parameters, inputs, internalName, Backend.SCALAR);
    }

    /** The class file of the loss with the batch loops of {@code backend}. */
    public static byte[] generateClass(String expression, List<String> parameters, List<String> inputs,
                                       String internalName, Backend backend) {
        LossProgram program = new LossCompiler().compile(expression, parameters, inputs);
        return LossCompiler.generateClass(program, internalName, ExpressionParser.EXPRESSION_SOURCE, expression,
                backend);
    }
}
