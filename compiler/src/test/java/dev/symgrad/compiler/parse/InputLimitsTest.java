package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * No input can exhaust the stack or take long: text beyond {@link Limits} is refused by a linear scan
 * with a positioned error, and legitimate deep trees (a long sum) are handled without recursion.
 */
class InputLimitsTest {

    private static final int MAX_NESTING = Limits.DEFAULT.maxNesting();
    private static final int MAX_LENGTH = Limits.DEFAULT.maxLength();
    private static final Duration QUICKLY = Duration.ofSeconds(5);
    private static final List<String> W = List.of("w");
    private static final List<String> X = List.of("x");

    /** The error, which must arrive quickly and must be a CompileError (never StackOverflowError). */
    private static CompileError rejectedQuickly(Duration within, Executable compile) {
        return assertTimeoutPreemptively(within, () -> assertThrows(CompileError.class, compile));
    }

    private static CompileError rejectedQuickly(String source) {
        return rejectedQuickly(QUICKLY, () -> Symgrad.compile(source, W, X));
    }

    /** A compiler that accepts long inputs, so that only the nesting limit can reject them. */
    private static LossCompiler longInputCompiler(int maxNesting) {
        return new LossCompiler(new Limits(10_000_000, maxNesting), ExprFactory.DEFAULT_MAX_NODES);
    }

    @Nested
    class DeepNesting {

        @Test
        void rejectsOneHundredThousandParenthesesAtTheFirstLevelTooDeep() {
            CompileError error = rejectedQuickly("(".repeat(100_000) + "w" + ")".repeat(100_000));
            assertEquals("<expression>:1:" + (MAX_NESTING + 1) + ": error: expression nested more than "
                    + MAX_NESTING + " levels deep", error.headline());
        }

        @Test
        void rejectsOneHundredThousandUnaryMinuses() {
            CompileError spaced = rejectedQuickly("- ".repeat(100_000) + "w");
            assertEquals("<expression>:1:" + (2 * MAX_NESTING + 1) + ": error: expression nested more than "
                    + MAX_NESTING + " levels deep", spaced.headline());
            // Without spaces the text is a run of '--' tokens; the scan refuses it before the parser sees it.
            CompileError tight = rejectedQuickly("-".repeat(100_000) + "w");
            assertEquals(MAX_NESTING + 1, tight.column());
        }

        @Test
        void rejectsOneHundredThousandLogicalNots() {
            CompileError error = rejectedQuickly("!".repeat(100_000) + "(w > 0) ? w : x");
            assertEquals(MAX_NESTING + 1, error.column());
        }

        @Test
        void rejectsOneHundredThousandTernariesNestedInTheElseBranch() {
            String source = "x>0?w:".repeat(100_000) + "w";
            CompileError error = rejectedQuickly(QUICKLY, () -> longInputCompiler(MAX_NESTING).compile(source, W, X));
            // The (limit+1)-th '?' is character 6 * limit + 4.
            assertEquals("<expression>:1:" + (6 * MAX_NESTING + 4) + ": error: expression nested more than "
                    + MAX_NESTING + " levels deep", error.headline());
            rejectedQuickly(source); // with default limits it is also too long
        }

        @Test
        void rejectsOneHundredThousandTernariesNestedInTheThenBranch() {
            String source = "x>0?".repeat(100_000) + "w" + ":x".repeat(100_000);
            CompileError error = rejectedQuickly(QUICKLY, () -> longInputCompiler(MAX_NESTING).compile(source, W, X));
            assertEquals(4 * MAX_NESTING + 4, error.column());
        }

        @Test
        void rejectsFortyThousandNestedCalls() {
            String source = "Math.exp(".repeat(40_000) + "w" + ")".repeat(40_000);
            CompileError error = rejectedQuickly(source);
            assertEquals(9 * MAX_NESTING + 9, error.column());
        }

        @Test
        void countsParenthesesInsideStringsToo() {
            // Strings are not part of the language; refusing them by nesting first is fine.
            assertEquals(MAX_NESTING + 2, rejectedQuickly("\"" + "(".repeat(100_000) + "\"").column());
        }

        @Test
        void ignoresParenthesesInsideComments() {
            assertEquals("w", Symgrad.compile("w /* " + "(".repeat(MAX_NESTING + 1) + " */", W, X).expression());
        }
    }

    @Nested
    class ExactLimits {

        @Test
        void compilesNestingOfExactlyTheDefaultLimit() {
            String source = "(".repeat(MAX_NESTING) + "w * x" + ")".repeat(MAX_NESTING);
            assertEquals("w * x", Symgrad.compile(source, W, X).expression());
        }

