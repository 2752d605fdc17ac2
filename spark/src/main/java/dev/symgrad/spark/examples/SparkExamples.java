package dev.symgrad.spark.examples;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** What the Spark examples share: a local session, the bundled CSV files, standardization. */
final class SparkExamples {

    private SparkExamples() {
    }

    /** A local session with two worker threads and quiet logs. */
    static SparkSession localSession(String name) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /** Runs {@code body} in a {@link #localSession}, stopped afterwards: each example's {@code main}. */
    static void inLocalSession(String name, java.util.function.Consumer<SparkSession> body) {
        SparkSession spark = localSession(name);
        try {
            body.accept(spark);
        } finally {
            spark.stop();
        }
    }

    /** A bundled CSV file read with Spark's CSV reader (header, inferred numeric types). */
    static Dataset<Row> csv(SparkSession spark, String name) {
        return spark.read().option("header", true).option("inferSchema", true).csv(file(name).toString());
    }

    /** The bundled resource {@code /data/<name>} as a file Spark can read (copied out of a jar if need be). */
    private static Path file(String name) {
        try (InputStream in = SparkExamples.class.getResourceAsStream("/data/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /data/" + name);
            }
            Path copy = Files.createTempFile("symgrad-", "-" + name);
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code columns} standardized with the mean and standard deviation of {@code train}, in both tables. */
    static Dataset<Row>[] standardized(Dataset<Row> train, Dataset<Row> test, List<String> columns) {
        List<Column> statistics = new ArrayList<>();
        for (String column : columns) {
            statistics.add(functions.avg(column));
            statistics.add(functions.stddev_pop(column));
        }
        Row row = train.agg(statistics.get(0), statistics.subList(1, statistics.size()).toArray(Column[]::new)).first();
        Dataset<Row> standardTrain = train;
        Dataset<Row> standardTest = test;
        for (int j = 0; j < columns.size(); j++) {
            double mean = row.getDouble(2 * j);
            double deviation = row.getDouble(2 * j + 1);
            double scale = deviation > 0 ? deviation : 1;
            String column = columns.get(j);
            standardTrain = standardTrain.withColumn(column, functions.col(column).minus(mean).divide(scale));
            standardTest = standardTest.withColumn(column, functions.col(column).minus(mean).divide(scale));
        }
        @SuppressWarnings("unchecked")
        Dataset<Row>[] both = new Dataset[] {standardTrain, standardTest};
        return both;
    }
}
