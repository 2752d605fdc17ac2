package dev.symgrad.spark;

import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.runtime.CompiledLoss;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes on Spark against the single-machine {@link CompiledLoss} on the same rows: equal within the
 * bound on a reordered sum, for several partitionings, empty partitions and a partition of one row; and
 * the errors a user meets, raised on the driver with the column or the position named.
 */
class SparkLossTest {

    /** A logistic loss over an array input {@code x} (an array column) and a label {@code y}. */
    static final String LOGISTIC = """
            class Losses {
                static double logistic(double[] w, double b, double[] x, double y) {
                    double t = b;
                    for (int j = 0; j < x.length; j++) t += w[j] * x[j];
                    return Math.log1p(Math.exp(-y * t));
                }
            }
            """;
    static final int D = 5;
    static final LossDefinition DEFINITION = LossDefinition.method(LOGISTIC, "logistic", List.of("w", "b"),
            Map.of("w", List.of(D), "x", List.of(D)));

    private final SparkSession spark = LocalSpark.session();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void routesEqualTheLocalLossForEachPartitioning(int partitions) {
        Table table = table(301, new Random(partitions), false);
        try (SparkLoss loss = SparkLoss.of(table.frame(spark).repartition(partitions), DEFINITION,
                ColumnMapping.byName(), 64)) {
            assertEquals(301, loss.count());
            assertRoutesMatch(loss, table, 0.9);
        }
    }

    @Test
    void emptyPartitionsAndAPartitionOfOneRow() {
        // Three rows in seven partitions: at least four partitions are empty.
        Table table = table(3, new Random(5), false);
        try (SparkLoss loss = SparkLoss.of(table.frame(spark).repartition(7), DEFINITION, ColumnMapping.byName())) {
            assertEquals(3, loss.count());
            assertRoutesMatch(loss, table, 0.5);
        }
        Table one = table(1, new Random(6), false);
        try (SparkLoss loss = SparkLoss.of(one.frame(spark).coalesce(1), DEFINITION, ColumnMapping.byName())) {
            assertEquals(1, loss.count());
            assertRoutesMatch(loss, one, 0.5);
        }
    }

    @Test
    void aNaNInAColumnGivesWhatTheLocalLossGives() {
        Table table = table(40, new Random(9), true);
        try (SparkLoss loss = SparkLoss.of(table.frame(spark).repartition(3), DEFINITION, ColumnMapping.byName())) {
            double[] params = params(new Random(1));
            CompiledLoss local = DEFINITION.compile();
            double[] sparkRouteB = loss.gradientOfSum(params);
            double[] localRouteB = local.gradientOfSum(params, table.columns());
            for (int p = 0; p < params.length; p++) {
                assertTrue(Double.isNaN(sparkRouteB[p]) && Double.isNaN(localRouteB[p]), "route (b) " + p);
            }
            double[] localClipped = new double[params.length];
            int skipped = local.clippedGradientSumInto(params, table.columns(), 0.9, localClipped);
            SparkLoss.ClippedSum clipped = loss.clippedGradientSum(params, 0.9);
            assertEquals(1, skipped);
            assertEquals(skipped, clipped.skippedExamples());
            assertClose(localClipped, clipped.sum(), bound(local, params, table.columns(), true), "clipped sum");
        }
    }

