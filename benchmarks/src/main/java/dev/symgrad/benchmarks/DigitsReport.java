package dev.symgrad.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The digits section of {@code docs/benchmarks.md} ({@link BenchmarkReport}): the scores of {@link DigitsModelBenchmark},
 * which are already nanoseconds per example, with each row's ratio to {@code best} for the same model and
 * operation, and the PyTorch table that {@code benchmarks/pytorch-digits.sh} wrote in the same run.
 */
final class DigitsReport {

    static final List<String> OPERATIONS = List.of("gradientOfSum", "sumOfPerExampleGradients", "perExampleGradients",
            "clippedGradientSum", "perExampleGradientNorms");
    private static final List<String> TITLES = List.of("route (b)", "route (a) summed", "route (a) materialized",
            "fused clipped sum", "per-example norms");
    private static final List<String> IMPLEMENTATIONS = List.of("symgrad", Implementations.BEST,
            Implementations.STRAIGHTFORWARD);

    private DigitsReport() {
    }

    /** Appends the JMH table of one JDK; nothing if {@code scores} is empty. */
    static void appendScores(StringBuilder md, List<BenchmarkReport.Score> scores) {
        if (scores.isEmpty()) {
            return;
        }
        md.append("### W6-W8 on the digits (issue 15)\n\n");
        md.append("All 1,797 rows per call; W6 softmax regression (P = 650), W7 the 64→32→10 tanh network (2,410), W8"
                + " 64→256→10 (19,210). ns per example; **ratio** to `best` (`BestDigitsLoops`) in the same run.\n\n");
        md.append("| model | implementation |");
        for (String title : TITLES) {
            md.append(' ').append(title).append(" | ratio |");
        }
        md.append("\n|---|---|").append("---:|---:|".repeat(TITLES.size())).append('\n');
        for (String model : List.of("W6", "W7", "W8")) {
            for (String implementation : IMPLEMENTATIONS) {
                if (OPERATIONS.stream().allMatch(operation -> find(scores, model, implementation, operation) == null)) {
                    continue;
                }
                md.append("| ").append(model).append(" | ").append(implementation).append(" |");
                for (String operation : OPERATIONS) {
                    BenchmarkReport.Score score = find(scores, model, implementation, operation);
                    BenchmarkReport.Score best = find(scores, model, Implementations.BEST, operation);
                    if (score == null) {
                        md.append(" – | – |");
                        continue;
                    }
                    md.append(' ').append(String.format(Locale.ROOT, "%,.0f", score.nanos())).append(" | ")
                            .append(best == null ? "–" : String.format(Locale.ROOT, "%.2f×", score.nanos() / best.nanos()))
                            .append(" |");
                }
                md.append('\n');
            }
        }
        md.append('\n');
    }

    /** Appends {@code pytorch-digits.md} as written by {@code benchmarks/pytorch-digits.sh}, if it is there. */
    static void appendPyTorch(StringBuilder md, Path table) throws IOException {
        if (!Files.exists(table)) {
            return;
        }
        md.append("## PyTorch on the same machine (issue 15)\n\n");
        md.append("W6-W8 on the same digits, measured by `benchmarks/pytorch-digits.sh` in the same run; compare with"
                + " the W6-W8 tables above: route (b) with route (b), `vmap(grad)` with route (a) materialized, Opacus'"
                + " way with the fused clipped sum.\n\n");
        md.append(Files.readString(table).strip()).append("\n\n");
    }

    private static BenchmarkReport.Score find(List<BenchmarkReport.Score> scores, String model, String implementation,
                                              String operation) {
        return scores.stream().filter(s -> s.workload().equals(model) && s.implementation().equals(implementation)
                && s.benchmark().equals(operation)).findFirst().orElse(null);
    }
}
