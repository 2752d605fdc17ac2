package dev.symgrad.compiler.diagnostic;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.symgrad.compiler.diagnostic.ErrorAssertions.INPUTS;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.PARAMETERS;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.assertError;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.assertRendering;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a {@link CompileError} reads: a compiler-style headline, the source line, and a caret under the spot. */
class CompileErrorRenderingTest {

    private static CompileError errorFor(String source) {
        return assertThrows(CompileError.class, () -> Symgrad.compile(source, PARAMETERS, INPUTS));
    }

    @Nested
    class Parts {

        @Test
        void rendersHeadlineSourceLineAndCaret() {
            CompileError error = errorFor("w * x + q");
            assertEquals("<expression>:1:9: error: unknown identifier 'q'\n"
                    + "w * x + q\n"
                    + "        ^", error.getMessage());
        }

        @Test
        void exposesEachPartSeparately() {
            CompileError error = errorFor("w * x + q");
            assertAll(
                    () -> assertEquals("<expression>", error.sourceName()),
                    () -> assertEquals(1, error.line()),
                    () -> assertEquals(9, error.column()),
                    () -> assertEquals(new SourcePosition(1, 9), error.position()),
                    () -> assertEquals("unknown identifier 'q'", error.reason()),
                    () -> assertEquals("w * x + q", error.sourceLine()),
                    () -> assertEquals("<expression>:1:9: error: unknown identifier 'q'", error.headline()));
        }

        @Test
        void namesTheSourceGivenByTheCaller() {
            CompileError error = assertThrows(CompileError.class,
                    () -> new LossCompiler().compile("w * q", "Losses.java", List.of("w"), List.of()));
            assertEquals("Losses.java:1:5: error: unknown identifier 'q'", error.headline());
            assertRendering(error);
        }

        @Test
        void carriesNoCauseAndNoStackTraceOfTheCompiler() {
            CompileError error = errorFor("w * x + q");
            assertEquals(null, error.getCause());
            assertEquals(0, error.getStackTrace().length, "built without a writable stack trace");
        }
    }

    @Nested
    class MultiLineInput {

        @Test
        void reportsTheLineAndShowsOnlyThatLine() {
            CompileError error = assertError("w *\n q", "<expression>:2:2: error: unknown identifier 'q'");
            assertEquals(" q", error.sourceLine());
        }

        @Test
        void showsAMiddleLineWithoutItsNeighbours() {
            CompileError error = assertError("w *\n q +\n x", "<expression>:2:2: error: unknown identifier 'q'");
            assertEquals(" q +", error.sourceLine());
        }

        @Test
        void countsWindowsAndOldMacLineEnds() {
            assertEquals(" q", assertError("w *\r\n q", "<expression>:2:2: error: unknown identifier 'q'").sourceLine());
            assertEquals(" q", assertError("w *\r q", "<expression>:2:2: error: unknown identifier 'q'").sourceLine());
        }

        @Test
        void countsManyLines() {
            assertEquals("+ q", assertError("w\n*\nx\n+ q", "<expression>:4:3: error: unknown identifier 'q'").sourceLine());
        }

        @Test
        void countsLinesInsideComments() {
            assertError("w * x + // note\n q", "<expression>:2:2: error: unknown identifier 'q'");
            assertEquals(" b */ * q",
                    assertError("w /* a\n b */ * q", "<expression>:2:9: error: unknown identifier 'q'").sourceLine());
        }
    }

    @Nested
    class Columns {

        @Test
        void countsATabAsOneColumnAndCopiesItIntoTheCaretLine() {
            CompileError error = assertError("\tw * q", "<expression>:1:6: error: unknown identifier 'q'");
            assertEquals("\tw * q\n\t    ^", error.getMessage().substring(error.getMessage().indexOf('\n') + 1));
        }

        @Test
        void copiesSeveralTabs() {
            CompileError error = assertError("w *\t\tq", "<expression>:1:6: error: unknown identifier 'q'");
            assertTrue(error.getMessage().endsWith("\n   \t\t^"), error.getMessage());
        }

        @Test
        void countsUtf16UnitsAsDocumented() {
            // U+1D464 is two UTF-16 units; SourcePosition documents columns in UTF-16 units.
            assertError("w * x /* \uD835\uDC64 */ + q", "<expression>:1:18: error: unknown identifier 'q'");
        }

        @Test
        void pointsAtColumnOneOfAnEmptyInput() {
            CompileError error = errorFor("");
            assertEquals(1, error.column());
            assertEquals("<expression>:1:1: error: " + error.reason() + "\n\n^", error.getMessage());
        }
    }

    @Nested
    class UnprintableText {

        @Test
        void showsControlCharactersAsQuestionMarks() {
            CompileError error = assertError("w * q /* \u0007 */", "<expression>:1:5: error: unknown identifier 'q'");
            assertEquals("w * q /* ? */", error.sourceLine());
        }

        @Test
        void cutsLongLinesAtFiveHundredCharacters() {
            String source = "w * q + " + "x + ".repeat(300) + "x";
            CompileError error = assertError(source, "<expression>:1:5: error: unknown identifier 'q'");
            assertEquals(source.substring(0, 500) + " ...", error.sourceLine());
        }

        @Test
        void showsTheWindowAroundAnErrorFarIntoALongLine() {
            String source = "x + ".repeat(300) + "q + " + "x + ".repeat(300) + "x";
            CompileError error = assertError(source, "<expression>:1:1201: error: unknown identifier 'q'");
            assertEquals("... " + source.substring(950, 1450) + " ...", error.sourceLine());
            assertEquals('q', error.sourceLine().charAt(error.sourceLineColumn() - 1));
        }

        @Test
        void showsTheEndOfALongLineForAnErrorAtTheEndOfInput() {
            String source = "w + ".repeat(200) + "(";
            CompileError error = errorFor(source);
            assertEquals(source.length() + 1, error.column(), error.getMessage());
            assertEquals("... " + source.substring(source.length() - 500), error.sourceLine());
            assertEquals(error.sourceLine().length() + 1, error.sourceLineColumn());
            assertRendering(error);
        }

        @Test
        void showsControlCharactersAsQuestionMarksInLongLinesToo() {
            CompileError error = errorFor("w * q /* \u001b[2J " + "a".repeat(600) + " */");
            assertFalse(error.sourceLine().chars().anyMatch(Character::isISOControl), error.sourceLine());
        }

        @Test
        void showsInvisibleAndReorderingCharactersAsQuestionMarks() {
            // Bidirectional overrides ("Trojan Source"), a zero-width space, a line separator and an
            // unpaired surrogate would each hide or rearrange what the user typed.
            CompileError error = assertError("w * q /* \u202e\u200b\u2028\ud800 */",
                    "<expression>:1:5: error: unknown identifier 'q'");
            assertEquals("w * q /* ???? */", error.sourceLine());
        }

        @Test
        void spellsInvisibleCharactersInTheReasonAsEscapes() {
            assertError("w\u200b * x", "<expression>:1:1: error: unknown identifier 'w\\u200b'");
            assertError("w\u0000 * x", "<expression>:1:1: error: unknown identifier 'w\\u0000'");
        }

        @Test
        void keepsPrintableLettersOfAnyScriptAsTheyAre() {
            CompileError error = assertError("\ud835\udc65 + q", "<expression>:1:1: error: unknown identifier '\ud835\udc65'");
            assertEquals("\ud835\udc65 + q", error.sourceLine());
        }
    }
}
