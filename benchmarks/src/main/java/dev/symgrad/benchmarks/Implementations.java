package dev.symgrad.benchmarks;

import dev.symgrad.benchmarks.reference.BestLoops;
import dev.symgrad.benchmarks.reference.HipparchusForwardMode;
import dev.symgrad.benchmarks.reference.StraightforwardLoops;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;

/** The implementations compared in the benchmarks, by the name used as a JMH parameter. */
public final class Implementations {

    public static final String SYMGRAD_RUNTIME = "symgradRuntime";
    public static final String SYMGRAD_BUILD_TIME = "symgradBuildTime";
    /** Run-time compiled with the scalar batch loops, whatever the JVM could use. */
    public static final String SYMGRAD_SCALAR = "symgradScalar";
    /** Run-time compiled with the Vector API batch loops; needs {@code --add-modules jdk.incubator.vector}. */
    public static final String SYMGRAD_VECTOR = "symgradVector";
    public static final String STRAIGHTFORWARD = "straightforward";
    public static final String BEST = "best";
    /** {@link #BEST}, with W3's sigmoid overflow-safe as symgrad's is; not in the report's default runs. */
    public static final String BEST_STABLE = "bestStable";
    public static final String HIPPARCHUS_GRADIENT = "hipparchusGradient";
    public static final String HIPPARCHUS_DERIVATIVE_STRUCTURE = "hipparchusDerivativeStructure";
    public static final String INTERPRETER = "interpreter";

    private Implementations() {
    }

    public static GradientImplementation create(String name, Workload workload) {
        return switch (name) {
            case SYMGRAD_RUNTIME -> new CompiledLossImplementation(
                    Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs()));
            case SYMGRAD_BUILD_TIME -> new CompiledLossImplementation(buildTime(workload));
            case SYMGRAD_SCALAR -> new CompiledLossImplementation(withBackend(workload, Backend.SCALAR));
            case SYMGRAD_VECTOR -> new CompiledLossImplementation(withBackend(workload, Backend.VECTOR));
            case STRAIGHTFORWARD -> StraightforwardLoops.forWorkload(workload);
            case BEST -> BestLoops.forWorkload(workload);
            case BEST_STABLE -> BestLoops.stableForWorkload(workload);
            case HIPPARCHUS_GRADIENT -> HipparchusForwardMode.forWorkload(workload, HipparchusForwardMode.Variant.GRADIENT);
            case HIPPARCHUS_DERIVATIVE_STRUCTURE ->
                    HipparchusForwardMode.forWorkload(workload, HipparchusForwardMode.Variant.DERIVATIVE_STRUCTURE);
            case INTERPRETER -> new IrInterpreter(
                    new LossCompiler().compile(workload.expression(), workload.parameters(), workload.inputs()));
            default -> throw new IllegalArgumentException("unknown implementation " + name);
        };
    }

    /** What {@code Symgrad.compile} gives when {@code -Dsymgrad.backend} selects {@code backend}. */
    static CompiledLoss withBackend(Workload workload, Backend backend) {
        if (backend == Backend.VECTOR && Backend.vectorUnavailableBecause() != null) {
            throw new IllegalStateException("symgradVector: " + Backend.vectorUnavailableBecause()
                    + "; run JMH with -jvmArgsAppend --add-modules=jdk.incubator.vector");
        }
        return HiddenClassDefiner.define(Symgrad.generateClass(workload.expression(), workload.parameters(),
                workload.inputs(), HiddenClassDefiner.CLASS_NAME, backend));
    }

    /** The classes the Maven plugin generated from {@link BenchmarkLosses} while this module was built. */
    static CompiledLoss buildTime(Workload workload) {
        return switch (workload) {
            case W1 -> BenchmarkLossesGradients.compiledW1();
            case W2 -> BenchmarkLossesGradients.compiledW2();
            case W3 -> BenchmarkLossesGradients.compiledW3();
            case W4 -> BenchmarkLossesGradients.compiledW4();
            case W5 -> throw new IllegalArgumentException("W5 is benchmarked for compile time only");
        };
    }
}