    @Test
    void aMissingColumnIsNamedBeforeAnyJobRuns() {
        Dataset<Row> frame = table(10, new Random(2), false).frame(spark);
        long jobs = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkLoss.of(frame,
                DEFINITION, ColumnMapping.byName().input("y", "label")));
        assertEquals("loss input 'y': the table has no column 'label'; its columns are [x, y]", e.getMessage());
        assertEquals(jobs, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length);
    }

    @Test
    void aMistypedColumnIsNamed() {
        StructType schema = new StructType(new StructField[] {
                DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType), false),
                DataTypes.createStructField("y", DataTypes.StringType, false)});
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(new double[D], "yes")), schema);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkLoss.of(frame, DEFINITION, ColumnMapping.byName()));
        assertEquals("loss input 'y': column 'y' has type string; it must be numeric", e.getMessage());
    }

    @Test
    void aLossThatDoesNotCompileFailsOnTheDriverWithItsPosition() {
        Dataset<Row> frame = table(10, new Random(2), false).frame(spark);
        LossDefinition broken = LossDefinition.expression("w * x +", List.of("w"), List.of("x"));
        CompileError e = assertThrows(CompileError.class, () -> SparkLoss.of(frame, broken, ColumnMapping.byName()));
        assertTrue(e.getMessage().contains("1:"), e.getMessage());
        assertTrue(e.getMessage().contains("^"), e.getMessage());
    }

    @Test
    void anArrayOfTheWrongLengthNamesItsPartitionRowAndColumn() {
        StructType schema = schema();
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(new double[D], 1.0));
        rows.add(RowFactory.create(new double[D - 1], 1.0));
        Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> SparkLoss.of(frame, DEFINITION, ColumnMapping.byName()));
        assertTrue(causes(e).contains("partition 0, row 1: column 'x' holds an array of 4 values in a row; the loss's"
                + " input takes 5"), causes(e));
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static void assertRoutesMatch(SparkLoss loss, Table table, double clipNorm) {
        CompiledLoss local = DEFINITION.compile();
        double[] params = params(new Random(3));
        double[][] columns = table.columns();
        double bound = bound(local, params, columns, false);
        assertClose(local.gradientOfSum(params, columns), loss.gradientOfSum(params), bound, "route (b)");
        assertClose(local.sumOfPerExampleGradients(params, columns), loss.sumOfPerExampleGradients(params), bound,
                "route (a) summed");
        assertClose(local.clippedGradientSum(params, columns, clipNorm), loss.clippedGradientSum(params, clipNorm).sum(),
                bound(local, params, columns, true), "clipped sum");
        double[] losses = local.perExampleLosses(params, columns);
        double absolute = 0;
        for (double value : losses) {
            absolute += Math.abs(value);
        }
        double lossBound = 2 * columns[0].length * Math.ulp(1.0) * absolute + Double.MIN_VALUE;
        assertEquals(local.totalLoss(params, columns), loss.totalLoss(params), lossBound, "total loss");
        SparkLoss.LossAndGradient both = loss.lossAndGradient(params);
        assertEquals(local.totalLoss(params, columns), both.loss(), lossBound, "loss of lossAndGradient");
        assertClose(local.gradientOfSum(params, columns), both.gradient(), bound, "gradient of lossAndGradient");
    }

    /**
     * The bound on reordering a sum of N terms: 2·N·ε·Σ|terms| per entry, the terms being the per-example
     * gradients (clipped to norm at most C when {@code clipped}, so bounded by their unclipped size).
     */
    private static double bound(CompiledLoss local, double[] params, double[][] columns, boolean clipped) {
        double[][] perExample = local.perExampleGradients(params, columns);
        double largest = 0;
        for (double[] row : perExample) {
            double absolute = 0;
            for (double value : row) {
                absolute += Double.isFinite(value) ? Math.abs(value) : 0;
            }
            largest = Math.max(largest, absolute);
        }
        return 2 * columns[0].length * Math.ulp(1.0) * largest + Double.MIN_VALUE;
    }

    private static void assertClose(double[] expected, double[] actual, double bound, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int p = 0; p < expected.length; p++) {
            assertEquals(expected[p], actual[p], bound, what + ", entry " + p);
        }
    }

    private static double[] params(Random random) {
        double[] params = new double[D + 1];
        for (int p = 0; p < params.length; p++) {
            params[p] = random.nextGaussian();
        }
        return params;
    }

    private static StructType schema() {
        return new StructType(new StructField[] {
                DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType), false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)});
    }

    /** Rows of {@code x[D]} and a label ±1, also as the local loss's columns; one NaN in x if asked. */
    private static Table table(int n, Random random, boolean withNaN) {
        double[][] columns = new double[D + 1][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                columns[j][i] = random.nextGaussian();
            }
            columns[D][i] = random.nextBoolean() ? 1 : -1;
        }
        if (withNaN) {
            columns[2][n / 2] = Double.NaN;
        }
        return new Table(columns);
    }

    record Table(double[][] columns) {
        Dataset<Row> frame(SparkSession spark) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < columns[0].length; i++) {
                double[] x = new double[D];
                for (int j = 0; j < D; j++) {
                    x[j] = columns[j][i];
                }
                rows.add(RowFactory.create(x, columns[D][i]));
            }
            return spark.createDataFrame(rows, schema());
        }
    }
}
