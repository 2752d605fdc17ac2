package dev.symgrad.spark.examples;

/** Runs both Spark examples in one local session: {@code mvn -B -q -pl spark exec:exec}. */
public final class SparkExamplesMain {

    private SparkExamplesMain() {
    }

    public static void main(String[] args) {
        SparkExamples.inLocalSession("symgrad examples", spark -> {
            SparkBreastCancerExample.run(spark);
            SparkDigitsExample.run(spark);
        });
    }
}
