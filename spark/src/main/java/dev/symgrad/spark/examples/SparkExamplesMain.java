package dev.symgrad.spark.examples;

import org.apache.spark.sql.SparkSession;

/** Runs both Spark examples in one local session: {@code mvn -B -q -pl spark exec:exec}. */
public final class SparkExamplesMain {

    private SparkExamplesMain() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkExamples.localSession("symgrad examples");
        try {
            SparkBreastCancerExample.run(spark);
            SparkDigitsExample.run(spark);
        } finally {
            spark.stop();
        }
    }
}
