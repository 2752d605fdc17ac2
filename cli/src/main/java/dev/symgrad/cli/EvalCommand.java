package dev.symgrad.cli;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.runtime.CompiledLoss;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code symgrad eval}: the loss and both batch-gradient routes on a batch, and how far apart the routes are. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate the loss and the batch gradient by route (a) (sum of per-example gradients) and "
                + "route (b) (gradient of the summed loss) on a batch, and their largest absolute difference.")
final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    private SymgradCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private LossDeclaration declaration;

    @Mixin
    private ExpressionInput input;

    @Option(names = "--at", required = true, split = ",", paramLabel = "PARAM=VALUE",
            description = "Parameter values, e.g. w=1.0,b=0.5.")
    private List<String> at = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    private BatchOption batch;

    /** Exactly one source of batch data. */
    static final class BatchOption {
        @Option(names = "--batch", paramLabel = "FILE.csv",
                description = "CSV file with a header row naming the input columns (other columns are ignored).")
        Path file;

        @Option(names = "--batch-inline", paramLabel = "x=1,2[;y=3,4]", description = "The batch on the command line.")
        String inline;
    }

    @Option(names = "--per-example", description = "Also print the per-example gradients.")
    private boolean perExample;

    @Option(names = "--json", description = "Print one JSON object and nothing else.")
    private boolean json;

    @Option(names = "--clip", paramLabel = "C",
            description = "Also print DP-SGD's clipped sum: every example's gradient scaled to norm at most C, "
                    + "added up in one pass, an example whose gradient is NaN or infinite added as zero and "
                    + "counted (with --per-example, also each example's gradient norm).")
    private Double clipNorm;

    @Option(names = "--hvp", split = ",", paramLabel = "V",
            description = "Also print the Hessian-vector product of the summed loss, H·v, for this vector v (one "
                    + "value per parameter, in --wrt order), from generated second-order code.")
    private List<Double> hvp;

    @Override
    public Integer call() {
        if (clipNorm != null && !(clipNorm > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clip must be positive, got " + clipNorm);
        }
        ExpressionInput.Source source = input.read(parent.standardInput());
        LossProgram program = declaration.compile(source);
        // Loaded as Symgrad.compile loads: kernels on first call, on its backend (tiered scalar-then-vector
        // with -Dsymgrad.backend=auto, where each kernel called once stays scalar).
        CompiledLoss loss = load(program, source);
        for (String note : loss.notes()) {
            spec.commandLine().getErr().println("symgrad: note: " + note);
        }
        double[] params = InlineBatchParser.parameterValues(at, loss.parameters());
        Batch data = readBatch(loss.inputs());

        // Per-example losses are only printed in JSON; a 10-million-row batch need not hold them otherwise.
        double[] losses = json ? loss.perExampleLosses(params, data.columns()) : null;
        double total = loss.totalLoss(params, data.columns());
        double[] wayA = loss.sumOfPerExampleGradients(params, data.columns());
        double[] wayB = loss.gradientOfSum(params, data.columns());
        double[][] perExampleGradients = perExample ? loss.perExampleGradients(params, data.columns()) : null;
        double[] clippedSum = clipNorm != null ? new double[loss.parameters().size()] : null;
        int skippedExamples = clipNorm != null
                ? loss.clippedGradientSumInto(params, data.columns(), clipNorm, clippedSum) : 0;
        double[] norms = clipNorm != null && perExample ? loss.perExampleGradientNorms(params, data.columns()) : null;
        double[] hessianTimesV = hvp != null ? hessianVectorProduct(source, params, data.columns()) : null;

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonWriter writer = new JsonWriter(out)
                    .strings("params", loss.parameters())
                    .strings("inputs", loss.inputs())
                    .numbers("loss", losses)
                    .number("totalLoss", total)
                    .namedNumbers("wayA", loss.parameters(), wayA)
                    .namedNumbers("wayB", loss.parameters(), wayB);
            if (perExample) {
                writer.namedArrays("perExampleGradients", loss.parameters(), perExampleGradients);
            }
            if (clippedSum != null) {
                writer.number("clipNorm", clipNorm).namedNumbers("clippedSum", loss.parameters(), clippedSum)
                        .integer("skippedExamples", skippedExamples);
            }
            if (norms != null) {
                writer.numbers("perExampleNorms", norms);
            }
            if (hessianTimesV != null) {
                writer.namedNumbers("hvp", loss.parameters(), hessianTimesV);
            }
            writer.end();
            return 0;
        }
        out.println("examples:    " + data.size());
        out.println("total loss:  " + Numbers.shortest(total));
        out.println("route (a), sum of per-example gradients:");
        printNamed(out, loss.parameters(), wayA);
        out.println("route (b), gradient of the summed loss:");
        printNamed(out, loss.parameters(), wayB);
        out.println("largest |a - b|: " + Numbers.shortest(largestDifference(wayA, wayB)));
        if (clippedSum != null) {
            out.println("clipped sum (each example's gradient scaled to norm <= " + Numbers.shortest(clipNorm) + "):");
            printNamed(out, loss.parameters(), clippedSum);
            out.println("skipped examples (NaN or infinite gradient, added as zero): " + skippedExamples);
        }
        if (hessianTimesV != null) {
            out.println("Hessian-vector product of the summed loss, H·v:");
            printNamed(out, loss.parameters(), hessianTimesV);
        }
        if (perExample) {
            out.println("per-example gradients:");
            for (int p = 0; p < perExampleGradients.length; p++) {
                StringBuilder row = new StringBuilder("  d/d" + loss.parameters().get(p) + ": [");
                for (int i = 0; i < perExampleGradients[p].length; i++) {
                    row.append(i == 0 ? "" : ", ").append(Numbers.shortest(perExampleGradients[p][i]));
                }
                out.println(row.append(']'));
            }
            if (norms != null) {
                StringBuilder row = new StringBuilder("  |g|: [");
                for (int i = 0; i < norms.length; i++) {
                    row.append(i == 0 ? "" : ", ").append(Numbers.shortest(norms[i]));
                }
                out.println(row.append(']'));
            }
        }
        out.flush();
        return 0;
    }

    /**
     * {@code Σ_i ∇²f(params; x_i)·v}: route (b) of the generated auxiliary loss {@code Σ_p v_p·∂f/∂w_p}
     * ({@link LossCompiler#compileHessianVectorProduct}), its first P entries.
     */
    private double[] hessianVectorProduct(ExpressionInput.Source source, double[] params, double[][] columns) {
        int count = params.length;
        if (hvp.size() != count) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hvp needs one value per parameter ("
                    + count + "), got " + hvp.size());
        }
        LossProgram program = new LossCompiler().compileHessianVectorProduct(source.text(), source.name(),
                declaration.parameters, declaration.inputs);
        CompiledLoss directional = load(program, source);
        double[] joined = java.util.Arrays.copyOf(params, 2 * count);
        for (int p = 0; p < count; p++) {
            joined[count + p] = hvp.get(p);
        }
        return java.util.Arrays.copyOf(directional.gradientOfSum(joined, columns), count);
    }

    private Batch readBatch(List<String> inputs) {
        if (batch.file != null) {
            PrintWriter progress = System.console() != null ? spec.commandLine().getErr() : null;
            return CsvBatchReader.read(batch.file, inputs, progress);
        }
        return InlineBatchParser.parse(batch.inline, inputs);
    }

    private static void printNamed(PrintWriter out, List<String> names, double[] values) {
        for (int p = 0; p < names.size(); p++) {
            out.println("  " + names.get(p) + " = " + Numbers.shortest(values[p]));
        }
    }

    /** The largest |a - b|; NaN if any pair differs by NaN (NaN on one side only, or both infinite and apart). */
    static double largestDifference(double[] a, double[] b) {
        double largest = 0;
        for (int p = 0; p < a.length; p++) {
            double difference = Math.abs(a[p] - b[p]);
            if (Double.compare(a[p], b[p]) == 0) {
                difference = 0;
            }
            if (Double.isNaN(difference) || difference > largest) {
                largest = difference;
                if (Double.isNaN(difference)) {
                    break;
                }
            }
        }
        return largest;
    }

    /** {@link Symgrad#load}, with a bad {@code -Dsymgrad.backend} reported as a usage error. */
    private static CompiledLoss load(LossProgram program, ExpressionInput.Source source) {
        try {
            Backend.selected();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return Symgrad.load(program, source.name(), source.text());
    }
}
