package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.LazyKernelClasses;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.load.LazyKernelsLoss;
import dev.symgrad.compiler.properties.RandomLosses;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A run-time loss whose batch kernels are generated on first use ({@link LazyKernelsLoss}) computes what
 * the class holding every kernel computes, bit for bit, on every method, and prints the same loss and
 * derivatives; each kernel class verifies; a
 * kernel is defined once however many threads call it first; losses too large for the inline shapes keep
 * one class.
 */
class LazyKernelsTest {

    private static final List<String> PARAMETERS = RandomLosses.PARAMETERS;
    private static final List<String> INPUTS = RandomLosses.INPUTS;

    @Property(tries = 60)
    void everyMethodOfALazyLossEqualsTheClassWithEveryKernel(@ForAll("losses") String source) {
        LossProgram program;
        try {
            program = new LossCompiler().compile(source, PARAMETERS, INPUTS);
        } catch (dev.symgrad.compiler.diagnostic.CompileError e) {
            return; // an int division by a constant zero, refused as it should be
        }
        for (Backend backend : List.of(Backend.SCALAR, Backend.selected())) {
            CompiledLoss lazy = Symgrad.defineLoss(program, source, backend);
            assertInstanceOf(LazyKernelsLoss.class, lazy);
            CompiledLoss eager = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME,
                    backend));
            assertSameNumbers(eager, lazy, source + " on " + backend);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    static void assertSameNumbers(CompiledLoss eager, CompiledLoss lazy, String where) {
        Random random = new Random(where.hashCode());
        int p = eager.parameters().size();
        double[] params = new double[p];
        for (int k = 0; k < p; k++) {
            params[k] = random.nextGaussian();
        }
        double[][] columns = new double[eager.inputs().size()][1003];
        for (double[] column : columns) {
            for (int i = 0; i < column.length; i++) {
                column[i] = random.nextGaussian();
            }
        }
        double[] example = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            example[c] = columns[c][7];
        }
        assertEquals(eager.expression(), lazy.expression(), where);
        for (String parameter : eager.parameters()) {
            assertEquals(eager.derivative(parameter), lazy.derivative(parameter), where);
        }
        assertEquals(eager.loss(params, example), lazy.loss(params, example), 0, where);
        assertArrayEquals(eager.gradient(params, example), lazy.gradient(params, example), where);
        assertArrayEquals(eager.perExampleLosses(params, columns), lazy.perExampleLosses(params, columns), where);
        assertEquals(eager.totalLoss(params, columns), lazy.totalLoss(params, columns), 0, where);
        double[][] perExample = eager.perExampleGradients(params, columns);
        double[][] lazyPerExample = lazy.perExampleGradients(params, columns);
        for (int k = 0; k < p; k++) {
            assertArrayEquals(perExample[k], lazyPerExample[k], where);
        }
        assertArrayEquals(eager.sumOfPerExampleGradients(params, columns), lazy.sumOfPerExampleGradients(params, columns),
                where);
        assertArrayEquals(eager.gradientOfSum(params, columns), lazy.gradientOfSum(params, columns), where);
        assertArrayEquals(eager.gradientOfSum(params, columns, 3), lazy.gradientOfSum(params, columns, 3), where);
        assertArrayEquals(eager.clippedGradientSum(params, columns, 0.5), lazy.clippedGradientSum(params, columns, 0.5),
                where);
        assertArrayEquals(eager.perExampleGradientNorms(params, columns), lazy.perExampleGradientNorms(params, columns),
                where);
    }

    @Test
    void theMainClassAndEveryKernelClassVerify() {
        String source = "Math.log1p(Math.exp(-y * (w * x + b))) + (x > 0 ? w * w : Math.abs(b))";
        LossProgram program = new LossCompiler().compile(source, List.of("w", "b"), List.of("x", "y"));
        for (Backend backend : List.of(Backend.SCALAR, Backend.selected())) {
            GeneratedClassVerifier.verify(LazyKernelClasses.generateLoss(program, HiddenClassDefiner.CLASS_NAME,
                    backend));
            for (String kernel : LazyKernelsLoss.KERNELS) {
                GeneratedClassVerifier.verify(LazyKernelClasses.generateKernel(program, kernel,
                        HiddenClassDefiner.KERNEL_CLASS_NAME, backend));
            }
        }
    }

    @Test
    void concurrentFirstCallsDefineAKernelOnce() throws Exception {
        String source = "(w * x + b - y) * (w * x + b - y)";
        LossProgram program = new LossCompiler().compile(source, List.of("w", "b"), List.of("x", "y"));
        AtomicInteger definitions = new AtomicInteger();
        DeferredProgram deferred = new DeferredProgram(program, Backend.SCALAR, false);
        CompiledLoss loss = HiddenClassDefiner.defineWithLazyKernels(LazyKernelClasses.generateLoss(program,
                HiddenClassDefiner.CLASS_NAME, Backend.SCALAR), new LazyKernelsLoss.Deferred() {
                    @Override
                    public String expression() {
                        return deferred.expression();
                    }

                    @Override
                    public String derivative(int parameter) {
                        return deferred.derivative(parameter);
                    }

                    @Override
                    public dev.symgrad.compiler.load.BatchKernel kernel(String method) {
                        definitions.incrementAndGet();
                        return deferred.kernel(method);
                    }
                });
        double[][] columns = {{1, 2, 3}, {4, 5, 6}};
        double[] params = {0.5, -1};
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<double[]> call = () -> {
                    start.await();
                    return loss.gradientOfSum(params, columns);
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            double[] expected = {2 * ((0.5 - 1 - 4) * 1 + (1 - 1 - 5) * 2 + (1.5 - 1 - 6) * 3),
                    2 * ((0.5 - 1 - 4) + (1 - 1 - 5) + (1.5 - 1 - 6))};
            for (Future<double[]> result : results) {
                assertArrayEquals(expected, result.get(), 1e-12);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, definitions.get(), "route (b)'s class defined once");
        loss.totalLoss(params, columns);
        assertEquals(2, definitions.get(), "one more for the total loss");
    }

    @Test
    void aLossTooLargeForTheInlineShapesKeepsOneClass() {
        StringBuilder source = new StringBuilder("w * x");
        for (int k = 0; k < 300; k++) {
            source.append(" + Math.sin(w * x + ").append(k).append(") * Math.exp(b * y - ").append(k).append(")");
        }
        LossProgram program = new LossCompiler().compile(source.toString(), List.of("w", "b"), List.of("x", "y"));
        assertFalse(LazyKernelClasses.apply(program));
        CompiledLoss loss = Symgrad.defineLoss(program, source.toString(), Backend.SCALAR);
        assertFalse(loss instanceof LazyKernelsLoss);
        // Its printed forms are made when asked for, and are the text the build-time class holds as constants.
        assertEquals(program.printedLoss(), loss.expression());
        assertEquals(program.printedDerivatives(), List.of(loss.derivative("w"), loss.derivative("b")));
        for (Backend backend : List.of(Backend.SCALAR, Backend.selected())) {
            GeneratedClassVerifier.verify(ClassGenerator.generatePrintingLater(program, HiddenClassDefiner.CLASS_NAME,
                    backend));
        }
        double[] params = {0.3, -0.2};
        double[][] columns = {{0.5, -1.5, 2.0}, {1.0, 0.25, -0.5}};
        CompiledLoss buildTime = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        assertSameNumbers(buildTime, loss, "one class, printing later");
        assertEquals(buildTime.expression(), loss.expression());
    }
}
