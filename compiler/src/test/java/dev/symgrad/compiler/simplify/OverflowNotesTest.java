package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.parse.Limits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compiled loss notes each exponential that may overflow where no stable rewrite applies, and only
 * those: bounded arguments and the rewritten patterns give no note.
 */
class OverflowNotesTest {

    private static List<String> notes(String expression) {
        return Symgrad.compile(expression, List.of("w", "b"), List.of("x", "y")).notes();
    }

    @Test
    void anUnboundedExponentialIsNotedWithItsArgumentAndTheStableForms() {
        List<String> notes = notes("Math.exp(w * x) - y * (w * x)");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("Math.exp(w * x) overflows to Infinity once w * x passes 709.78"),
                notes.get(0));
        assertTrue(notes.get(0).contains("Math.log1p(Math.exp(a))"), notes.get(0));
    }

    @Test
    void sinhCoshAndExpm1OfUnboundedArgumentsAreNotedToo() {
        assertEquals(3, notes("Math.sinh(w * x) + Math.cosh(b * x) + Math.expm1(w * y)").size());
    }

    @Test
    void pastEightNotesTheRestAreCounted() {
        StringBuilder many = new StringBuilder("0.0");
        for (int k = 0; k < 20; k++) {
            many.append(" + Math.exp(").append(k + 1).append(" * w * x)");
        }
        List<String> notes = notes(many.toString());
        assertEquals(9, notes.size(), notes.toString());
        assertEquals("12 more exponentials may overflow the same way", notes.get(8));
    }

    @Test
    void boundedExponentialsGiveNoNote() {
        assertEquals(List.of(), notes("Math.exp(-(w - x) * (w - x))"));
        assertEquals(List.of(), notes("Math.exp(-Math.abs(w * x)) + Math.exp(-3 * (b * b))"));
        assertEquals(List.of(), notes("Math.exp(Math.min(w * x, 0.0)) * y"));
        assertEquals(List.of(), notes("Math.exp(2.5) * w"));
    }

    @Test
    void thePatternsTheSimplifierMakesStableGiveNoNote() {
        assertEquals(List.of(), notes("Math.log1p(Math.exp(-y * (w * x + b)))"));
        assertEquals(List.of(), notes("Math.log(Math.exp(w * x) + Math.exp(b * x))"));
        assertEquals(List.of(), notes("Math.exp(w * x) / (1 + Math.exp(w * x))"));
        assertEquals(List.of(), notes("-y * Math.log(1 / (1 + Math.exp(-(w * x + b))))"));
    }

    private static String method(String body) {
        return "class Losses {\n    static double loss(double[] w, double[] x, double y) {\n" + body + "\n    }\n}\n";
    }

    /**
     * The notes of {@code Losses.loss} over the arrays {@code w[4]} (differentiated) and {@code x[4]},
     * compiled with its loops kept, as a wide model's are (small ones are written out by default).
     */
    private static List<String> methodNotes(String body) {
        LossCompiler.MethodLoss method = new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0)
                .compileMethod(method(body), "Losses.java", "loss", List.of("w"), Map.of("w", List.of(4), "x", List.of(4)));
        assertTrue(method.isIndexed(), "the method should keep its loops");
        return method.notes();
    }

    @Test
    void aLoopsLogSumExpIsRewrittenWithTheLoopsMaximumSoItHasNoNote() {
        assertEquals(List.of(), methodNotes("""
                        double sumExp = 0;
                        for (int k = 0; k < 4; k++) sumExp += Math.exp(w[k] * x[k]);
                        return Math.log(sumExp) - y * w[0];"""));
    }

    @Test
    void aLogOfALoopsSumStartingFromSomethingElseIsNoted() {
        List<String> notes = methodNotes("""
                        double sumExp = y;
                        for (int k = 0; k < 4; k++) sumExp += Math.exp(w[k] * x[k]);
                        return Math.log(sumExp);""");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("Math.exp(w[k] * x[k]) overflows to Infinity once w[k] * x[k] passes"
                + " 709.78"), notes.get(0));
    }

    @Test
    void aSmallLoopsLogSumExpIsWrittenOutAndRewrittenSoItHasNoNote() {
        LossCompiler.MethodLoss unrolled = new LossCompiler().compileMethod(method("""
                        double sumExp = 0;
                        for (int k = 0; k < 4; k++) sumExp += Math.exp(w[k] * x[k]);
                        return Math.log(sumExp) - y * w[0];"""), "Losses.java", "loss", List.of("w"),
                Map.of("w", List.of(4), "x", List.of(4)));
        assertTrue(!unrolled.isIndexed() && unrolled.program().loss().toString().contains("STOP_GRADIENT"),
                () -> "expected the written-out sum shifted by its maximum: " + unrolled.program().loss());
        assertEquals(List.of(), unrolled.notes());
    }

    @Test
    void anUnboundedExponentialInALoopWithoutALogGetsTheGeneralNote() {
        List<String> notes = methodNotes("""
                        double s = 0;
                        for (int k = 0; k < 4; k++) s += Math.exp(w[k] * x[k]);
                        return s - y;""");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("no stable form applies"), notes.get(0));
    }

    @Test
    void boundedExponentialsInLoopsGiveNoNote() {
        // A loop's sum of squares is non-negative, so its negation bounds the exponential.
        assertEquals(List.of(), methodNotes("""
                        double s = 0;
                        for (int k = 0; k < 4; k++) s += (w[k] - x[k]) * (w[k] - x[k]);
                        return Math.exp(-s) * y;"""));
        assertEquals(List.of(), methodNotes("""
                        double s = 0;
                        for (int k = 0; k < 4; k++) s += Math.exp(-Math.abs(w[k] * x[k]));
                        return Math.log(s) * y;"""));
    }
}
