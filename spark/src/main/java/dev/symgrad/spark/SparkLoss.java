package dev.symgrad.spark;

import dev.symgrad.runtime.CompiledLoss;
import dev.symgrad.runtime.privacy.DpSgd;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A compiled loss over a Spark table: the batch routes, the total loss and DP-SGD's fused clipped sum,
 * each computed by the executors on their own partitions and added up on the driver.
 *
 * <pre>{@code
 * Dataset<Row> table = spark.read().option("header", true).option("inferSchema", true).csv("breast_cancer.csv");
 * SparkLoss loss = SparkLoss.of(table, LossDefinition.method(source, "logistic", List.of("w", "b"), shapes),
 *         ColumnMapping.byName().input("x", featureColumns).input("y", "label"));
 * double[] g = loss.gradientOfSum(params);         // route (b), over every row of the table
 * }</pre>
 *
 * <p><b>What runs where.</b> {@link #of} compiles the loss on the driver (a {@code CompileError} is thrown
 * there, with its position in the text, before any job) and checks the columns against the table's schema
 * (a missing or mistyped column is an error naming it). It then reads each partition once into blocks of
 * input columns ({@code double[input][row]}, the layout the generated kernels read) and caches them, so
 * each later call runs the compiled kernels on arrays, with no object per row. No class crosses the wire:
 * each executor compiles the {@link LossDefinition}'s text once and reuses the class
 * ({@link LossDefinition#compile}).
 *
 * <p><b>Order of the sums.</b> Each partition's blocks are summed in order by the kernels, then the
 * partitions' sums are added on the driver in partition order. A {@code treeAggregate} would merge them in
 * the order its tasks finish, so the last bits could differ between two runs; here the same table with the
 * same partitioning gives the same bits every time, and the result differs from the single-machine
 * {@link CompiledLoss} on the same rows only by the order of the additions.
 *
 * <p>Call {@link #close} to release the cached blocks.
 */
public final class SparkLoss implements AutoCloseable {

    /** Rows per block unless given: 4,096 rows of 64 inputs are 2 MB. */
    public static final int DEFAULT_ROWS_PER_BLOCK = 4096;

    private final LossDefinition definition;
    private final CompiledLoss loss;
    private final JavaRDD<ColumnBlock> blocks;
    private final long count;

    private SparkLoss(LossDefinition definition, CompiledLoss loss, JavaRDD<ColumnBlock> blocks, long count) {
        this.definition = definition;
        this.loss = loss;
        this.blocks = blocks;
        this.count = count;
    }

    /** {@link #of(Dataset, LossDefinition, ColumnMapping, int)} with {@link #DEFAULT_ROWS_PER_BLOCK}. */
    public static SparkLoss of(Dataset<Row> table, LossDefinition definition, ColumnMapping mapping) {
        return of(table, definition, mapping, DEFAULT_ROWS_PER_BLOCK);
    }

    /**
     * Compiles {@code definition}, checks {@code mapping} against the table's schema, then reads and caches
     * the table's partitions as blocks of at most {@code rowsPerBlock} rows (one job, which also counts them).
     *
     * @throws dev.symgrad.compiler.diagnostic.CompileError if the loss does not compile
     * @throws IllegalArgumentException                     if a column is missing or not numeric, or the
     *                                                      mapping does not fit the loss's inputs
     */
    public static SparkLoss of(Dataset<Row> table, LossDefinition definition, ColumnMapping mapping, int rowsPerBlock) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(mapping, "mapping");
        if (rowsPerBlock < 1) {
            throw new IllegalArgumentException("rowsPerBlock must be positive: " + rowsPerBlock);
        }
        CompiledLoss loss = definition.compile();
        ColumnPlan plan = ColumnPlan.of(loss, mapping, table.schema());
        Dataset<Row> selected = table.select(plan.selection().toArray(org.apache.spark.sql.Column[]::new));
        JavaRDD<ColumnBlock> blocks = selected.javaRDD()
                .mapPartitionsWithIndex((partition, rows) -> ColumnBlock.read(partition, rows, plan, rowsPerBlock), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        long count = blocks.map(ColumnBlock::rows).fold(0, Integer::sum);
        return new SparkLoss(definition, loss, blocks, count);
    }

    /** The loss, compiled on the driver (for single-machine calls on the same definition). */
    public CompiledLoss loss() {
        return loss;
    }

    /** The definition shipped to the executors. */
    public LossDefinition definition() {
        return definition;
    }

    /** How many rows (examples) the table has. */
    public long count() {
        return count;
    }

    /**
     * The cached rows as MLlib's training data: {@code (0.0, the row's inputs)}, the inputs in the order of
     * the loss's {@code inputs()}, for {@link MllibGradient}.
     */
    public JavaRDD<scala.Tuple2<Object, org.apache.spark.mllib.linalg.Vector>> mllibData() {
        return blocks.flatMap(block -> {
            double[][] columns = block.columns();
            List<scala.Tuple2<Object, org.apache.spark.mllib.linalg.Vector>> rows = new java.util.ArrayList<>();
            for (int i = 0; i < block.rows(); i++) {
                double[] row = new double[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    row[c] = columns[c][i];
                }
                rows.add(new scala.Tuple2<>(0.0, org.apache.spark.mllib.linalg.Vectors.dense(row)));
            }
            return rows.iterator();
        });
    }

    /** The number of parameters P. */
    public int parameterCount() {
        return loss.parameters().size();
    }

    /** The loss summed over every row. */
    public double totalLoss(double[] params) {
        double[] params0 = checked(params);
        LossDefinition definition = this.definition;
        return sum(1, (block, out) -> out[0] = definition.compile().totalLoss(params0, block.columns()))[0];
    }

    /** Route (b): the gradient of the summed loss, over every row. */
    public double[] gradientOfSum(double[] params) {
        double[] params0 = checked(params);
        LossDefinition definition = this.definition;
        return sum(params0.length, (block, out) -> definition.compile().gradientOfSumInto(params0, block.columns(), out));
    }

    /** The summed loss and route (b)'s gradient in one pass over the table (one job), as optimizers ask for them. */
    public LossAndGradient lossAndGradient(double[] params) {
        double[] params0 = checked(params);
        LossDefinition definition = this.definition;
        int p = params0.length;
        double[] sum = sum(p + 1, (block, out) -> {
            CompiledLoss compiled = definition.compile();
            double[] gradient = new double[p];
            compiled.gradientOfSumInto(params0, block.columns(), gradient);
            System.arraycopy(gradient, 0, out, 0, p);
            out[p] = compiled.totalLoss(params0, block.columns());
        });
        return new LossAndGradient(sum[p], java.util.Arrays.copyOf(sum, p));
    }

    /** A summed loss and its gradient. */
    public record LossAndGradient(double loss, double[] gradient) {
    }

    /** Route (a) summed: the sum of the per-example gradients, over every row. */
    public double[] sumOfPerExampleGradients(double[] params) {
        double[] params0 = checked(params);
        LossDefinition definition = this.definition;
        return sum(params0.length,
                (block, out) -> definition.compile().sumOfPerExampleGradientsInto(params0, block.columns(), out));
    }

    /** DP-SGD's fused clipped sum over every row, and how many rows were skipped (a NaN or infinite gradient). */
    public ClippedSum clippedGradientSum(double[] params, double clipNorm) {
        double[] params0 = checked(params);
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be positive: " + clipNorm);
        }
        LossDefinition definition = this.definition;
        int p = params0.length;
        double[] sum = sum(p + 1, (block, out) -> {
            double[] gradient = new double[p];
            out[p] = definition.compile().clippedGradientSumInto(params0, block.columns(), clipNorm, gradient);
            System.arraycopy(gradient, 0, out, 0, p);
        });
        return new ClippedSum(java.util.Arrays.copyOf(sum, p), (long) sum[p]);
    }

    /**
     * One DP-SGD step's clipped sum over a Poisson-sampled batch, drawn on the executors: partition k
     * includes each of its rows, in order, when the next double of
     * {@link DpSgd#samplingStream DpSgd.samplingStream(samplingSeed, step, k)} is below {@code sampleRate};
     * the sampled rows' clipped gradients are summed by the compiled fused kernel, and the partitions'
     * sums added on the driver in partition order. The signature is {@link DpSgd.SampledClippedSum}'s, so
     * that
     *
     * <pre>{@code
     * DpSgd.Result result = dpSgd.train(loss::clippedSumOfSample, initialParams, loss.count());
     * }</pre>
     *
     * trains on the cluster, with the noise added once per step on the driver and the accountant as on one
     * machine. The same seed and partitioning give the same bits.
     *
     * @return how many sampled rows were skipped because their gradient was not finite
     */
    public long clippedSumOfSample(long samplingSeed, long step, double sampleRate, double[] params, double clipNorm,
                                   double[] out) {
        double[] params0 = checked(params);
        if (out.length != params0.length) {
            throw new IllegalArgumentException("out has " + out.length + " entries, expected " + params0.length);
        }
        LossDefinition definition = this.definition;
        int p = params0.length;
        double[] sum = sumPartitions(p + 1, (partition, partitionBlocks, total) -> {
            java.util.SplittableRandom stream = DpSgd.samplingStream(samplingSeed, step, partition);
            double[] gradient = new double[p];
            while (partitionBlocks.hasNext()) {
                double[][] batch = sample(partitionBlocks.next(), stream, sampleRate);
                if (batch.length > 0 && batch[0].length > 0) {
                    java.util.Arrays.fill(gradient, 0);
                    total[p] += definition.compile().clippedGradientSumInto(params0, batch, clipNorm, gradient);
                    for (int k = 0; k < p; k++) {
                        total[k] += gradient[k];
                    }
                }
            }
        });
        System.arraycopy(sum, 0, out, 0, p);
        return (long) sum[p];
    }

    /** The block's rows whose draw from {@code stream} is below {@code sampleRate}, as fresh columns. */
    private static double[][] sample(ColumnBlock block, java.util.SplittableRandom stream, double sampleRate) {
        int rows = block.rows();
        int[] sampled = new int[rows];
        int count = 0;
        for (int i = 0; i < rows; i++) {
            if (stream.nextDouble() < sampleRate) {
                sampled[count++] = i;
            }
        }
        double[][] columns = block.columns();
        double[][] batch = new double[columns.length][count];
        for (int c = 0; c < columns.length; c++) {
            for (int b = 0; b < count; b++) {
                batch[c][b] = columns[c][sampled[b]];
            }
        }
        return batch;
    }

    /** A clipped gradient sum and the number of examples it skipped because their gradient was not finite. */
    public record ClippedSum(double[] sum, long skippedExamples) {
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }

    private double[] checked(double[] params) {
        Objects.requireNonNull(params, "params");
        if (params.length != parameterCount()) {
            throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + params.length);
        }
        return params.clone();
    }

    /** What one block contributes: written to {@code out}, which the caller has zeroed. */
    interface BlockKernel extends Serializable {
        void apply(ColumnBlock block, double[] out);
    }

    /** What one partition contributes: added to {@code total}, given the partition's index and blocks in order. */
    interface PartitionKernel extends Serializable {
        void apply(int partition, Iterator<ColumnBlock> blocks, double[] total);
    }

    /** Each block through {@code kernel}, summed in block order within a partition ({@link #sumPartitions}). */
    private double[] sum(int length, BlockKernel kernel) {
        return sumPartitions(length, (partition, partitionBlocks, total) -> {
            double[] out = new double[length];
            while (partitionBlocks.hasNext()) {
                java.util.Arrays.fill(out, 0);
                kernel.apply(partitionBlocks.next(), out);
                for (int k = 0; k < length; k++) {
                    total[k] += out[k];
                }
            }
        });
    }

    /** Each partition's sum by {@code kernel} on its executor, then the sums added in partition order here. */
    private double[] sumPartitions(int length, PartitionKernel kernel) {
        List<double[]> partials = blocks.mapPartitionsWithIndex((partition, partitionBlocks) -> {
            double[] total = new double[length];
            kernel.apply(partition, partitionBlocks, total);
            return List.of(total).iterator();
        }, true).collect();
        double[] total = new double[length];
        for (double[] partial : partials) {
            for (int k = 0; k < length; k++) {
                total[k] += partial[k];
            }
        }
        return total;
    }
}
