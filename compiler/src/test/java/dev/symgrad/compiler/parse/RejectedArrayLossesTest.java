package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.ErrorAssertions;
import dev.symgrad.compiler.ir.ExprFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Methods over arrays that are refused, each with one positioned error: shapes that do not fit the
 * parameters, and local arrays used outside their rules (each element written once, before it is read,
 * never leaving the method). Each fixture is a method in a file {@code class Losses { ... }}, its shapes,
 * and the exact headline; the caret line is checked too. Both forms report the same.
 */
class RejectedArrayLossesTest {

    private static void assertError(String shapes, String method, String headline) {
        String source = "class Losses {\n" + method + "\n}\n";
        for (MethodParser parser : List.of(new MethodParser(), MethodParser.unrolled())) {
            CompileError error = assertThrows(CompileError.class, () -> parser.parse(source, "Losses.java", "f",
                    List.of(), BuildTimeClasses.parseShapes(shapes), new ExprFactory()), () -> "accepted: " + method);
            assertEquals(headline, error.headline(), () -> "for: " + method);
            ErrorAssertions.assertRendering(error);
        }
    }

    /** As {@link #assertError}, for the indexed form only: the unrolled form does not lower over an index. */
    private static void assertIndexedError(String shapes, String method, String headline) {
        String source = "class Losses {\n" + method + "\n}\n";
        CompileError error = assertThrows(CompileError.class, () -> new MethodParser().parse(source, "Losses.java", "f",
                List.of(), BuildTimeClasses.parseShapes(shapes), new ExprFactory()), () -> "accepted: " + method);
        assertEquals(headline, error.headline(), () -> "for: " + method);
        ErrorAssertions.assertRendering(error);
    }

    private static final String F = "static double f(double[] w, double[] x) { ";
    private static final String M = "static double f(double[][] V, double[] x) { ";

    @Nested
    class Shapes {

        @Test
        void aDoubleArrayWithoutShape() {
            assertError("x=3", M + "return V[0][0]; }",
                    "Losses.java:2:17: error: double[][] parameter 'V' needs a shape; configure it like V=32x64");
        }

        @Test
        void oneDimensionForADoubleArrayOfArrays() {
            assertError("V=3,x=3", M + "return V[0][0]; }", "Losses.java:2:17: error: 'V' is a double[][], so its shape"
                    + " has 2 dimensions, like V=32x64; the configured 3 has 1");
        }

        @Test
        void twoDimensionsForADoubleArray() {
            assertError("V=3x2,x=3x1", M + "return V[0][0]; }", "Losses.java:2:31: error: 'x' is a double[], so its"
                    + " shape has 1 dimension, like x=30; the configured 3x1 has 2");
        }

        @Test
        void aNegativeLength() {
            assertError("w=-2,x=3", F + "return w[0]; }",
                    "Losses.java:2:17: error: the length of 'w' must be 1 to 100000, not -2");
        }

        @Test
        void aZeroDimension() {
            assertError("V=3x0,x=3", M + "return V[0][0]; }",
                    "Losses.java:2:17: error: dimension 2 of 'V' must be 1 to 100000, not 0");
        }

        @Test
        void aDimensionTooLarge() {
            assertError("V=100001x1,x=3", M + "return V[0][0]; }",
                    "Losses.java:2:17: error: dimension 1 of 'V' must be 1 to 100000, not 100001");
        }

        @Test
        void tooManyElementsInOneArray() {
            assertError("V=1000x101,x=3", M + "return V[0][0]; }", "Losses.java:2:17: error: 'V' of shape 1000x101"
                    + " has 101000 elements; an array parameter has at most 100000");
        }

        @Test
        void tooManyElementsInAll() {
            StringBuilder parameters = new StringBuilder();
            StringBuilder shapes = new StringBuilder();
            for (int k = 0; k < 11; k++) {
                parameters.append(k == 0 ? "" : ", ").append("double[] a").append(k);
                shapes.append(k == 0 ? "" : ",").append("a").append(k).append("=100000");
            }
            assertError(shapes.toString(), "static double f(" + parameters + ") { return a0[0]; }",
                    "Losses.java:2:1: error: the array parameters of 'f' have 1100000 elements in all; the limit is"
                            + " 1000000");
        }

        @Test
        void aShapeForAnUnknownName() {
            assertError("V=2x2,x=2,U=3x3", M + "return V[0][0]; }",
                    "Losses.java:2:1: error: method 'f' has no parameter 'U' to give a length to");
        }

