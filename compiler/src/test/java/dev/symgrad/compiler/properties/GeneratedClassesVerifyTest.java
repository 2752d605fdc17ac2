package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.CodeSizeEvaluator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class symgrad generates passes ASM's verifier and keeps each method under the JIT's 8000-byte
 * limit, in both code shapes: the inline one for ordinary losses and the chunked one for losses too big
 * for one method. The checker itself is shown to catch both kinds of defect.
 */
class GeneratedClassesVerifyTest {

    private static final List<String> PARAMETERS = RandomLosses.PARAMETERS;
    private static final List<String> INPUTS = RandomLosses.INPUTS;
    private static final double[] PARAMS = {0.7, -0.3};
    private static final double[][] COLUMNS = {{1.0, 2.0, -3.0, 0.5, 0.25}, {1.0, -1.0, 1.0, -1.0, 0.0}};

    /** One loss per language feature, and some combinations. */
    static List<String> diverseLosses() {
        return List.of(
                "(w * x + b - y) * (w * x + b - y)",
                "Math.log1p(Math.exp(-y * (w * x + b)))",
                "w",
                "1.5",
                "x * y",
                "-(w) / (b + 2) - x",
                "Math.exp(w) + Math.log(Math.abs(b) + 1) + Math.expm1(w * x) + Math.sqrt(b * b) + Math.cbrt(w)",
                "Math.sin(w) * Math.cos(b) + Math.tan(w * 0.5) + Math.asin(0.5 * Math.tanh(w)) + Math.acos(0.25 * b)",
                "Math.atan(w * x) + Math.sinh(b) - Math.cosh(w) + Math.tanh(w * b * x)",
                "Math.max(w, x) + Math.min(b, y) + Math.hypot(w, b) + Math.pow(w, 3) + Math.pow(x, w) + Math.pow(w, b)",
                "Math.PI * w + Math.E * b + StrictMath.sin(w)",
                "x > 0 ? Math.sqrt(w * x) : Math.log(-w * x)",
                "(x < y && !(w >= b)) || x == 0 ? w * x : (y != 1 ? b : w * b)",
                "x <= 1 ? (y > 0 ? w : b) : (y < 0 ? w * w : b * b)",
                "true ? w : b",
                "1 / 2 + w + 3 / 2 * x + Math.abs(-3) * b + 7L * w",
                "Math.max(w * x, b) + Math.abs(w - b) + Math.pow(w, 3) + Math.pow(x, w) + Math.hypot(w, b)",
                "Math.pow(Math.sin(w * x) * Math.sin(w * x) + Math.cos(b * y) * Math.cos(b * y), 2.5)");
    }

    @ParameterizedTest
    @MethodSource("diverseLosses")
    void everyGeneratedClassVerifiesAndComputesItsIr(String source) {
        CompiledProgram compiled = CompiledProgram.compile(source);
        assertComputesItsIr(compiled);
    }

    @ParameterizedTest
    @MethodSource("diverseLosses")
    void classesForTheBuildPluginVerifyUnderAnyName(String source) {
        GeneratedClassVerifier.verify(Symgrad.generateClass(source, PARAMETERS, INPUTS, "com/example/losses/Loss"));
    }

