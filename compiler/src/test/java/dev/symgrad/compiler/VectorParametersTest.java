package dev.symgrad.compiler;

import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameters and inputs declared with a length, {@code w[3]}, used element by element. */
class VectorParametersTest {

    private static final String VECTOR_LOSS = "(w[0] * x[0] + w[1] * x[1] + w[2 - 0] * x[1 + 1] + b - y)"
            + " * (w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b - y)";

    private static final String SCALAR_LOSS = "(w0 * x0 + w1 * x1 + w2 * x2 + b - y) * (w0 * x0 + w1 * x1 + w2 * x2 + b - y)";

    @Test
    void elementsAreParametersInDeclarationOrder() {
        CompiledLoss loss = Symgrad.compile(VECTOR_LOSS, List.of("w[3]", "b"), List.of("x[3]", "y"));
        assertEquals(List.of("w[0]", "w[1]", "w[2]", "b"), loss.parameters());
        assertEquals(List.of("x[0]", "x[1]", "x[2]", "y"), loss.inputs());
        assertEquals("2.0 * (x[1] * (b + (w[0] * x[0] + w[1] * x[1] + w[2] * x[2]) - y))", loss.derivative("w[1]"));
    }

    @Test
    void aVectorLossComputesWhatTheScalarLossComputes() {
        CompiledLoss vector = Symgrad.compile(VECTOR_LOSS, List.of("w[3]", "b"), List.of("x[3]", "y"));
        CompiledLoss scalar = Symgrad.compile(SCALAR_LOSS, List.of("w0", "w1", "w2", "b"), List.of("x0", "x1", "x2", "y"));
        double[] params = {0.3, -1.2, 0.7, 0.1};
        double[][] columns = {{1, 2, 3}, {-1, 0.5, 2}, {0.25, 4, -3}, {1, 0, 2}};
        assertArrayEquals(scalar.gradientOfSum(params, columns), vector.gradientOfSum(params, columns));
        assertArrayEquals(scalar.sumOfPerExampleGradients(params, columns), vector.sumOfPerExampleGradients(params, columns));
        assertArrayEquals(scalar.perExampleGradients(params, columns)[2], vector.perExampleGradients(params, columns)[2]);
        GeneratedClassVerifier.verify(Symgrad.generateClass(VECTOR_LOSS, List.of("w[3]", "b"), List.of("x[3]", "y"),
                "test/Vector"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "w[3] * x[0]         | 1:3 | index 3 is out of range for w[3] (0 to 2)",
            "w[-1] * x[0]        | 1:3 | index -1 is out of range for w[3] (0 to 2)",
            "w[y > 0 ? 1 : 0]    | 1:3 | the index of w must be a constant int expression, like w[2] or w[1 + 1]",
            "w[x[0]] * x[0]      | 1:2 | arrays are not allowed in a loss; only an element of a declared vector, like w[0]",
            "w[0.5] * x[0]       | 1:3 | the index of w must be a constant int expression, like w[2] or w[1 + 1]",
            "w * x[0]            | 1:1 | 'w' is a vector of 3; use one element, like w[0]",
            "b[0] * x[0]         | 1:1 | 'b' is not a vector; declare it with a length, like b[3], to index it",
            "v[0] * x[0]         | 1:1 | unknown vector 'v'",
    })
    void badIndexingIsAPositionedError(String expression, String position, String reason) {
        CompileError error = assertThrows(CompileError.class,
                () -> Symgrad.compile(expression, List.of("w[3]", "b"), List.of("x[3]", "y")));
        assertEquals(reason, error.reason());
        assertEquals(position, error.line() + ":" + error.column());
    }

    @Test
    void arraysOtherThanElementsStayRefused() {
        for (String expression : List.of("w[0][1]", "new double[3]", "x[0] + w[]")) {
            CompileError error = assertThrows(CompileError.class,
                    () -> Symgrad.compile(expression, List.of("w[3]"), List.of("x[3]")), expression);
            assertTrue(error.reason().contains("arrays are not allowed"), expression + ": " + error.reason());
        }
    }

    @Test
    void declarationsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Symgrad.compile("w[0]", List.of("w[0]"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Symgrad.compile("w[0]", List.of("w[3]", "w"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Symgrad.compile("w[0]", List.of("w[100001]"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Symgrad.compile("w[0]", List.of("1w[3]"), List.of()));
    }

    @Test
    void theWrongNumberOfValuesAtCallTimeNamesTheElements() {
        CompiledLoss loss = Symgrad.compile(VECTOR_LOSS, List.of("w[3]", "b"), List.of("x[3]", "y"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> loss.gradientOfSum(new double[3], new double[4][2]));
        assertTrue(error.getMessage().contains("w[2]"), error.getMessage());
    }

    @Test
    void indexingCostsOneLookupPerAccess() {
        // 20,000 accesses to a vector of 20,000: 2.3 s here, refused for its class size. Counting the
        // vector's length on every access (the first version) took 5.7 s already at 8,000 and grows as n².
        int n = 20_000;
        StringBuilder loss = new StringBuilder("w[0]");
        for (int k = 1; k < n; k++) {
            loss.append(" + w[").append(n - 1).append(']');
        }
        long start = System.nanoTime();
        CompileError error = assertThrows(CompileError.class,
                () -> Symgrad.compile(loss.toString(), List.of("w[" + n + "]"), List.of()));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(error.reason().startsWith("loss too large"), error.reason());
        assertTrue(seconds < 15, "took " + seconds + " s");
    }
}
