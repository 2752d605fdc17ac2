package dev.symgrad.compiler.source;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Losses written as ordinary static Java methods compile to the same code as the equivalent strings. */
class MethodSourceTest {

    private static final String LOSSES = """
            package com.example;

            import java.util.List;

            /** Ordinary code: other members and string escapes like "\\n" do not matter. */
            public final class Losses {
                private static final String NOTE = "a \\"quoted\\" note\\n";

                static double perExampleLoss(double w, double x) { return (w * x) * (w * x); }

                static double logistic(double w, double b, double x, double y) {
                    double z = w * x + b;
                    return Math.log1p(Math.exp(-y * z));
                }

                static double huber(double w, double x, double y) {
                    double r = w * x - y;
                    double a = Math.abs(r);
                    if (a <= 1.0) {
                        return 0.5 * r * r;
                    }
                    return a - 0.5;
                }

                static double clipped(double w, double x) {
                    double z = w * x;
                    if (z > 1) z = 1; else if (z < -1) { z = -1; }
                    z *= 2;
                    return square(z) + twice(w);
                }

                static double square(double v) { return v * v; }

                static double twice(double v) { return 2 * v; }

                static double recursive(double w) { return recursive(w); }

                static int notDouble(double w) { return 1; }

                static double loops(double w) { while (w > 1) { w = w / 2; } return w; }

                static double noReturn(double w) { double z = w; }

                void instance() { System.out.println(NOTE); }
            }
            """;

    private static CompiledLoss compile(String method, List<String> wrt) {
        LossCompiler.MethodLoss loss = new LossCompiler().compileMethod(LOSSES, "Losses.java", method, wrt);
        return HiddenClassDefiner.define(ClassGenerator.generate(loss.program(), HiddenClassDefiner.CLASS_NAME, dev.symgrad.compiler.codegen.Backend.selected()));
    }

    @Test
    void theSeedAsAMethodGivesTheReferenceNumbers() {
        CompiledLoss loss = compile("perExampleLoss", List.of());
        assertEquals(List.of("w"), loss.parameters());
        assertEquals(List.of("x"), loss.inputs());
        assertArrayEquals(new double[] {10.0}, loss.gradientOfSum(new double[] {1}, new double[][] {{1, 2}}));
        assertArrayEquals(new double[] {10.0}, loss.sumOfPerExampleGradients(new double[] {1}, new double[][] {{1, 2}}));
        assertEquals("2.0 * w * (x * x)", loss.derivative("w"));
    }

    @Test
    void localsAreSubstituted() {
        CompiledLoss loss = compile("logistic", List.of("w", "b"));
        double w = 0.3;
        double b = -0.2;
        double x = 1.5;
        double y = 1.0;
        double z = w * x + b;
        double sigma = Math.exp(-y * z) / (1 + Math.exp(-y * z));
        assertEquals(Math.log1p(Math.exp(-y * z)), loss.loss(new double[] {w, b}, new double[] {x, y}), 1e-15);
        assertArrayEquals(new double[] {-y * x * sigma, -y * sigma}, loss.gradient(new double[] {w, b}, new double[] {x, y}), 1e-15);
    }

    @Test
    void earlyReturnsBecomeConditionals() {
        CompiledLoss loss = compile("huber", List.of());
        assertEquals(0.5 * 0.25, loss.loss(new double[] {1.0}, new double[] {0.5, 0.0}), 1e-15);
        assertEquals(3.0 - 0.5, loss.loss(new double[] {1.0}, new double[] {3.0, 0.0}), 1e-15);
        // d/dw: r*x inside the quadratic zone, sign(r)*x outside.
        assertEquals(0.5 * 0.5, loss.gradient(new double[] {1.0}, new double[] {0.5, 0.0})[0], 1e-15);
        assertEquals(3.0, loss.gradient(new double[] {1.0}, new double[] {3.0, 0.0})[0], 1e-15);
    }

    @Test
    void branchesThatAssignMergeAndHelpersAreInlined() {
        CompiledLoss loss = compile("clipped", List.of());
        // w*x = 0.25: z = 0.5 after *= 2; loss = 0.25 + 2w; d/dw = 2z*2x + 2.
        assertEquals(0.25 + 1.0, loss.loss(new double[] {0.5}, new double[] {0.5}), 1e-15);
        assertEquals(2 * 0.5 * 2 * 0.5 + 2, loss.gradient(new double[] {0.5}, new double[] {0.5})[0], 1e-15);
        // w*x = 4 is clipped to 1: z = 2, loss = 4 + 2w, d/dw = 2.
        assertEquals(4.0 + 4.0, loss.loss(new double[] {2.0}, new double[] {2.0}), 1e-15);
        assertEquals(2.0, loss.gradient(new double[] {2.0}, new double[] {2.0})[0], 1e-15);
    }

    @Nested
    class Rejects {

        private void assertError(String method, String headline) {
            CompileError error = assertThrows(CompileError.class,
                    () -> new LossCompiler().compileMethod(LOSSES, "Losses.java", method, List.of()));
            assertEquals(headline, error.headline());
        }

        @Test
        void recursion() {
            assertError("recursive", "Losses.java:36:48: error: recursive call to 'recursive' cannot be inlined");
        }

        @Test
        void nonDoubleReturnType() {
            assertError("notDouble", "Losses.java:38:12: error: method 'notDouble' must return double");
        }

        @Test
        void whileLoops() {
            assertError("loops", "Losses.java:40:37: error: 'while' loops are not allowed in a loss method; use double and"
                    + " int locals, if/else, for loops with constant bounds and return");
        }

        @Test
        void missingReturn() {
            assertError("noReturn", "Losses.java:42:38: error: missing return statement");
        }

        @Test
        void missingMethod() {
            assertError("nope", "Losses.java:1:1: error: no static method 'nope' in Losses.java");
        }

        @Test
        void unknownParameterToDifferentiate() {
            CompileError error = assertThrows(CompileError.class,
                    () -> new LossCompiler().compileMethod(LOSSES, "Losses.java", "logistic", List.of("q")));
            assertEquals("Losses.java:11:5: error: method 'logistic' has no parameter 'q' to differentiate; its parameters are [w, b, x, y]",
                    error.headline());
        }
    }
}
