package dev.symgrad.benchmarks;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.runtime.CompiledLoss;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.CodeSizeEvaluator;

import java.util.List;

/**
 * Facts about W5 that JMH does not measure: operation counts of the loss and its gradient, the largest
 * generated method, and the time of route (b) once warm. Run with {@code -XX:+PrintCompilation} to see
 * that the batch loop methods are JIT-compiled.
 */
public final class LargeLossReport {

    private LargeLossReport() {
    }

    /** Arithmetic and function nodes, not leaves: what one evaluation executes. */
    static int operations(List<? extends Node> roots) {
        int count = 0;
        for (Node node : Graph.topologicalOrder(roots)) {
            if (node instanceof Unary || node instanceof Binary || node instanceof Conditional) {
                count++;
            }
        }
        return count;
    }

    static int largestMethod(byte[] classFile) {
        int[] largest = {0};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new CodeSizeEvaluator(null) {
                    @Override
                    public void visitEnd() {
                        largest[0] = Math.max(largest[0], getMaxSize());
                    }
                };
            }
        }, 0);
        return largest[0];
    }

    public static void main(String[] args) {
        Workload workload = Workload.W5;
        LossProgram program = new LossCompiler().compile(workload.expression(), workload.parameters(), workload.inputs());
        int lossOperations = operations(List.of(program.loss()));
        int gradientOperations = operations(program.gradient());
        byte[] bytes = ClassGenerator.generate(program, "dev/symgrad/benchmarks/W5");
        System.out.println("w5.lossOperations=" + lossOperations);
        System.out.println("w5.gradientOperations=" + gradientOperations);
        System.out.printf("w5.gradientToLossRatio=%.2f%n", (double) gradientOperations / lossOperations);
        System.out.println("w5.lossNodes=" + Graph.size(List.of(program.loss())));
        System.out.println("w5.classBytes=" + bytes.length);
        System.out.println("w5.largestMethodBytes=" + largestMethod(bytes));
        CompiledLoss loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        double[] params = workload.parameterValues();
        double[][] columns = workload.columns(1000);
        double[] out = new double[params.length];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 200; round++) {
            long start = System.nanoTime();
            loss.gradientOfSumInto(params, columns, out);
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("w5.gradientOfSumNanosPerExample=%.1f%n", best / 1000.0);
    }
}
