package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.parse.Limits;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The size limits of the README, beyond the text limits {@code parse.InputLimitsTest} pins down: oversized
 * text is refused in well under a second; the node limit counts the loss and its derivatives, each with
 * the normal positioned error, naming the loss in a source file; and a legitimate loss of 5,000 nodes
 * compiles into methods the JIT accepts and computes the interpreter's values.
 */
class SizeLimitsTest {

    private static final List<String> W = List.of("w", "b");
    private static final List<String> X = List.of("x", "y");

    /** The fastest of three runs of {@code refusal}, which must throw a CompileError, in milliseconds. */
    private static double fastestRefusalMillis(Executable refusal) {
        double fastest = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            assertThrows(CompileError.class, refusal);
            fastest = Math.min(fastest, (System.nanoTime() - start) / 1e6);
        }
        return fastest;
    }

    @Test
    void refusesAHundredThousandLevelsAndAMillionCharactersInWellUnderASecond() {
        Symgrad.compile("w * x", W, X); // load the compiler's classes first
        String deep = "(".repeat(100_000) + "w" + ")".repeat(100_000);
        String deepCalls = "Math.exp(".repeat(40_000) + "w" + ")".repeat(40_000);
        String deepMinus = "- ".repeat(100_000) + "w";
        String million = "w" + " + x".repeat(250_000);
        for (String input : List.of(deep, deepCalls, deepMinus, million)) {
            double millis = fastestRefusalMillis(() -> Symgrad.compile(input, W, X));
            assertTrue(millis < 250, () -> "refusing " + input.length() + " characters took " + millis + " ms");
        }
    }

    /** A loss of {@code terms} distinct terms: about 5 nodes each, and a gradient about twice that. */
    private static String distinctTerms(int terms) {
        StringBuilder loss = new StringBuilder("0");
        for (int i = 0; i < terms; i++) {
            loss.append(" + Math.tanh(w * x + b * ").append(i).append(")");
        }
        return loss.toString();
    }

    @Test
    void refusesALossWithMoreNodesThanTheLimitAtItsStart() {
        LossCompiler small = new LossCompiler(Limits.DEFAULT, 100);
        CompileError error = assertThrows(CompileError.class, () -> small.compile(distinctTerms(50), W, X));
        assertEquals("<expression>:1:1: error: loss too large: the loss and its derivatives need more than 100"
                + " expression nodes", error.headline());
    }

    @Test
    void countsTheDerivativesTowardsTheNodeLimit() {
        String loss = distinctTerms(20);
        ExprFactory parseOnly = new ExprFactory();
        new ExpressionParser().parse(loss, ExpressionParser.EXPRESSION_SOURCE, W, X, parseOnly);
        int lossNodes = parseOnly.size();
        // Room for the loss, but not for its derivatives: refused, with the same error.
        LossCompiler roomForTheLossOnly = new LossCompiler(Limits.DEFAULT, lossNodes + 10);
        CompileError error = assertThrows(CompileError.class, () -> roomForTheLossOnly.compile(loss, W, X));
        assertTrue(error.reason().startsWith("loss too large: the loss and its derivatives need more than"),
                error::getMessage);
        assertEquals(1, error.line());
        assertEquals(1, error.column());
    }

    @Test
    void namesTheLossMethodOfASourceFileThatIsTooLarge() {
        String source = "class Losses {\n    static double big(double w, double x) {\n        return "
                + "w * x + Math.sin(w) * Math.cos(x) + Math.exp(w * x) + Math.tanh(w - x);\n    }\n}\n";
        CompileError error = assertThrows(CompileError.class,
                () -> new LossCompiler(Limits.DEFAULT, 20).compileMethod(source, "Losses.java", "big", List.of()));
        assertEquals("Losses.java:1:1: error: loss 'big' too large: it and its derivatives need more than 20"
                + " expression nodes", error.headline());
    }

    @Test
    void compilesAFiveThousandNodeLossIntoMethodsTheJitAcceptsWithTheInterpretersValues() {
        String source = distinctTerms(1_001);
        LossProgram program = new LossCompiler().compile(source, W, X);
        assertTrue(Graph.size(List.of(program.loss())) >= 5_000,
                () -> "only " + Graph.size(List.of(program.loss())) + " nodes");
        byte[] classBytes = LossCompiler.generateClass(program, HiddenClassDefiner.CLASS_NAME,
                ExpressionParser.EXPRESSION_SOURCE, source);
        GeneratedClassVerifier.verify(classBytes); // every method under 8,000 bytes
        CompiledLoss loss = HiddenClassDefiner.define(classBytes);
        InterpreterAgreement.assertAgrees(source, program, loss);
    }
}
