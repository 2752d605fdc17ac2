package dev.symgrad.benchmarks;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark body runs once on a small batch and gives the right numbers; the suite itself runs
 * with {@code benchmarks/run.sh}, not in the test build.
 */
class BenchmarkSmokeTest {

    private static final List<String> IMPLEMENTATIONS = List.of(Implementations.SYMGRAD_RUNTIME,
            Implementations.SYMGRAD_BUILD_TIME, Implementations.SYMGRAD_SCALAR, Implementations.SYMGRAD_VECTOR,
            Implementations.STRAIGHTFORWARD, Implementations.BEST, Implementations.BEST_STABLE,
            Implementations.HIPPARCHUS_GRADIENT, Implementations.HIPPARCHUS_DERIVATIVE_STRUCTURE,
            Implementations.INTERPRETER);

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = {"W1", "W2", "W3", "W4"})
    void routeBenchmarkBodiesAgreeWithTheApi(Workload workload) {
        CompiledLoss reference = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        for (String implementation : IMPLEMENTATIONS) {
            RouteBenchmark benchmark = new RouteBenchmark();
            benchmark.workload = workload;
            benchmark.n = 17;
            benchmark.implementation = implementation;
            benchmark.setUp();
            double[] params = workload.parameterValues();
            double[][] columns = workload.columns(17);
            double[] routeB = reference.gradientOfSum(params, columns);
            double tolerance = 1e-9 * (1 + java.util.Arrays.stream(routeB).map(Math::abs).sum());
            double[][] expected = reference.perExampleGradients(params, columns);
            double[][] actual = benchmark.perExampleGradients();
            for (int p = 0; p < expected.length; p++) {
                // Hand-written and forward-mode code round differently from the generated code.
                assertArrayEquals(expected[p], actual[p], 1e-12 * (1 + java.util.Arrays.stream(expected[p])
                        .map(Math::abs).max().orElse(0)), implementation + ", parameter " + p);
            }
            assertArrayEquals(routeB, benchmark.sumOfPerExampleGradients().clone(), tolerance, implementation);
            assertArrayEquals(routeB, benchmark.gradientOfSum().clone(), tolerance, implementation);
        }
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void compileLatencyBodiesRun(Workload workload) throws Exception {
        CompileLatencyBenchmark warm = new CompileLatencyBenchmark();
        warm.workload = workload;
        warm.setUp();
        double loss = warm.symgrad();
        assertEquals(loss, warm.janino(), 1e-9 * (1 + Math.abs(loss)), "Janino's class computes the same loss");
        ColdCompileBenchmark cold = new ColdCompileBenchmark();
        cold.workload = workload;
        ColdCompileBenchmark.JaninoInput input = new ColdCompileBenchmark.JaninoInput();
        input.setUp(cold);
        assertEquals(cold.symgrad(), cold.janino(input), 1e-9 * (1 + Math.abs(loss)));
    }

    @Test
    void conditionalBenchmarkBodiesAgreeWithTheHandDifferentiatedLoss() {
        double[] params = {0.5, 0.1};
        double[][] columns = ConditionalBenchmark.batches(1000)[0];
        double[][] expectedPerExample = new double[2][1000];
        ConditionalBenchmark.handWrittenPerExample(params, columns, expectedPerExample);
        double[] expectedSum = new double[2];
        ConditionalBenchmark.handWrittenGradientOfSum(params, columns, expectedSum);
        for (String implementation : List.of("symgrad", "symgradJumps", "handWritten")) {
            // A fresh benchmark per body: each call moves on to the next batch.
            double[][] perExample = conditionalBenchmark(implementation).perExampleGradients();
            for (int p = 0; p < 2; p++) {
                assertArrayEquals(expectedPerExample[p], perExample[p], 1e-12, implementation + ", parameter " + p);
            }
            assertArrayEquals(expectedSum, conditionalBenchmark(implementation).gradientOfSum(), 1e-9, implementation);
        }
        assertTrue(expectedSum[0] != 0 && expectedPerExample[0][0] != expectedPerExample[0][1]);
    }

    @Test
    void clippingBenchmarkBodiesAgreeWithTheHandWrittenLoss() {
        ClippingBenchmark symgrad = clippingBenchmark("symgrad");
        ClippingBenchmark handWritten = clippingBenchmark("handWritten");
        double[][] expected = handWritten.perExampleGradients();
        double[][] actual = symgrad.perExampleGradients();
        for (int p = 0; p < expected.length; p++) {
            assertArrayEquals(expected[p], actual[p], 1e-12, "parameter " + p);
        }
        assertArrayEquals(handWritten.gradientOfSum().clone(), symgrad.gradientOfSum().clone(), 1e-9);
        assertArrayEquals(handWritten.sumOfPerExampleGradients().clone(), symgrad.sumOfPerExampleGradients().clone(), 1e-9);
        double[] clipped = symgrad.clippedGradientSum().clone();
        assertArrayEquals(handWritten.clippedGradientSum().clone(), clipped, 1e-9);
        double[] unclipped = symgrad.gradientOfSum().clone();
        assertTrue(java.util.Arrays.stream(clipped).map(Math::abs).sum()
                < java.util.Arrays.stream(unclipped).map(Math::abs).sum(), "C = 1 clips some examples");
    }

    private static ClippingBenchmark clippingBenchmark(String implementation) {
        ClippingBenchmark benchmark = new ClippingBenchmark();
        benchmark.implementation = implementation;
        benchmark.n = 1001;
        benchmark.setUp();
        return benchmark;
    }

    private static ConditionalBenchmark conditionalBenchmark(String implementation) {
        ConditionalBenchmark benchmark = new ConditionalBenchmark();
        benchmark.implementation = implementation;
        benchmark.n = 1000;
        benchmark.setUp();
        return benchmark;
    }

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = {"W1", "W2", "W3", "W4"})
    void parallelBenchmarkBodyAgreesWithOneThread(Workload workload) {
        ParallelBenchmark benchmark = new ParallelBenchmark();
        benchmark.workload = workload;
        benchmark.parallelism = 2;
        benchmark.n = 1001;
        benchmark.setUp();
        CompiledLoss reference = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        double[] expected = reference.gradientOfSum(workload.parameterValues(), workload.columns(1001));
        double tolerance = 1e-9 * (1 + java.util.Arrays.stream(expected).map(Math::abs).sum());
        assertArrayEquals(expected, benchmark.gradientOfSum(), tolerance);
    }

    @ParameterizedTest
    @EnumSource(DigitsModel.class)
    void digitsBenchmarkBodiesAgreeWithTheApi(DigitsModel model) {
        CompiledLoss reference = model.compile();
        double[] params = model.parameterValues();
        double[][] columns = Digits.columns(Digits.ROWS);
        double[] routeB = reference.gradientOfSum(params, columns);
        double[] clipped = reference.clippedGradientSum(params, columns, model.clipNorm());
        double[] norms = reference.perExampleGradientNorms(params, columns);
        double[] perExampleRow = reference.perExampleGradients(params, columns)[params.length - 1];
        double tolerance = 1e-9 * (1 + java.util.Arrays.stream(routeB).map(Math::abs).sum());
        for (String implementation : List.of("symgrad", Implementations.STRAIGHTFORWARD, Implementations.BEST)) {
            DigitsModelBenchmark benchmark = new DigitsModelBenchmark();
            benchmark.model = model;
            benchmark.implementation = implementation;
            benchmark.setUp();
            String what = model + ", " + implementation;
            assertArrayEquals(routeB, benchmark.gradientOfSum().clone(), tolerance, what);
            assertArrayEquals(routeB, benchmark.sumOfPerExampleGradients().clone(), tolerance, what);
            assertArrayEquals(clipped, benchmark.clippedGradientSum().clone(), tolerance, what);
            assertArrayEquals(norms, benchmark.perExampleGradientNorms(), 1e-9, what);
            assertArrayEquals(perExampleRow, benchmark.perExampleGradients()[params.length - 1], 1e-12, what);
        }
    }

    @Test
    void largeLossHasAboutTenThousandNodesAndASmallGradient() {
        var program = new dev.symgrad.compiler.LossCompiler().compile(Workload.W5.expression(),
                Workload.W5.parameters(), Workload.W5.inputs());
        int nodes = dev.symgrad.compiler.ir.Graph.size(List.of(program.loss()));
        assertTrue(nodes > 5_000 && nodes < 20_000, "W5 has " + nodes + " nodes");
        int lossOperations = LargeLossReport.operations(List.of(program.loss()));
        int gradientOperations = LargeLossReport.operations(program.gradient());
        assertTrue(gradientOperations <= 4 * lossOperations, gradientOperations + " vs " + lossOperations);
        byte[] bytes = dev.symgrad.compiler.codegen.ClassGenerator.generate(program, "dev/symgrad/benchmarks/W5");
        assertTrue(LargeLossReport.largestMethod(bytes) <= 8000);
    }
}