        @Test
        void rejectsOneLevelMoreThanTheDefaultLimit() {
            String source = "(".repeat(MAX_NESTING + 1) + "w * x" + ")".repeat(MAX_NESTING + 1);
            assertEquals(MAX_NESTING + 1, rejectedQuickly(source).column());
        }

        @Test
        void compilesTwoHundredLevelsUnderALimitOfTwoHundred() {
            LossCompiler compiler = longInputCompiler(200);
            assertEquals("w", compiler.compile("(".repeat(200) + "w" + ")".repeat(200), W, X).printedLoss());
            assertEquals("w", compiler.compile("- ".repeat(200) + "w", W, X).printedLoss());
            String calls = "Math.exp(".repeat(200) + "w" + ")".repeat(200);
            assertEquals(calls, compiler.compile(calls, W, X).printedLoss());
        }

        @Test
        void rejectsTwoHundredAndOneLevelsUnderALimitOfTwoHundred() {
            CompileError error = assertThrows(CompileError.class,
                    () -> longInputCompiler(200).compile("(".repeat(201) + "w" + ")".repeat(201), W, X));
            assertEquals("<expression>:1:201: error: expression nested more than 200 levels deep", error.headline());
        }

        @Test
        void countsParenthesesPrefixOperatorsAndConditionalsTogether() {
            LossCompiler compiler = longInputCompiler(200);
            // 100 parentheses, then 50 conditionals, then 50 minus signs in the last else branch: exactly 200.
            String exact = "(".repeat(100) + "x>0?x:".repeat(50) + "- ".repeat(50) + "w" + ")".repeat(100);
            assertEquals("x > 0.0 ? x : ".repeat(50) + "w", compiler.compile(exact, W, X).printedLoss());
            String oneMore = "(".repeat(100) + "x>0?x:".repeat(50) + "- ".repeat(51) + "w" + ")".repeat(100);
            CompileError error = assertThrows(CompileError.class, () -> compiler.compile(oneMore, W, X));
            assertEquals(100 + 6 * 50 + 2 * 50 + 1, error.column());
        }

        @Test
        void acceptsInputOfExactlyTheMaximumLength() {
            String source = "w" + " ".repeat(MAX_LENGTH - 1);
            assertEquals("w", Symgrad.compile(source, W, X).expression());
        }

        @Test
        void rejectsOneCharacterMoreThanTheMaximumLength() {
            CompileError error = rejectedQuickly("w" + " ".repeat(MAX_LENGTH));
            assertEquals("<expression>:1:1: error: input is " + (MAX_LENGTH + 1) + " characters long; the limit is "
                    + MAX_LENGTH, error.headline());
        }

        @Test
        void rejectsAMillionAndOneCharacters() {
            CompileError error = rejectedQuickly("w" + " + w".repeat(250_000));
            assertEquals("<expression>:1:1: error: input is 1000001 characters long; the limit is " + MAX_LENGTH,
                    error.headline());
        }
    }

