package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.CodeShape;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.hardening.GeneratedClassReferences;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.properties.RandomLosses;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector backend's classes reach nothing but {@code java.lang.Math}, the scalar classes' helpers and
 * the listed pure members of the Vector API ({@code GeneratedClassReferences}), whatever the loss.
 */
class VectorClassReferencesTest {

    @Provide
    Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    @Property(tries = 150)
    void vectorClassesReachOnlyMathAndPureVectorOperations(@ForAll("losses") String source) {
        LossProgram program;
        try {
            program = new LossCompiler().compile(source, RandomLosses.PARAMETERS, RandomLosses.INPUTS);
        } catch (CompileError e) {
            Assume.that(false);
            return;
        }
        for (CodeShape.Conditionals conditionals : CodeShape.Conditionals.values()) {
            byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME,
                    new CodeShape(Backend.VECTOR, CodeShape.Loops.CHOSEN, conditionals));
            GeneratedClassVerifier.verify(bytes);
            GeneratedClassReferences.assertOnlyMathIsReachable(bytes, source, true);
        }
    }

    @Test
    void theScanSeesVectorClassesUseTheVectorApi() {
        LossProgram program = new LossCompiler().compile("Math.exp(w * x) < y ? Math.tanh(b * y) : Math.pow(x, w)",
                RandomLosses.PARAMETERS, RandomLosses.INPUTS);
        byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, Backend.VECTOR);
        assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("jdk/incubator/vector/DoubleVector"));
        GeneratedClassReferences.assertOnlyMathIsReachable(bytes, "vector class", true);
        assertThrows(AssertionError.class, () -> GeneratedClassReferences.assertOnlyMathIsReachable(bytes,
                "vector class", false), "the scalar list refuses the Vector API");
    }

    @Test
    void refusesVectorMembersOffTheList() {
        for (String[] member : List.of(new String[] {"DoubleVector", "reinterpretAsLongs"},
                new String[] {"DoubleVector", "rearrange"}, new String[] {"VectorSpecies", "fromArray"})) {
            ClassWriter writer = new ClassWriter(0);
            writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Forbidden", null, "dev/symgrad/runtime/GeneratedLoss", null);
            MethodVisitor mv = writer.visitMethod(Opcodes.ACC_STATIC, "f", "()V", null, null);
            mv.visitCode();
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "jdk/incubator/vector/" + member[0], member[1], "()V", false);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(1, 0);
            mv.visitEnd();
            writer.visitEnd();
            assertThrows(AssertionError.class,
                    () -> GeneratedClassReferences.assertOnlyMathIsReachable(writer.toByteArray(), "forbidden", true),
                    member[0] + "." + member[1]);
        }
    }
}
