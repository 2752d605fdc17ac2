package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.Symgrad;
import org.junit.jupiter.api.Test;

import java.util.List;

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
}
