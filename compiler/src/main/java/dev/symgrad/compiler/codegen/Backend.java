package dev.symgrad.compiler.codegen;

import java.lang.reflect.Method;

/**
 * Which instructions the batch loops are made of. {@link #SCALAR} is plain {@code double} arithmetic and
 * {@code Math} calls, which C2 vectorizes only where it can (never {@code exp}, {@code log}, {@code tanh});
 * {@link #VECTOR} is the Vector API ({@code jdk.incubator.vector}), whose {@code lanewise} transcendental
 * functions are SIMD (Intel SVML stubs on x86). Only the run-time path picks {@link #VECTOR}: a class
 * written at build time must run on any JVM, with or without the incubator module.
 */
public enum Backend {
    SCALAR,
    VECTOR;

    /**
     * {@code auto} (the default: the vector backend where it is available, each vector kernel standing behind
     * its scalar twin until it is warm, {@link #tiered()}), {@code vector} (the vector kernels from the first
     * call) or {@code scalar}.
     */
    public static final String PROPERTY = "symgrad.backend";

    static final String VECTOR_MODULE = "jdk.incubator.vector";


    private static volatile Backend selected;
    private static volatile boolean tiered;

    /** The backend for classes compiled at run time in this JVM, chosen once from {@value #PROPERTY}. */
    public static Backend selected() {
        Backend backend = selected;
        if (backend == null) {
            String setting = System.getProperty(PROPERTY, "auto").strip();
            backend = choose(setting);
            tiered = backend == VECTOR && setting.equals("auto");
            selected = backend;
        }
        return backend;
    }

    /**
     * Whether {@link #selected()} is {@link #VECTOR} by the {@code auto} setting: then a run-time loss's
     * vector kernels run only once a warm-up has shown them faster than their scalar twins, which serve the
     * calls until then (the Vector API's loops are boxed and slow until C2 has compiled them). With
     * {@code vector} every call runs the vector kernels, so results never depend on that timing.
     */
    public static boolean tiered() {
        return selected() == VECTOR && tiered;
    }

    private static Backend choose(String setting) {
        String unavailable = vectorUnavailableBecause();
        switch (setting) {
            case "scalar":
                return SCALAR;
            case "vector":
                if (unavailable != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector, but " + unavailable);
                }
                return VECTOR;
            case "auto":
                if (unavailable == null) {
                    return VECTOR;
                }
                // Silently: a log line here started the JDK's logging on every first compile, 27 ms of a cold
                // compile's 125 (ColdCompileBenchmark, W1). vectorUnavailableBecause() says why, on demand.
                return SCALAR;
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + setting + ": expected auto, vector or scalar");
        }
    }

    /** Null if the Vector API can be used here, else why not. */
    public static String vectorUnavailableBecause() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return "the module " + VECTOR_MODULE + " is not readable (run java with --add-modules " + VECTOR_MODULE + ")";
        }
        try {
            Class<?> doubleVector = Class.forName(VECTOR_MODULE + ".DoubleVector");
            Object species = doubleVector.getField("SPECIES_PREFERRED").get(null);
            Method length = Class.forName(VECTOR_MODULE + ".VectorSpecies").getMethod("length");
            int lanes = (Integer) length.invoke(species);
            return lanes >= 2 ? null : "this CPU's preferred vector holds " + lanes + " double";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "the Vector API could not be used (" + e + ")";
        }
    }
}
