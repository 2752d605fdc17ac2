package dev.symgrad.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SeedExampleTest {

    @Test
    void equivalentTwoWaysGivesTenTwice() {
        assertArrayEquals(new double[] {10.0, 10.0}, SeedExample.equivalentTwoWays(1.0, new double[] {1.0, 2.0}));
    }

    @Test
    void perExampleGradientsAreTwoAndEight() {
        assertArrayEquals(new double[] {2.0, 8.0}, SeedExample.perExampleGradients(1.0, new double[] {1.0, 2.0}));
    }

    @Test
    void runsTheVectorBatchLoopsUnderTheExamplesJvmOptions() {
        // The module comes from this module's surefire argLine, as exec:exec passes it to the examples.
        assertEquals("Vector API (jdk.incubator.vector)", SeedExample.batchLoops());
    }
}