        @Test
        void aShapeForADouble() {
            assertError("w=3,b=2x2", "static double f(double[] w, double b) { return w[0] * b; }",
                    "Losses.java:2:29: error: a length is configured for 'b', but it is a double, not a double[]");
        }

        @Test
        void threeDimensions() {
            assertError("T=2x2x2", "static double f(double[][][] T) { return T[0][0][0]; }",
                    "Losses.java:2:17: error: parameter 'T' must be a double, a double[] or a double[][]");
        }
    }

    @Nested
    class Indexing {

        @Test
        void aRowAsAValue() {
            assertError("V=2x3,x=3", M + "return V[1] * 2; }", "Losses.java:2:52: error: a row of double[][] 'V' is"
                    + " not a value; use one element, like V[0][0]");
        }

        @Test
        void tooManyPositions() {
            assertError("w=3,x=3", F + "return w[0][1]; }",
                    "Losses.java:2:50: error: 'w' is a double[]; index it with 1 position, like w[0]");
        }

        @Test
        void aSecondPositionOutOfRange() {
            assertError("V=2x3,x=3", M + "return V[1][3]; }",
                    "Losses.java:2:57: error: index 3 is out of range for dimension 2 of V[2][3] (0 to 2)");
        }

        @Test
        void aLoopVariableRunningPastTheEnd() {
            assertIndexedError("w=3,x=3", F + "double s = 0; for (int j = 0; j < 4; j++) s += w[j]; return s; }",
                    "Losses.java:2:92: error: loop variable 'j' runs to 3, out of range for w[3] (0 to 2)");
        }

        @Test
        void theLengthOfAnElement() {
            assertError("V=2x3,x=3", M + "return V[0][0].length; }",
                    "Losses.java:2:52: error: an element of 'V' is a double and has no length");
        }

        @Test
        void aForEachOverADoubleArrayOfArrays() {
            assertError("V=2x3,x=3", M + "double s = 0; for (double v : V) s += v; return s; }",
                    "Losses.java:2:75: error: a for-each loop in a loss runs over a double[], not the double[][] 'V';"
                            + " index it in for loops");
        }

        @Test
        void anAccumulatorWithoutValue() {
            assertError("w=3,x=3", F + "double s; for (int j = 0; j < 3; j++) s += w[j]; return s; }",
                    "Losses.java:2:81: error: variable 's' might not have been initialized");
        }

        @Test
        void anAccumulatorWithoutValueAddedToItself() {
            assertError("w=3,x=3", F + "double s; for (int j = 0; j < 3; j++) s = s + w[j]; return s; }",
                    "Losses.java:2:85: error: variable 's' might not have been initialized");
        }
    }

    @Nested
    class LocalArrays {

