package dev.symgrad.compiler.diagnostic;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One position type: 1-based line and column, decided once. */
class SourcePositionTest {

    @Test
    void startIsLineOneColumnOne() {
        assertEquals(new SourcePosition(1, 1), SourcePosition.START);
        assertEquals(SourcePosition.START, SourcePosition.ofOffset("w * x", 0));
    }

    @Test
    void countsColumnsFromOne() {
        assertEquals(new SourcePosition(1, 9), SourcePosition.ofOffset("w * x + q", 8));
    }

    @Test
    void treatsNewlineCarriageReturnAndBothAsOneLineEnd() {
        assertEquals(new SourcePosition(2, 2), SourcePosition.ofOffset("w *\n q", 5));
        assertEquals(new SourcePosition(2, 2), SourcePosition.ofOffset("w *\r\n q", 6));
        assertEquals(new SourcePosition(2, 2), SourcePosition.ofOffset("w *\r q", 5));
        assertEquals(new SourcePosition(3, 1), SourcePosition.ofOffset("a\n\nb", 3));
    }

    @Test
    void clampsOffsetsPastTheEnd() {
        assertEquals(new SourcePosition(1, 4), SourcePosition.ofOffset("abc", 99));
    }

    @Test
    void printsAsLineColon() {
        assertEquals("12:17", new SourcePosition(12, 17).toString());
    }

    @Test
    void rejectsZeroBasedValues() {
        assertThrows(IllegalArgumentException.class, () -> new SourcePosition(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SourcePosition(1, 0));
    }
}
