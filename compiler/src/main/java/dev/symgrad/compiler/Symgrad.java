package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;

import java.util.List;

/**
 * The front door of the run-time compiler: a per-example loss in Java syntax becomes a
 * {@link CompiledLoss} backed by a freshly generated, garbage-collectable class.
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
        return CACHE.get(expression, parameters, inputs, () -> HiddenClassDefiner.define(
                generateClass(expression, parameters, inputs, HiddenClassDefiner.CLASS_NAME, Backend.selected())));
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
