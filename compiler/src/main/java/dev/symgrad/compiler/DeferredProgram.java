package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LazyKernelClasses;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.BatchKernel;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.load.LazyKernelsLoss;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a run-time loss makes on demand from its program: the printed loss and derivatives, each printed
 * once, and the batch kernels' classes. Printing reads the immutable IR only, so threads may print at once;
 * {@link LazyKernelsLoss} defines each kernel once.
 */
final class DeferredProgram implements LazyKernelsLoss.Deferred {

    private final LossProgram program;
    private final Backend backend;
    private volatile String expression;
    private final AtomicReferenceArray<String> derivatives;

    DeferredProgram(LossProgram program, Backend backend) {
        this.program = program;
        this.backend = backend;
        this.derivatives = new AtomicReferenceArray<>(program.parameters().size());
    }

    @Override
    public String expression() {
        String printed = expression;
        if (printed == null) {
            printed = program.printedLoss();
            expression = printed;
        }
        return printed;
    }

    @Override
    public String derivative(int parameter) {
        String printed = derivatives.get(parameter);
        if (printed == null) {
            printed = program.printedDerivative(parameter);
            derivatives.set(parameter, printed);
        }
        return printed;
    }

    @Override
    public BatchKernel kernel(String method) {
        return HiddenClassDefiner.defineKernel(LazyKernelClasses.generateKernel(program, method,
                HiddenClassDefiner.KERNEL_CLASS_NAME, backend));
    }
}
