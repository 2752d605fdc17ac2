package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing in a loss string ever runs. Attempts to reach the JVM (exit, exec, files, reflection) are
 * refused wherever they hide: bare, inside arithmetic, behind text that would close a generated method if
 * the string were pasted into Java source, inside comments and behind Unicode escapes. Each attempt has a
 * tripwire (a file it would delete or create, a class it would initialize, a property it would set), and
 * every tripwire is checked after every attempt. Text that is harmless Java (comments, line breaks)
 * compiles to exactly what javac makes of the same text.
 */
class InjectionTest {

    /** Set by {@link Tripwire}'s initializer: true only if some loss text loaded and initialized it. */
    static volatile boolean tripwireInitialized;

    /** A class that a reflective attempt would load by name. */
    static final class Tripwire {
        static {
            tripwireInitialized = true;
        }

        private Tripwire() {
        }
    }

    private static final String PROPERTY = "symgrad.injected";
    private static final List<String> W = List.of("w");
    private static final List<String> X = List.of("x");

    /** The file attempts would delete: it must still exist afterwards. */
    @TempDir
    static Path directory;

    private static Path victim() {
        return directory.resolve("victim.txt");
    }

    /** The file attempts would create: it must never exist. */
    private static Path created() {
        return directory.resolve("created.txt");
    }

    @BeforeEach
    void createTheVictim() throws IOException {
        Files.writeString(victim(), "still here");
    }

    @AfterEach
    void noTripwireWasTouched() {
        assertTrue(Files.exists(victim()), "the file was deleted");
        assertFalse(Files.exists(created()), "a process ran");
        assertFalse(tripwireInitialized, "a class was loaded by name");
        assertNull(System.getProperty(PROPERTY), "a system property was set");
    }

    /** Statements that would each trip a wire if executed, written as Java expressions. */
    static List<String> payloads() {
        String victim = victim().toString().replace("\\", "/");
        String created = created().toString().replace("\\", "/");
        return List.of(
                "System.exit(0)",
                "Runtime.getRuntime().exec(new String[] {\"touch\", \"" + created + "\"}).waitFor()",
                "new java.io.ProcessBuilder(\"touch\", \"" + created + "\").start().waitFor()",
                "(new java.io.File(\"" + victim + "\").delete() ? 1 : 0)",
                "java.nio.file.Files.delete(java.nio.file.Path.of(\"" + victim + "\"))",
                "Class.forName(\"" + Tripwire.class.getName() + "\").hashCode()",
                "System.setProperty(\"" + PROPERTY + "\", \"yes\").length()",
                "Math.class.getClassLoader().loadClass(\"" + Tripwire.class.getName() + "\").hashCode()",
                "Thread.sleep(60000)");
    }

    /**
     * Where a payload hides. {@code %s} is the payload; several forms would end the generated method's
     * expression if the text were pasted into {@code return ...;}, or use comments and escapes that javac
     * would read differently from what is shown.
     */
    static List<String> disguises() {
        return List.of(
                "%s",
                "w * x + %s",
                "x > 0 ? w : %s",
                "Math.exp(%s)",
                "w; %s; return w",
                "w; } static { %s; } static double f(double w) { return w",
                "w); %s; (w",
                "w */ + %s /*",
                "w // \\u000a + %s",
                "w /* \\u002a/ + %s /* */",
                "w \\u002b %s",
                "\\u0077 + %s",
                "w + \"\" + %s + \"\"",
                "w + \"\\u0022 + %s + \\u0022\"",
                "w + '\\u0027' + %s",
                "w + \"\"\"\n\"\"\" + %s",
                "((java.util.function.DoubleSupplier) () -> %s).getAsDouble()",
                "new Object() { double v = %s; }.v",
                "switch (1) { default -> %s; }",
                "@SuppressWarnings(\"x\") %s",
                "w\n;\n%s");
    }

