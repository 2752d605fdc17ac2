package dev.symgrad.compiler;

import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments to a compiled loss get an IllegalArgumentException that names the mismatch. */
class ArgumentCheckingTest {

    private final CompiledLoss loss = Symgrad.compile("(w * x + b - y) * (w * x + b - y)", List.of("w", "b"),
            List.of("x", "y"));
    private final double[] params = {1.0, 2.0};
    private final double[][] batch = {{1.0, 2.0, 3.0}, {0.0, 1.0, 0.0}};

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    @Nested
    class Rejects {

        @Test
        void raggedColumns() {
            assertRejected(() -> loss.gradientOfSum(params, new double[][] {{1, 2, 3}, {1, 2}}),
                    "ragged", "column 1", "'y'", "2 rows", "3");
        }

        @Test
        void wrongNumberOfColumns() {
            assertRejected(() -> loss.sumOfPerExampleGradients(params, new double[][] {{1, 2, 3}}), "1 columns", "2 inputs");
        }

        @Test
        void nullColumn() {
            assertRejected(() -> loss.totalLoss(params, new double[][] {{1.0}, null}), "column 1", "'y'", "null");
        }

        @Test
        void wrongNumberOfParameters() {
            assertRejected(() -> loss.gradientOfSum(new double[] {1.0}, batch), "params has 1", "2 parameters");
        }

        @Test
        void wrongExampleLength() {
            assertRejected(() -> loss.loss(params, new double[] {1.0, 2.0, 3.0}), "example has 3", "2 inputs");
        }

        @Test
        void outputOfWrongLength() {
            assertRejected(() -> loss.gradientOfSumInto(params, batch, new double[3]), "out has length 3");
            assertRejected(() -> loss.perExampleLossesInto(params, batch, new double[2]), "length 2", "batch size is 3");
            assertRejected(() -> loss.perExampleGradientsInto(params, batch, new double[][] {new double[3], new double[2]}),
                    "out[1]", "'b'");
        }

        @Test
        void unknownParameterName() {
            assertRejected(() -> loss.derivative("q"), "unknown parameter 'q'");
        }

        @Test
        void batchOfALossWithoutInputs() {
            CompiledLoss constant = Symgrad.compile("w * w", List.of("w"), List.of());
            assertRejected(() -> constant.gradientOfSum(new double[] {1.0}, new double[0][]), "no inputs");
            assertEquals(4.0, constant.loss(new double[] {2.0}, new double[0]));
        }
    }

    @Test
    void acceptsAnEmptyBatch() {
        double[][] empty = {{}, {}};
        assertArrayEquals(new double[] {0.0, 0.0}, loss.gradientOfSum(params, empty));
        assertArrayEquals(new double[] {0.0, 0.0}, loss.sumOfPerExampleGradients(params, empty));
        assertEquals(0.0, loss.totalLoss(params, empty));
        assertEquals(0, loss.perExampleGradients(params, empty)[0].length);
    }

    @Test
    void intoVariantsWriteIntoTheCallersArrays() {
        double[] out = new double[2];
        loss.gradientOfSumInto(params, batch, out);
        assertArrayEquals(loss.gradientOfSum(params, batch), out);
        double[][] rows = new double[2][3];
        loss.perExampleGradientsInto(params, batch, rows);
        assertArrayEquals(loss.perExampleGradients(params, batch), rows);
    }
}
