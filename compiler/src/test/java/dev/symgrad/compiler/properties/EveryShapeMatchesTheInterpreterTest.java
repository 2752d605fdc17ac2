package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.CodeShape;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.properties.ShapeLosses.LossCase;
import dev.symgrad.runtime.CompiledLoss;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever shape the generator is forced into, every kernel computes what the IR interpreter computes:
 * fused, staged (loop fission, with or without calls) and chunked loops, each with bit-mask and jump
 * conditionals (the chunked shape always jumps), on {@link ShapeLosses} (unused parameters, parameters in
 * one branch, constant derivatives, vector parameters, losses large enough to chunk) over wide values,
 * at batch sizes crossing every tail and block boundary. See {@link KernelChecks} for what is compared.
 * The vector backend's shapes are checked in the {@code simd} suite, which runs with the module.
 */
class EveryShapeMatchesTheInterpreterTest {

    /** The scalar shapes, the generator's own choice first. */
    static List<CodeShape> scalarShapes() {
        List<CodeShape> shapes = new ArrayList<>();
        for (CodeShape.Loops loops : CodeShape.Loops.values()) {
            for (CodeShape.Conditionals conditionals : CodeShape.Conditionals.values()) {
                if (loops != CodeShape.Loops.CHUNKED || conditionals == CodeShape.Conditionals.JUMP) {
                    shapes.add(new CodeShape(Backend.SCALAR, loops, conditionals));
                }
            }
        }
        return shapes;
    }

    @Provide
    Arbitrary<LossCase> cases() {
        return ShapeLosses.cases();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(ShapeLosses.BATCH_SIZES);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 60)
    void everyKernelInEveryScalarShapeMatchesTheInterpreter(@ForAll("cases") LossCase loss, @ForAll("sizes") int size,
                                                            @ForAll("seeds") long seed) {
        assertEveryShape(loss, size, seed, scalarShapes(), KernelChecks.PerExample.EXACT);
    }

    /** Compiles {@code loss} once, then checks each shape's class against one run of the interpreter. */
    static void assertEveryShape(LossCase loss, int size, long seed, List<CodeShape> shapes,
                                 KernelChecks.PerExample rule) {
        LossProgram program = compile(loss);
        SplittableRandom random = new SplittableRandom(seed);
        double[] params = ShapeLosses.values(random, program.parameters().size());
        double[][] columns = new double[program.inputs().size()][];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = ShapeLosses.values(random, size);
        }
        KernelChecks.Expected expected = KernelChecks.Expected.of(program, params, columns);
        for (CodeShape shape : shapes) {
            byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, shape);
            GeneratedClassVerifier.verify(bytes);
            CompiledLoss compiled = HiddenClassDefiner.define(bytes);
            KernelChecks.assertEveryKernel(expected, compiled, rule,
                    "of " + loss + " in " + shape + ", batch of " + size + " from seed " + seed);
        }
    }

    private static LossProgram compile(LossCase loss) {
        try {
            return new LossCompiler().compile(loss.source(), loss.parameters(), loss.inputs());
        } catch (CompileError e) {
            // The one error random losses can have: an int division by a constant zero, as javac reports it.
            assertEquals("integer division by zero", e.reason(), loss.toString());
            Assume.that(false);
            throw e;
        }
    }
}