    static Stream<Arguments> attempts() {
        List<Arguments> attempts = new ArrayList<>();
        for (String disguise : disguises()) {
            for (String payload : payloads()) {
                attempts.add(Arguments.of(disguise.replace("%s", payload)));
            }
        }
        return attempts.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void refusesEveryAttemptWithAPositionedErrorAndRunsNothing(String attempt) {
        CompileError error = assertThrows(CompileError.class, () -> Symgrad.compile(attempt, W, X),
                () -> "accepted: " + attempt);
        UntrustedCompilation.assertPositionedInside(error, attempt);
    }

    @Test
    void refusesUnicodeEscapesThatSpellAnIdentifier() {
        // javac would read the escape as the letter S, making System.exit(0); symgrad refuses the backslash.
        CompileError error = assertThrows(CompileError.class, () -> Symgrad.compile("\\u0053ystem.exit(0)", W, X));
        assertEquals("<expression>:1:1: error: backslashes (Unicode escapes) are not allowed in a loss",
                error.headline());
    }

    @Test
    void refusesAUnicodeEscapeInsideAComment() {
        // To javac, the escaped line feed ends the line comment and "* 2" is code: w * 2. JavaParser would see w.
        CompileError error = assertThrows(CompileError.class, () -> Symgrad.compile("w // \\u000a * 2", W, X));
        assertEquals("<expression>:1:6: error: backslashes (Unicode escapes) are not allowed in a loss",
                error.headline());
    }

    @Test
    void refusesLookalikeLettersAsUnknownNames() {
        // Cyrillic х (U+0445) looks like x; a zero-width space after w looks like nothing.
        assertEquals("unknown identifier 'х'", assertThrows(CompileError.class,
                () -> Symgrad.compile("w * \u0445", W, X)).reason());
        assertEquals("unknown identifier 'w\\u200b'", assertThrows(CompileError.class,
                () -> Symgrad.compile("w\u200b * x", W, X)).reason());
    }

    /**
     * The build plugin reads whole Java files. javac replaces Unicode escapes before it finds comments and
     * strings, JavaParser (as symgrad runs it) does not, so an escape there would make symgrad
     * differentiate another method body than the one javac compiles. Escapes are refused anywhere in the
     * file; other backslashes in strings are ordinary.
     */
    @Nested
    class InJavaSourceFiles {

        private CompileError refusal(String body) {
            String source = "class Losses {\n" + body + "\n}\n";
            return assertThrows(CompileError.class,
                    () -> new LossCompiler().compileMethod(source, "Losses.java", "loss", List.of()));
        }

        @Test
        void refusesAnEscapedLineFeedThatEndsALineCommentForJavac() {
            // For javac the method returns w * x * 2.
            CompileError error = refusal("static double loss(double w, double x) {\n    return w * x // \\u000a * 2\n;\n}");
            assertEquals("Losses.java:3:21: error: Unicode escapes are not allowed in a loss source file: javac reads"
                    + " them before comments and strings, symgrad does not", error.headline());
        }

        @Test
        void refusesAnEscapedCommentEnd() {
            assertEquals(3, refusal("static double loss(double w) {\n  return w /* \\u002a/ * 2 /* */;\n}").line());
        }

        @Test
        void refusesAnEscapedQuoteInAStringElsewhereInTheFile() {
            CompileError error = refusal("static String note = \"\\u0022 + 1 + \\u0022\";\n"
                    + "static double loss(double w) { return w; }");
            assertEquals("2:23", error.line() + ":" + error.column());
        }

        @Test
        void acceptsOrdinaryEscapesAndAnEscapedBackslashInStrings() {
            String source = "class Losses {\n    static String note = \"a\\tb\\n\\\\u0041\";\n"
                    + "    static double loss(double w, double x) { return w * x; }\n}\n";
            assertEquals("w * x",
                    new LossCompiler().compileMethod(source, "Losses.java", "loss", List.of()).program().printedLoss());
        }
    }

    /** A loss text that is harmless Java, with the same text compiled by javac as the expected meaning. */
    record Harmless(String text, String printed, DoubleBinaryOperator javac) {
        @Override
        public String toString() {
            return UntrustedCompilation.describe(text);
        }
    }

    static Stream<Harmless> harmlessJava() {
        return Stream.of(
                new Harmless("w /* System.exit(0) */ * x", "w * x",
                        (w, x) -> w /* System.exit(0) */ * x),
                new Harmless("w // ; System.exit(0)", "w",
                        (w, x) -> w // ; System.exit(0)
                ),
                new Harmless("w * x /* ); } static { System.exit(0); } /* */", "w * x",
                        (w, x) -> w * x /* ); } static { System.exit(0); } /* */),
                new Harmless("w\n// ; System.exit(0)\n* x", "w * x",
                        (w, x) -> w
                                // ; System.exit(0)
                                * x),
                new Harmless("Math.exp(w) /* \" */ + x /* ' */", "Math.exp(w) + x",
                        (w, x) -> Math.exp(w) /* " */ + x /* ' */),
                new Harmless("StrictMath.log1p(w * w) - x", "Math.log1p(w * w) - x",
                        (w, x) -> Math.log1p(w * w) - x),
                new Harmless("w\r\n*\rx\u000c+\t1", "1.0 + w * x",
                        (w, x) -> w * x + 1),
                // Bidirectional overrides ("Trojan Source") inside a comment reorder how a line is shown,
                // not what it means.
                new Harmless("w /* \u202e } \u2066 */ * x", "w * x",
                        (w, x) -> w * x));
    }

    @Nested
    class HarmlessJava {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.hardening.InjectionTest#harmlessJava")
        void compilesToExactlyWhatJavacMakesOfTheSameText(Harmless harmless) {
            CompiledLoss loss = Symgrad.compile(harmless.text(), W, X);
            assertEquals(harmless.printed(), loss.expression());
            double[][] points = {{0.5, 2.0}, {-1.25, 3.0}, {0.0, -0.0}, {Double.NaN, 1.0}, {1e300, 1e10}};
            for (double[] point : points) {
                assertEquals(harmless.javac().applyAsDouble(point[0], point[1]),
                        loss.loss(new double[] {point[0]}, new double[] {point[1]}), 1e-15,
                        () -> "at w = " + point[0] + ", x = " + point[1]);
            }
            GeneratedClassReferences.assertOnlyMathIsReachable(
                    Symgrad.generateClass(harmless.text(), W, X, HiddenClassDefiner.CLASS_NAME), harmless.text());
        }
    }
}
