package dev.symgrad.benchmarks;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.parse.Limits;
import dev.symgrad.runtime.CompiledLoss;

import java.util.List;

/**
 * Issue 14's compile table: for the logistic loss written as a method with a loop, at each width, the
 * class bytes, the first compile in this JVM, the median warm compile, and route (b) at N = 1,000 checked
 * against the hand-written loop of {@link WideModelBenchmark}; then the two tanh networks. Timings here
 * are single measurements for the table; {@link WideModelBenchmark} and {@link NetworkCompileBenchmark}
 * measure them with JMH. Run: {@code java -cp benchmarks.jar dev.symgrad.benchmarks.WideModelReport}.
 */
public final class WideModelReport {

    private static final int[] WIDTHS = {8, 32, 128, 512, 1024, 10_000, 100_000};

    private WideModelReport() {
    }

    public static void main(String[] args) {
        System.out.println("| d | form chosen | class bytes, chosen / loops | first compile | warm compile, chosen / loops (median of 21) | route (b) max relative difference to hand-written |");
        System.out.println("|---|---|---|---|---|---|");
        for (int d : WIDTHS) {
            LossCompiler.MethodLoss chosen = new LossCompiler().compileMethod(WideModels.LOGISTIC, "Wide.java",
                    "logistic", List.of("w", "b"), WideModels.logisticShapes(d));
            byte[] bytes = chosen.generateClass("Wide", "Wide.java", WideModels.LOGISTIC, Backend.SCALAR);
            byte[] loopBytes = new LossCompiler(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES, 0).compileMethod(
                    WideModels.LOGISTIC, "Wide.java", "logistic", List.of("w", "b"), WideModels.logisticShapes(d))
                    .generateClass("Wide", "Wide.java", WideModels.LOGISTIC, Backend.SCALAR);
            long start = System.nanoTime();
            WideModelBenchmark.compileLogistic(d, "chosen");
            double first = (System.nanoTime() - start) / 1e6;
            double warm = medianCompileMillis(() -> WideModelBenchmark.compileLogistic(d, "chosen"));
            double warmLoops = medianCompileMillis(() -> WideModelBenchmark.compileLogistic(d, "loops"));
            WideModelBenchmark benchmark = new WideModelBenchmark();
            benchmark.d = d;
            benchmark.n = 1000;
            benchmark.form = "chosen";
            benchmark.setUp();
            double[] compiled = benchmark.routeB().clone();
            double[] handWritten = benchmark.handWritten();
            double worst = 0;
            for (int j = 0; j < compiled.length; j++) {
                worst = Math.max(worst, Math.abs(compiled[j] - handWritten[j]) / Math.max(1e-300, Math.abs(handWritten[j])));
            }
            System.out.printf("| %,d | %s | %,d / %,d | %.1f ms | %.2f / %.2f ms | %.1e |%n", d,
                    chosen.isIndexed() ? "loops" : "unrolled", bytes.length, loopBytes.length, first, warm, warmLoops,
                    worst);
        }
        for (int hidden : new int[] {32, 256}) {
            long start = System.nanoTime();
            CompiledLoss network = compileNetwork(hidden);
            double first = (System.nanoTime() - start) / 1e6;
            double warm = medianCompileMillis(() -> compileNetwork(hidden));
            System.out.printf("64→%d→10 network (%,d parameters): first compile %.1f ms, warm %.2f ms%n", hidden,
                    network.parameters().size(), first, warm);
        }
    }

    private static CompiledLoss compileNetwork(int hidden) {
        return dev.symgrad.compiler.Symgrad.compileMethod(WideModels.network(hidden), "mlp",
                WideModels.NETWORK_PARAMETERS, WideModels.networkShapes(hidden));
    }

    private static double medianCompileMillis(Runnable compile) {
        double[] times = new double[21];
        for (int k = 0; k < times.length; k++) {
            long start = System.nanoTime();
            compile.run();
            times[k] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }
}
