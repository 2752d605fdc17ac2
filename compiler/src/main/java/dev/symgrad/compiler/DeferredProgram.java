package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LazyKernelClasses;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.BatchKernel;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.compiler.load.LazyKernelsLoss;
import dev.symgrad.compiler.load.TieredKernel;
import dev.symgrad.compiler.simplify.OverflowNotes;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a run-time loss makes on demand from its program: the printed loss and derivatives, each printed
 * once, and the batch kernels' classes. Printing reads the immutable IR only, so threads may print at once;
 * {@link LazyKernelsLoss} defines each kernel once.
 */
final class DeferredProgram implements LazyKernelsLoss.Deferred {

    private final LossProgram program;
    private final Backend backend;
    private final boolean tiered;
    private volatile String expression;
    private volatile List<String> notes;
    private final AtomicReferenceArray<String> derivatives;

    DeferredProgram(LossProgram program, Backend backend, boolean tiered) {
        this.program = program;
        this.backend = backend;
        this.tiered = tiered && backend == Backend.VECTOR;
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
    public List<String> notes() {
        List<String> made = notes;
        if (made == null) {
            made = List.copyOf(OverflowNotes.of(program.loss()));
            notes = made;
        }
        return made;
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

    /**
     * The kernel's class on this program's backend; on the tiered {@code auto} backend
     * ({@link Backend#tiered()}), its scalar class now and its vector class on the warm-up thread, which
     * promotes it once warm ({@link TieredKernel}).
     */
    @Override
    public BatchKernel kernel(String method) {
        if (!tiered) {
            return define(method, backend).kernel();
        }
        BatchKernel scalar = define(method, Backend.SCALAR).kernel();
        return TieredKernel.behindScalar(scalar, () -> {
            DefinedKernel vector = define(method, Backend.VECTOR);
            return vector.vectorLoop() ? vector.kernel() : null;
        }, method, program.parameters().size(), program.inputs().size());
    }

    private record DefinedKernel(BatchKernel kernel, boolean vectorLoop) {
    }

    private DefinedKernel define(String method, Backend on) {
        LazyKernelClasses.KernelClass generated = LazyKernelClasses.generateKernelClass(program, method,
                HiddenClassDefiner.KERNEL_CLASS_NAME, on);
        return new DefinedKernel(HiddenClassDefiner.defineKernel(generated.bytes()), generated.vectorLoop());
    }
}