        @Test
        void readBeforeAnyElementIsWritten() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; return h[0]; }",
                    "Losses.java:2:78: error: local array 'h' is read before it is written");
        }

        @Test
        void anElementReadBeforeItIsWritten() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; h[0] = w[0]; return h[1]; }",
                    "Losses.java:2:91: error: h[1] is read before it is written");
        }

        @Test
        void anElementWrittenTwice() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; h[0] = w[0]; h[0] = w[1]; return h[0]; }",
                    "Losses.java:2:84: error: h[0] is written twice; each element of a local array is written once");
        }

        @Test
        void anArrayWrittenByTwoLoops() {
            assertIndexedError("w=3,x=3", F + "double[] h = new double[3]; for (int j = 0; j < 3; j++) h[j] = w[j];"
                    + " for (int j = 0; j < 3; j++) h[j] = x[j]; return h[0]; }", "Losses.java:2:140: error: elements of"
                    + " local array 'h' are written twice; each element of a local array is written once");
        }

        @Test
        void aLoopWritingPartOfAnArray() {
            assertIndexedError("w=3,x=3", F + "double[] h = new double[4]; for (int j = 0; j < 3; j++) h[j] = w[j];"
                    + " return h[0]; }", "Losses.java:2:99: error: this loop writes only part of local array 'h' (h[4]);"
                    + " a loop writes a local array whole, each loop variable running over one whole dimension, like"
                    + " for (int m = 0; m < h.length; m++) h[m] = ...");
        }

        @Test
        void aLoopWritingTheSameElementsInEveryIteration() {
            assertIndexedError("w=3,x=3", F + "double[] h = new double[3]; for (int k = 0; k < 3; k++) for (int j = 0;"
                    + " j < 3; j++) h[k] = w[j]; return h[0]; }", "Losses.java:2:127: error: every iteration of the loop"
                    + " over 'j' writes the same elements of 'h' again; each element of a local array is written once");
        }

        @Test
        void aLoopWritingTheDiagonal() {
            assertIndexedError("w=3,x=3", F + "double[][] H = new double[3][3]; for (int j = 0; j < 3; j++) H[j][j] ="
                    + " w[j]; return H[0][0]; }", "Losses.java:2:104: error: this loop writes only part of local array"
                    + " 'H' (H[3][3]), the elements with equal positions");
        }

        @Test
        void aCompoundAssignmentToAnElement() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; h[0] = w[0]; h[0] += 1; return h[0]; }",
                    "Losses.java:2:84: error: an element of local array 'h' is written once, with '='; operator '+='"
                            + " would read it first");
        }

        @Test
        void anElementWrittenInAnIf() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; if (x[0] > 0) h[0] = w[0]; return h[0]; }",
                    "Losses.java:2:85: error: an if statement cannot write an element of local array 'h'; choose the"
                            + " value with the if (or ?:), then write it after the if");
        }

        @Test
        void aSizeThatIsNotConstant() {
            assertError("w=3,x=3", F + "double[] h = new double[x.length + (x[0] > 0 ? 1 : 0)]; return 0; }",
                    "Losses.java:2:67: error: the size of local array 'h' must be a constant int expression, like"
                            + " double[] h = new double[32]");
        }

        @Test
        void aSizeOfZero() {
            assertError("w=3,x=3", F + "double[] h = new double[0]; return 0; }",
                    "Losses.java:2:67: error: the size of local array 'h' must be 1 to 100000, not 0");
        }

        @Test
        void tooManyElements() {
            assertError("w=3,x=3", F + "double[][] H = new double[1000][1000]; return 0; }",
                    "Losses.java:2:58: error: local array 'H' of 1000x1000 has 1000000 elements; the limit is 100000");
        }

        @Test
        void aMissingSize() {
            assertError("w=3,x=3", F + "double[][] H = new double[3][]; return 0; }",
                    "Losses.java:2:71: error: the size of local array 'H' must be a constant int expression, like"
                            + " double[][] H = new double[10][32]");
        }

        @Test
        void anArrayInitializer() {
            assertError("w=3,x=3", F + "double[] h = {1, 2}; return h[0]; }", "Losses.java:2:56: error: local array"
                    + " 'h' must be created with constant sizes, like double[] h = new double[32]");
        }

        @Test
        void anotherArrayAsTheValue() {
            assertError("w=3,x=3", F + "double[] h = w; return h[0]; }", "Losses.java:2:56: error: local array 'h'"
                    + " must be created with constant sizes, like double[] h = new double[32]");
        }

        @Test
        void anIntArray() {
            assertError("w=3,x=3", F + "int[] h = new int[3]; return 0; }",
                    "Losses.java:2:49: error: local variable 'h' must be declared double[] or double[][]");
        }

        @Test
        void anArrayAssignedAsAWhole() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; double[] g = new double[3]; h = g; return 0; }",
                    "Losses.java:2:99: error: cannot assign to local array 'h' as a whole; write its elements, like"
                            + " h[0] = ...");
        }

        @Test
        void anArrayReturned() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; return h; }",
                    "Losses.java:2:78: error: 'h' is a double[] of length 3; use one element, like h[0]");
        }

        @Test
        void anArrayPassedToAHelper() {
            assertError("w=3,x=3", F + "double[] h = new double[3]; h[0] = 1; h[1] = 2; h[2] = 3; return g(h); }\n"
                    + "static double g(double a) { return a; }",
                    "Losses.java:2:110: error: 'h' is a double[] of length 3; use one element, like h[0]");
        }

        @Test
        void aHelpersArrayMadeFromTheCallersLoopVariable() {
            assertIndexedError("w=3,x=3", F + "double s = 0; for (int j = 0; j < 3; j++) s += g(w[j]); return s; }\n"
                    + "static double g(double a) { double[] t = new double[2]; for (int i = 0; i < 2; i++) t[i] = a;"
                    + " return t[0] * t[1]; }", "Losses.java:3:85: error: the elements of local array 't' would depend"
                    + " on loop variable 'j' of a calling method's loop; compute them outside that loop");
        }
    }
}
