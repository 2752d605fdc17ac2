package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * A long-running service in miniature, run in its own JVM by {@link MetaspaceTest}: compiles N distinct
 * losses one after another through {@link Symgrad#compile} (its cache included), evaluates each once and
 * keeps none. Prints {@code metaspace compiled=K used=BYTES committed=BYTES loaded=C unloaded=C} at a few
 * points and {@code done} at the end; an {@code OutOfMemoryError} ends it with a non-zero exit code.
 */
public final class ManyDistinctLosses {

    private ManyDistinctLosses() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        int reports = 10;
        List<String> parameters = List.of("w");
        List<String> inputs = List.of("x");
        double[] params = {2.0};
        double[] example = {3.0};
        report(0);
        for (int k = 1; k <= count; k++) {
            CompiledLoss loss = Symgrad.compile("w * x + " + k, parameters, inputs);
            double value = loss.loss(params, example);
            if (value != 6.0 + k) {
                throw new AssertionError("loss " + k + " gave " + value);
            }
            if (k % (count / reports) == 0) {
                report(k);
            }
        }
        System.out.println("done");
    }

    private static void report(int compiled) {
        MemoryUsage metaspace = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage();
            }
        }
        if (metaspace == null) {
            throw new IllegalStateException("no Metaspace memory pool");
        }
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        System.out.println("metaspace compiled=" + compiled + " used=" + metaspace.getUsed() + " committed="
                + metaspace.getCommitted() + " loaded=" + classes.getTotalLoadedClassCount() + " unloaded="
                + classes.getUnloadedClassCount());
    }
}