    /** A sum too large for one method: 3000 terms, about 12000 nodes with the gradient. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ChunkedShape {
        private final CompiledProgram big = CompiledProgram.compile(bigSum(3000));

        private static String bigSum(int terms) {
            StringBuilder source = new StringBuilder("0");
            for (int i = 0; i < terms; i++) {
                source.append(" + Math.sin(w * x + ").append(i).append(") * b");
            }
            return source.toString();
        }

        @Test
        void isSplitIntoChunkMethodsEachUnderTheJitLimit() {
            Map<String, Integer> lengths = GeneratedClassVerifier.codeLengths(big.classBytes());
            List<String> chunks = new ArrayList<>();
            lengths.forEach((method, length) -> {
                if (method.contains("$")) {
                    chunks.add(method);
                }
                assertTrue(length < GeneratedClassVerifier.JIT_METHOD_LIMIT, method + " has " + length + " bytes");
            });
            assertTrue(chunks.size() > 7, "expected the chunked shape, found chunk methods " + chunks);
        }

        @Test
        void computesItsIr() {
            assertComputesItsIr(big);
        }

        @Test
        void routesAgree() {
            double[] routeA = big.loss().sumOfPerExampleGradients(PARAMS, COLUMNS);
            double[] routeB = big.loss().gradientOfSum(PARAMS, COLUMNS);
            // Each per-example partial is a sum of 3000 terms of size at most 3 (|sin|·|x| with |x| ≤ 3).
            double scale = 3000 * 3 * COLUMNS[0].length;
            assertArrayEquals(routeA, routeB, 1e-12 * scale);
        }
    }

    /** Loss and gradient at each example of {@link #COLUMNS}, bit for bit, by all per-example kernels. */
    private static void assertComputesItsIr(CompiledProgram compiled) {
        LossProgram program = compiled.program();
        CompiledLoss loss = compiled.loss();
        double[] perExampleLosses = loss.perExampleLosses(PARAMS, COLUMNS);
        double[][] perExampleGradients = loss.perExampleGradients(PARAMS, COLUMNS);
        Evaluator gradient = new Evaluator(program.gradient());
        for (int i = 0; i < COLUMNS[0].length; i++) {
            double[] example = {COLUMNS[0][i], COLUMNS[1][i]};
            double expectedLoss = Evaluator.value(program.loss(), PARAMS, example);
            double[] expectedGradient = gradient.values(program.gradient(), PARAMS, example);
            assertEquals(expectedLoss, loss.loss(PARAMS, example), "loss at example " + i);
            assertEquals(expectedLoss, perExampleLosses[i], "perExampleLosses at example " + i);
            assertArrayEquals(expectedGradient, loss.gradient(PARAMS, example), "gradient at example " + i);
            for (int p = 0; p < expectedGradient.length; p++) {
                assertEquals(expectedGradient[p], perExampleGradients[p][i], "perExampleGradients[" + p + "][" + i + "]");
            }
        }
    }

    @Nested
    class TheVerifierItself {

        @Test
        void rejectsAMethodThatPopsAnEmptyStack() {
            byte[] broken = classWithMethod("broken", mv -> {
                mv.visitInsn(Opcodes.POP);
                mv.visitInsn(Opcodes.RETURN);
            });
            AssertionError error = assertThrows(AssertionError.class, () -> GeneratedClassVerifier.verify(broken));
            assertTrue(error.getMessage().contains("does not verify"), error.getMessage());
        }

        @Test
        void rejectsAMethodTheJitWouldNeverCompile() {
            byte[] huge = classWithMethod("huge", mv -> {
                for (int i = 0; i < 4_000; i++) {
                    mv.visitInsn(Opcodes.ICONST_0);
                    mv.visitInsn(Opcodes.POP);
                }
                mv.visitInsn(Opcodes.RETURN);
            });
            assertEquals(8_001, GeneratedClassVerifier.codeLengths(huge).get("huge()V"));
            AssertionError error = assertThrows(AssertionError.class, () -> GeneratedClassVerifier.verify(huge));
            assertTrue(error.getMessage().contains("huge()V has 8001 bytes"), error.getMessage());
        }

        @Test
        void readsTheCodeLengthsAsmMeasures() {
            byte[] bytes = CompiledProgram.compile(diverseLosses().get(1)).classBytes();
            Map<String, Integer> lengths = GeneratedClassVerifier.codeLengths(bytes);
            List<String> measured = new ArrayList<>();
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new CodeSizeEvaluator(null) {
                        @Override
                        public void visitEnd() {
                            int length = lengths.get(name + descriptor);
                            assertTrue(getMinSize() <= length && length <= getMaxSize(),
                                    name + descriptor + ": read " + length + ", ASM measures "
                                            + getMinSize() + ".." + getMaxSize());
                            measured.add(name + descriptor);
                        }
                    };
                }
            }, 0);
            assertEquals(lengths.keySet(), new LinkedHashSet<>(measured));
        }

        private byte[] classWithMethod(String name, Consumer<MethodVisitor> body) {
            ClassWriter writer = new ClassWriter(0);
            writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "dev/symgrad/test/Handmade", null, "java/lang/Object", null);
            MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "()V", null, null);
            mv.visitCode();
            body.accept(mv);
            mv.visitMaxs(1, 0);
            mv.visitEnd();
            writer.visitEnd();
            return writer.toByteArray();
        }
    }
}
