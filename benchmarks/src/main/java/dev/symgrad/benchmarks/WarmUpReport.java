package dev.symgrad.benchmarks;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loss's first calls in a fresh JVM, per backend: the time from the first route (b) call to the end of
 * call 1, 10, 100, ... of a run of calls on one batch, the median of {@value #FORKS} JVMs each. JMH's
 * iterations cannot show this (a call's time depends on how many came before it and on a background
 * warm-up thread), so each run is a child JVM of its own, started with the Vector API module and
 * {@code -Dsymgrad.backend} set to scalar, auto (the default: scalar kernels until the vector ones are
 * warm) or vector. Run: {@code java -cp benchmarks/target/benchmarks.jar dev.symgrad.benchmarks.WarmUpReport}.
 */
public final class WarmUpReport {

    private static final int FORKS = 3;
    private static final List<String> BACKENDS = List.of("scalar", "auto", "vector");

    private record Run(Workload workload, int examples, int calls) {
    }

    private WarmUpReport() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 3) {
            child(Workload.valueOf(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        System.out.println("java " + System.getProperty("java.version") + "; elapsed ms from the first call to the end"
                + " of call k (median of " + FORKS + " JVMs)");
        for (Run run : List.of(new Run(Workload.W3, 1000, 100_000), new Run(Workload.W4, 1000, 100_000),
                new Run(Workload.W3, 1_000_000, 30), new Run(Workload.W4, 1_000_000, 30))) {
            List<Integer> marks = marks(run.calls());
            System.out.println();
            System.out.println(run.workload() + ", route (b), N = " + run.examples() + ", " + run.calls() + " calls");
            System.out.println();
            StringBuilder header = new StringBuilder("| backend |");
            StringBuilder rule = new StringBuilder("|---|");
            for (int mark : marks) {
                header.append(" call ").append(mark).append(" |");
                rule.append("---:|");
            }
            System.out.println(header);
            System.out.println(rule);
            for (String backend : BACKENDS) {
                double[][] forks = new double[FORKS][];
                for (int fork = 0; fork < FORKS; fork++) {
                    forks[fork] = fork(backend, run);
                }
                StringBuilder row = new StringBuilder("| " + backend + " |");
                for (int m = 0; m < marks.size(); m++) {
                    double[] atMark = new double[FORKS];
                    for (int fork = 0; fork < FORKS; fork++) {
                        atMark[fork] = forks[fork][m];
                    }
                    Arrays.sort(atMark);
                    row.append(String.format(" %.1f |", atMark[FORKS / 2]));
                }
                System.out.println(row);
            }
        }
    }

    /** Calls 1, 10, 100, ... up to and including the last. */
    private static List<Integer> marks(int calls) {
        List<Integer> marks = new ArrayList<>();
        for (int mark = 1; mark < calls; mark *= 10) {
            marks.add(mark);
        }
        marks.add(calls);
        return marks;
    }

    private static double[] fork(String backend, Run run) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dsymgrad.backend=" + backend,
                "-cp", System.getProperty("java.class.path"), WarmUpReport.class.getName(), run.workload().name(),
                Integer.toString(run.examples()), Integer.toString(run.calls()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        if (process.waitFor() != 0 || line == null) {
            throw new IllegalStateException("the " + backend + " child JVM failed");
        }
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** In the child JVM: compile, then time the calls; prints the elapsed milliseconds at each mark. */
    private static void child(Workload workload, int examples, int calls) {
        double[][] columns = workload.columns(examples);
        double[] params = workload.parameterValues();
        CompiledLoss loss = Symgrad.compile(workload.expression(), workload.parameters(), workload.inputs());
        List<Integer> marks = marks(calls);
        StringBuilder elapsed = new StringBuilder();
        double checksum = 0;
        long start = System.nanoTime();
        for (int call = 1; call <= calls; call++) {
            checksum += loss.gradientOfSum(params, columns)[0];
            if (marks.contains(call)) {
                elapsed.append(String.format("%.3f ", (System.nanoTime() - start) / 1e6));
            }
        }
        if (Double.isNaN(checksum)) {
            System.err.println("NaN gradient");
        }
        System.out.println(elapsed.toString().trim());
    }
}
