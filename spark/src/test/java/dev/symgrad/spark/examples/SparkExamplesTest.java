package dev.symgrad.spark.examples;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark examples run as the README's command runs them, and train what they claim. */
class SparkExamplesTest {

    private final SparkSession spark = SparkExamples.localSession("symgrad example tests");

    @Test
    void breastCancerIsLearnedWithAndWithoutPrivacy() {
        SparkBreastCancerExample.Outcome outcome = SparkBreastCancerExample.run(spark);
        assertTrue(outcome.accuracy() > 0.95, "test accuracy " + outcome.accuracy());
        assertTrue(outcome.privateAccuracy() > 0.9, "DP-SGD test accuracy " + outcome.privateAccuracy());
        // σ = 2, q = 32/455, 150 steps: the accountant's ε, as on one machine.
        assertEquals(2.18, outcome.epsilon(), 0.01);
    }

    @Test
    void digitsAreLearnedWithAndWithoutPrivacy() {
        SparkDigitsExample.Outcome outcome = SparkDigitsExample.run(spark);
        assertTrue(outcome.accuracy() > 0.93, "test accuracy " + outcome.accuracy());
        assertTrue(outcome.privateAccuracy() > 0.85, "DP-SGD test accuracy " + outcome.privateAccuracy());
    }
}
