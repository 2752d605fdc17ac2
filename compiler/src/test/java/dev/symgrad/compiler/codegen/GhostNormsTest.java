package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The squared gradient norm derived from the gradient's structure ({@code diff.GhostNorms}) against the
 * direct form, {@code Σ g_p²} of the materialized gradient, and its shape: a layer's outer-product block
 * costs a sum per factor, not a sum over the block.
 */
class GhostNormsTest {

    @Test
    void aLayersBlockIsTwoSumsNotOneOverTheProduct() {
        IndexedLossProgram program = IndexedLosses.network(5, 4, 3);
        // Within the norm (arrays it reads aside), no loop runs inside another's: Σ_m Σ_j (δ_m·x_j)² would.
        IndexedAnalysis analysis = new IndexedAnalysis(List.of(program.squaredNorm()));
        for (Node node : Graph.topologicalOrder(List.of(program.squaredNorm()), node -> node instanceof Comprehension)) {
            if (node instanceof Sum outer) {
                boolean nested = Graph.topologicalOrder(List.of(outer.body()), inner -> inner instanceof Comprehension)
                        .stream().anyMatch(inner -> inner instanceof Sum sum && sum != outer
                                && analysis.dependsOn(sum.body(), outer.index()));
                assertTrue(!nested, "a sum inside the sum over " + outer.index());
            }
        }
        assertDirectAndGhostAgree(program, new Random(3));
    }

    /** Where the structural sum of squares overflows or underflows, the norms kernel forms the gradient instead. */
    @Test
    void normsOfHugeAndTinyGradientsComeFromTheScaledDirectForm() {
        IndexedLossProgram program = IndexedLosses.logistic(13);
        CompiledLoss loss = HiddenClassDefiner.define(ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME));
        // The gradient is -s·(z, 1)·sigmoid(-s·t) with t near 0: huge features, or a tiny label s.
        double[][] featuresAndLabel = {{1e200, 1}, {1, 1e-200}, {1, 1}};
        for (double[] scales : featuresAndLabel) {
            double[] params = new double[14];
            double[][] columns = new double[14][3];
            Random random = new Random(5);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 13; j++) {
                    columns[j][i] = scales[0] * (random.nextDouble() + 0.5);
                }
                columns[13][i] = scales[1];
            }
            double[] norms = loss.perExampleGradientNorms(params, columns);
            double[][] gradients = loss.perExampleGradients(params, columns);
            for (int i = 0; i < 3; i++) {
                double largest = 0;
                for (double[] gradient : gradients) {
                    largest = Math.max(largest, Math.abs(gradient[i]));
                }
                double scaled = 0;
                for (double[] gradient : gradients) {
                    scaled += (gradient[i] / largest) * (gradient[i] / largest);
                }
                double expected = Math.sqrt(scaled) * largest;
                assertTrue(Double.isFinite(expected) && expected > 0, "reference " + expected);
                assertEquals(expected, norms[i], 1e-14 * expected, "scales " + java.util.Arrays.toString(scales));
            }
        }
    }

    @Property(tries = 150)
    void equalsTheDirectSumOfSquaresOnRandomLosses(@ForAll long seed) {
        assertDirectAndGhostAgree(RandomIndexedLosses.program(seed, false), new Random(seed));
    }

    private static void assertDirectAndGhostAgree(IndexedLossProgram program, Random random) {
        double[] params = new double[program.parameterCount()];
        double[] example = new double[program.inputCount()];
        for (int point = 0; point < 5; point++) {
            for (int p = 0; p < params.length; p++) {
                params[p] = 2 * random.nextDouble() - 1;
            }
            for (int c = 0; c < example.length; c++) {
                example[c] = 2 * random.nextDouble() - 1;
            }
            IndexedEvaluator evaluator = new IndexedEvaluator(params, example);
            double direct = 0;
            for (double g : IndexedKernelChecks.gradient(program, evaluator)) {
                direct += g * g;
            }
            double ghost = evaluator.value(program.squaredNorm());
            if (Double.isFinite(direct)) {
                assertEquals(direct, ghost, 1e-12 * direct, program.printedLoss());
            } else {
                assertTrue(!Double.isFinite(ghost), "direct " + direct + ", ghost " + ghost);
            }
        }
    }
}
