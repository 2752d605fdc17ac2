package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random indexed losses ({@link RandomIndexedLosses}): every loop kernel equals the indexed interpreter,
 * and the symbolic gradient of smooth ones matches central differences of the interpreted loss (an
 * oracle that does not use the reverse mode).
 */
class IndexedKernelsMatchTheInterpreterTest {

    @Property(tries = 150)
    void everyKernelEqualsTheInterpreter(@ForAll long seed) {
        IndexedLossProgram program = RandomIndexedLosses.program(seed, false);
        Random random = new Random(seed);
        // 1 to 10 examples (fewer than LoopEmitter.JAM, a multiple of it, and groups with some left over),
        // or, one time in four, a full block of ExampleLanes.MIN_LANES examples and part of another.
        int examples = random.nextInt(4) == 0 ? ExampleLanes.MIN_LANES + 1 + random.nextInt(ExampleLanes.MIN_LANES - 1)
                : 1 + random.nextInt(10);
        IndexedKernelChecks.assertKernelsMatchTheInterpreter(program, values(random, program.parameterCount()),
                columns(random, program.inputCount(), examples));
    }

    @Property(tries = 100)
    void gradientOfSmoothLossesMatchesCentralDifferences(@ForAll long seed) {
        IndexedLossProgram program = RandomIndexedLosses.program(seed, true);
        Random random = new Random(seed);
        double[] params = values(random, program.parameterCount());
        double[] example = values(random, program.inputCount());
        double[] gradient = IndexedKernelChecks.gradient(program, new IndexedEvaluator(params, example));
        for (int p = 0; p < params.length; p++) {
            double h = 1e-6;
            double[] up = params.clone();
            double[] down = params.clone();
            up[p] += h;
            down[p] -= h;
            double difference = (new IndexedEvaluator(up, example).value(program.loss())
                    - new IndexedEvaluator(down, example).value(program.loss())) / (2 * h);
            double scale = Math.max(1, Math.max(Math.abs(difference), Math.abs(gradient[p])));
            assertEquals(difference, gradient[p], 1e-5 * scale, "∂/∂ parameter " + p + " of " + program.printedLoss());
        }
    }

    /** The generator makes what the property claims to test: sums, nested sums, the local array, fixed positions. */
    @Test
    void randomLossesAreNotTrivial() {
        int withSum = 0;
        int nested = 0;
        int readingH = 0;
        int featureMajor = 0;
        int withMaximum = 0;
        for (long seed = 0; seed < 200; seed++) {
            IndexedLossProgram program = RandomIndexedLosses.program(seed, false);
            featureMajor += new LoopKernels(program).parametersSummedFeatureMajor().isEmpty() ? 0 : 1;
            List<Node> nodes = Graph.topologicalOrder(List.of(program.loss()));
            long sums = nodes.stream().filter(node -> node instanceof Sum).count();
            withSum += sums > 1 ? 1 : 0;
            nested += nodes.stream().anyMatch(node -> node instanceof Sum outer
                    && Graph.topologicalOrder(List.of(outer.body())).stream().anyMatch(inner -> inner instanceof Sum))
                    ? 1 : 0;
            readingH += program.printedLoss().contains("a1[") ? 1 : 0;
            withMaximum += nodes.stream().anyMatch(node -> node instanceof Sum sum && sum.isMaximum()) ? 1 : 0;
        }
        assertTrue(withMaximum > 30, withMaximum + " of 200 losses have a log-sum-exp's maximum");
        assertTrue(withSum > 100, withSum + " of 200 losses have a sum besides the local array's");
        assertTrue(nested > 40, nested + " of 200 losses have nested sums");
        assertTrue(readingH > 60, readingH + " of 200 losses read the local array");
        assertTrue(featureMajor > 20, featureMajor + " of 200 losses add w's batch sums feature-major");
    }

    private static double[] values(Random random, int n) {
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = 2 * random.nextDouble() - 1;
        }
        return values;
    }

    private static double[][] columns(Random random, int inputs, int examples) {
        double[][] columns = new double[inputs][];
        for (int c = 0; c < inputs; c++) {
            columns[c] = values(random, examples);
        }
        return columns;
    }
}
