package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated class computes exactly what its IR says: the IR {@link Evaluator} is the reference for
 * every kernel. Per-example kernels perform the same operations in the same order as the interpreter,
 * so they must agree bit for bit (NaN and the sign of zero included); batch sums may add in another
 * order, so they agree within the summation-order bound of {@link SummationOrderBound}.
 */
class GeneratedCodeMatchesInterpreterTest {

    private final DerivativeOracle oracle = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 1);

    /**
     * The scalar backend's class, whichever backend this JVM selected: its kernels make the interpreter's
     * {@code Math} calls and IEEE operations, which is what these properties claim. {@code -Dtest=...} also
     * runs this class in the vector-backend execution, where the selected backend computes {@code tanh} by
     * its own formula (within 2 ulp; {@code Math.tanh(x)} at x = -0.35967675403119337 is -0.3449292785053819,
     * its lanes give -0.34492927850538196) and adds sums lane by lane: {@code VectorShapesMatchTheInterpreterTest}
     * checks that backend, within its error bound.
     */
    private static CompiledProgram compile(String source) {
        return CompiledProgram.compile(source, Backend.SCALAR);
    }

    @Provide
    Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    /** Deep losses, and separable ones whose batch sums route (b) and the total loss factor. */
    @Provide
    Arbitrary<String> deepOrSeparableLosses() {
        return Arbitraries.oneOf(RandomLosses.losses(), RandomLosses.separableLosses());
    }

    /** Values over the whole double range (the comparisons are exact, or within a bound that handles overflow). */
    @Provide
    Arbitrary<Batch> batches() {
        return Batch.wideBatches();
    }

    @Property(tries = 100)
    void compilesEveryLossExceptConstantIntegerDivisionByZero(@ForAll("losses") String source) {
        if (oracle.rejects(source)) {
            CompileError error = assertThrows(CompileError.class, () -> compile(source));
            assertEquals("integer division by zero", error.reason());
        } else {
            assertDoesNotThrow(() -> compile(source), source);
        }
    }

    @Property(tries = 200)
    void perExampleKernelsEqualTheInterpreterBitForBit(@ForAll("losses") String source, @ForAll("batches") Batch batch) {
        Assume.that(!oracle.rejects(source));
        CompiledProgram compiled = compile(source);
        LossProgram program = compiled.program();
        CompiledLoss loss = compiled.loss();
        double[] params = batch.params();
        double[] perExampleLosses = loss.perExampleLosses(params, batch.columns());
        double[][] perExampleGradients = loss.perExampleGradients(params, batch.columns());
        Evaluator gradient = new Evaluator(program.gradient());
        for (int i = 0; i < batch.size(); i++) {
            double[] example = batch.example(i);
            String where = source + " at example " + i + " of " + batch;
            double expectedLoss = Evaluator.value(program.loss(), params, example);
            double[] expectedGradient = gradient.values(program.gradient(), params, example);
            assertEquals(expectedLoss, loss.loss(params, example), "loss of " + where);
            assertEquals(expectedLoss, perExampleLosses[i], "perExampleLosses of " + where);
            assertArrayEquals(expectedGradient, loss.gradient(params, example), "gradient of " + where);
            for (int p = 0; p < expectedGradient.length; p++) {
                assertEquals(expectedGradient[p], perExampleGradients[p][i], "perExampleGradients[" + p + "] of " + where);
            }
        }
    }

    @Property(tries = 150)
    void perExampleGradientColumnsSumToRouteA(@ForAll("losses") String source, @ForAll("batches") Batch batch) {
        Assume.that(!oracle.rejects(source));
        CompiledLoss loss = compile(source).loss();
        double[][] perExample = loss.perExampleGradients(batch.params(), batch.columns());
        double[] routeA = loss.sumOfPerExampleGradients(batch.params(), batch.columns());
        for (int p = 0; p < routeA.length; p++) {
            double sum = 0;
            double absoluteSum = 0;
            for (double g : perExample[p]) {
                sum += g;
                absoluteSum += Math.abs(g);
            }
            Assume.that(Double.isFinite(absoluteSum));
            // Any two summation orders of N terms differ by at most 2(N-1)u Σ|g| (Higham, Accuracy and
            // Stability of Numerical Algorithms, §4.2), u = 2^-53.
            double tolerance = 2 * batch.size() * 0x1p-53 * absoluteSum;
            assertEquals(sum, routeA[p], tolerance, "parameter " + p + " of " + source + " for " + batch);
        }
    }

    @Property(tries = 200)
    void batchKernelsMatchTheInterpreterUpToSummationOrder(@ForAll("deepOrSeparableLosses") String source,
                                                           @ForAll("batches") Batch batch) {
        Assume.that(!oracle.rejects(source));
        CompiledProgram compiled = compile(source);
        LossProgram program = compiled.program();
        CompiledLoss loss = compiled.loss();
        double[] params = batch.params();
        double[][] columns = batch.columns();
        assertBatchValue(program.totalLoss(), loss.totalLoss(params, columns), batch, "totalLoss of " + source);
        double[] routeA = loss.sumOfPerExampleGradients(params, columns);
        double[] routeB = loss.gradientOfSum(params, columns);
        for (int p = 0; p < routeA.length; p++) {
            assertBatchValue(program.sumOfPerExampleGradients().get(p), routeA[p], batch,
                    "sumOfPerExampleGradients[" + p + "] of " + source);
            assertBatchValue(program.gradientOfSum().get(p), routeB[p], batch, "gradientOfSum[" + p + "] of " + source);
        }
    }

    private static void assertBatchValue(Expr root, double actual, Batch batch, String what) {
        double expected = Evaluator.batchValue(root, batch.params(), batch.columns());
        double bound = SummationOrderBound.of(root, batch.params(), batch.columns());
        String message = what + " for " + batch + ": expected " + expected + " within " + bound + " but was " + actual;
        if (Double.isFinite(expected) && Double.isFinite(bound)) {
            assertTrue(Math.abs(expected - actual) <= bound, message);
        } else if (!Double.isFinite(bound)) {
            return; // an intermediate sum overflows; the order decides which infinity or NaN comes out
        } else {
            assertEquals(expected, actual, message);
        }
    }
}
