package dev.symgrad.compiler.load;

import dev.symgrad.runtime.CompiledLoss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The load stage. In: class bytes named {@link #CLASS_NAME}. Out: an instance of the class, defined as
 * a hidden class (JEP 371), which the garbage collector unloads once the instance is unreachable;
 * nothing here keeps a reference to it.
 *
 * <p>Setting the system property {@value #DUMP_PROPERTY} to a directory writes every class defined
 * here to that directory first, for {@code javap -c} or a decompiler.
 */
public final class HiddenClassDefiner {

    /** Hidden classes must live in the package of the lookup that defines them. */
    public static final String CLASS_NAME = "dev/symgrad/compiler/load/GeneratedLoss";

    /** System property naming a directory to dump generated classes into. */
    public static final String DUMP_PROPERTY = "symgrad.dumpClasses";

    private static final AtomicLong DUMPED = new AtomicLong();

    private HiddenClassDefiner() {
    }

    /** Defines the class and returns a new instance of it. */
    public static CompiledLoss define(byte[] classBytes) {
        return (CompiledLoss) instantiate(classBytes, "class", new Class<?>[0]);
    }

    /**
     * Defines a class generated with its printed forms left for later
     * ({@code ClassGenerator.generatePrintingLater}) and returns a new instance, constructed with the functions
     * that print them.
     */
    public static CompiledLoss define(byte[] classBytes, Supplier<String> expression, IntFunction<String> derivative) {
        return (CompiledLoss) instantiate(classBytes, "class", new Class<?>[] {Supplier.class, IntFunction.class},
                expression, derivative);
    }

    /** The name of {@link #defineKernel}'s classes. */
    public static final String KERNEL_CLASS_NAME = "dev/symgrad/compiler/load/GeneratedKernel";

    /**
     * Defines a class extending {@link LazyKernelsLoss} and returns a new instance, constructed with
     * {@code deferred}, which prints and defines each batch kernel when first asked.
     */
    public static CompiledLoss defineWithLazyKernels(byte[] classBytes, LazyKernelsLoss.Deferred deferred) {
        return (CompiledLoss) instantiate(classBytes, "class", new Class<?>[] {LazyKernelsLoss.Deferred.class}, deferred);
    }

    /** Defines a batch kernel's class ({@link #KERNEL_CLASS_NAME}) and returns a new instance of it. */
    public static BatchKernel defineKernel(byte[] classBytes) {
        return (BatchKernel) instantiate(classBytes, "kernel class", new Class<?>[0]);
    }

    /** Dumps the class if asked, defines it and calls the constructor taking {@code parameterTypes}. */
    private static Object instantiate(byte[] classBytes, String what, Class<?>[] parameterTypes, Object... arguments) {
        dumpIfRequested(classBytes);
        try {
            Class<?> generated = MethodHandles.lookup().defineHiddenClass(classBytes, true).lookupClass();
            // Core reflection, not a MethodHandle: a handle to a new class spins a LambdaForm per class,
            // which cost more than generating the class (measured ~0.1 ms).
            return generated.getDeclaredConstructor(parameterTypes).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated " + what + " could not be instantiated", e);
        }
    }

    private static void dumpIfRequested(byte[] classBytes) {
        String directory = System.getProperty(DUMP_PROPERTY);
        if (directory == null || directory.isEmpty()) {
            return;
        }
        try {
            Path dir = Path.of(directory);
            Files.createDirectories(dir);
            Files.write(dir.resolve("GeneratedLoss-" + DUMPED.incrementAndGet() + ".class"), classBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump generated class to " + directory, e);
        }
    }
}
