package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.ErrorAssertions;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import static dev.symgrad.compiler.hardening.UntrustedCompilation.INPUTS;
import static dev.symgrad.compiler.hardening.UntrustedCompilation.PARAMETERS;

/**
 * Fuzzing: every input, however hostile, either compiles to a class whose values are the IR
 * interpreter's and which can reach nothing but {@code java.lang.Math}, or raises a {@link CompileError}
 * positioned inside the input and rendered with its caret. Nothing else may happen:
 * no other exception, no {@link Error} (stack overflow, out of memory), no hang.
 *
 * <p>The tries are bounded for {@code mvn verify}; a long campaign sets {@value FuzzTries#PROPERTY}
 * (see the README). jqwik picks a new seed per run and reruns a failing seed first next time.
 */
@AddLifecycleHook(FuzzTries.class)
class FuzzedInputsTest {

    /**
     * The backend of this JVM: scalar in the default suite, the Vector API in the {@code vector-backend}
     * execution, where a class may also reach the listed Vector API members. Its one-example kernels are
     * scalar code, and {@link InterpreterAgreement}'s batches of at most two examples run in the scalar
     * tail of the vector loops (checked below), so the comparison stays bit for bit.
     */
    private static final Backend BACKEND = Backend.selected();

    static {
        if (BACKEND == Backend.VECTOR && VectorLanes.preferred() <= 2) {
            throw new IllegalStateException("the fuzzer's batches of two examples would reach the vector loop");
        }
    }

    @Provide
    Arbitrary<String> hostileText() {
        return HostileInputs.anything();
    }

    @Provide
    Arbitrary<String> mutatedLosses() {
        return HostileInputs.mutatedLosses();
    }

    @Property(tries = 3_000)
    void frontEndBuildsAnExpressionOrRaisesAPositionedError(@ForAll("hostileText") String source) {
        UntrustedCompilation.Outcome<Expr> outcome = UntrustedCompilation.run(source,
                () -> new ExpressionParser().parse(source, ExpressionParser.EXPRESSION_SOURCE, PARAMETERS, INPUTS,
                        new ExprFactory()));
        if (outcome.error() != null) {
            assertDocumentedError(outcome.error(), source);
        }
        Statistics.label("front end").collect(outcome.error() == null ? "parsed" : "refused");
    }

    @Property(tries = 1_500)
    void everyInputCompilesToTheInterpretersValuesOrRaisesAPositionedError(@ForAll("hostileText") String source) {
        compileAndCheck(source);
    }

    /** Valid losses with small edits compile far more often than soups, so generated code is exercised too. */
    @Property(tries = 1_000)
    void editedLossesCompileToTheInterpretersValuesOrRaiseAPositionedError(@ForAll("mutatedLosses") String source) {
        compileAndCheck(source);
    }

    private static void compileAndCheck(String source) {
        UntrustedCompilation.Outcome<Compiled> outcome = UntrustedCompilation.run(source, () -> {
            LossProgram program = new LossCompiler().compile(source, PARAMETERS, INPUTS);
            byte[] classBytes = LossCompiler.generateClass(program, HiddenClassDefiner.CLASS_NAME,
                    ExpressionParser.EXPRESSION_SOURCE, source, BACKEND);
            return new Compiled(program, classBytes);
        });
        if (outcome.error() != null) {
            assertDocumentedError(outcome.error(), source);
            Statistics.label("pipeline").collect("refused");
            return;
        }
        Compiled compiled = outcome.value();
        GeneratedClassVerifier.verify(compiled.classBytes());
        GeneratedClassReferences.assertOnlyMathIsReachable(compiled.classBytes(), source, BACKEND == Backend.VECTOR);
        CompiledLoss loss = HiddenClassDefiner.define(compiled.classBytes());
        InterpreterAgreement.assertAgrees(source, compiled.program(), loss);
        Statistics.label("pipeline").collect("compiled");
    }

    private static void assertDocumentedError(CompileError error, String source) {
        UntrustedCompilation.assertPositionedInside(error, source);
        ErrorAssertions.assertRendering(error);
    }

    private record Compiled(LossProgram program, byte[] classBytes) {
    }
}