    /** Deep shapes the nesting scan does not count; the parser's large stack is what stops them. */
    static Stream<Arguments> shapesOutsideTheNestingCount() {
        int n = 100_000;
        return Stream.of(
                Arguments.of("array access", "w[".repeat(n) + "0" + "]".repeat(n)),
                Arguments.of("chained assignment", "w=".repeat(n) + "w"),
                Arguments.of("lambdas with parentheses", "()->".repeat(n) + "w"),
                Arguments.of("lambdas with a name", "a->".repeat(n) + "w"),
                Arguments.of("array initializers", "new double[]" + "{".repeat(n) + "}".repeat(n)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapesOutsideTheNestingCount")
    void rejectsDeepShapesOutsideTheNestingCountWithoutStackOverflow(String shape, String source) {
        // Currently 1-3 s each: the parser recurses 100,000 levels on its 64 MB stack before giving up.
        rejectedQuickly(Duration.ofSeconds(10), () -> Symgrad.compile(source, W, X));
    }

    @Test
    void rejectsLongFieldAndCallChainsWithoutStackOverflow() {
        rejectedQuickly("w" + ".a".repeat(100_000));
        rejectedQuickly("w" + ".a()".repeat(100_000));
    }

    @Test
    void rejectsLookaheadHeavyShapesQuickly() {
        rejectedQuickly("w<".repeat(20_000) + "w");
        rejectedQuickly("(double)".repeat(20_000) + "w");
        rejectedQuickly("Math.<" + "A<".repeat(20_000) + "B" + ">".repeat(20_001) + "exp(w)");
    }

    @Nested
    class LongFlatSums {

        /** Runs {@code task} on a thread with a 512 KB stack, failing on anything it throws. */
        private void onSmallStack(Runnable task) throws InterruptedException {
            onStack(512 * 1024, task);
        }

        /** Runs {@code task} on a thread with a stack of {@code bytes}, failing on anything it throws. */
        private void onStack(long bytes, Runnable task) throws InterruptedException {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(null, () -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "small-stack", bytes);
            thread.start();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertEquals(Thread.State.TERMINATED, thread.getState(), "still running after 60 s");
            assertNull(failure.get(), () -> "threw " + failure.get());
        }

        @Test
        void compilesTwentyThousandEqualTermsOnASmallStack() throws InterruptedException {
            String source = "w" + " + x".repeat(20_000);
            onSmallStack(() -> {
                CompiledLoss loss = Symgrad.compile(source, W, X);
                assertEquals("w + 20000.0 * x", loss.expression());
                assertEquals("1.0", loss.derivative("w"));
            });
        }

        @Test
        void compilesTwentyThousandAlternatingTermsOnASmallStack() throws InterruptedException {
            StringBuilder source = new StringBuilder("w * x");
            for (int i = 1; i < 20_000; i++) {
                source.append(i % 2 == 0 ? " + w * x" : " + w * y");
            }
            onSmallStack(() -> {
                CompiledLoss loss = Symgrad.compile(source.toString(), W, List.of("x", "y"));
                assertEquals(30_000.0, loss.loss(new double[] {1.0}, new double[] {1.0, 2.0}));
                assertArrayEquals(new double[] {30_000.0}, loss.gradient(new double[] {1.0}, new double[] {1.0, 2.0}));
            });
        }

        @Test
        void compilesFiveThousandDistinctTermsOnASmallStack() throws InterruptedException {
            StringBuilder source = new StringBuilder("w * x");
            for (int i = 1; i < 5_000; i++) {
                source.append(" + w * x * ").append(i);
            }
            onSmallStack(() -> {
                CompiledLoss loss = Symgrad.compile(source.toString(), W, X);
                double expected = 5_000.0 * 4_999.0 / 2 + 1; // Σ i for i < 5000, plus the first term
                assertEquals(expected * 2.0, loss.loss(new double[] {2.0}, new double[] {1.0}), 1e-6);
                assertArrayEquals(new double[] {expected}, loss.gradient(new double[] {2.0}, new double[] {1.0}), 1e-6);
            });
        }

        /**
         * The stable log-sum-exp rule (simplify.StableExponentials) collects the terms of the written-out
         * sum under the log. Collecting them by recursion overflowed a 512 KB stack in a fresh JVM; here,
         * where earlier tests have had the JIT shrink the frames, 128 KB is what it overflows reliably.
         */
        @Test
        void compilesALogOfFiveThousandDistinctExponentialsOnA128KilobyteStack() throws InterruptedException {
            int n = 5_000;
            StringBuilder source = new StringBuilder("Math.log(Math.exp(w * x)");
            for (int k = 2; k <= n; k++) {
                source.append(" + Math.exp(w * x * ").append(k).append(')');
            }
            source.append(')');
            // At w = 1, x = 0.5: log Σ_k e^(k/2) and its derivative Σ_k (k/2)·e^(k/2) / Σ_k e^(k/2), each
            // computed here from the largest exponent down, as no double holds e^5000.
            double largest = 0.5 * n;
            double sum = 0;
            double weighted = 0;
            for (int k = 1; k <= n; k++) {
                double term = Math.exp(0.5 * k - largest);
                sum += term;
                weighted += 0.5 * k * term;
            }
            double expectedLoss = largest + Math.log(sum);
            double expectedDerivative = weighted / sum;
            onStack(128 * 1024, () -> {
                CompiledLoss loss = Symgrad.compile(source.toString(), W, X);
                assertEquals(expectedLoss, loss.loss(new double[] {1.0}, new double[] {0.5}), 1e-9 * expectedLoss);
                assertArrayEquals(new double[] {expectedDerivative},
                        loss.gradient(new double[] {1.0}, new double[] {0.5}), 1e-9 * expectedDerivative);
            });
        }

        @Test
        void reportsAClassTooLargeForTheJvmAsACompileError() {
            StringBuilder source = new StringBuilder("w * x");
            for (int i = 1; i < 20_000; i++) {
                source.append(" + w * x * ").append(i);
            }
            CompileError error = assertThrows(CompileError.class, () -> Symgrad.compile(source.toString(), W, X));
            assertEquals("<expression>:1:1", error.headline().substring(0, "<expression>:1:1".length()));
        }
    }
}
