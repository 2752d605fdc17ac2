package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.properties.ShapeLosses.LossCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

/** The providers of the shape properties (scalar and vector suites): losses, batch sizes and batch seeds. */
public abstract class ShapeArbitraries {

    @Provide
    public Arbitrary<LossCase> cases() {
        return ShapeLosses.cases();
    }

    @Provide
    public Arbitrary<Integer> sizes() {
        return Arbitraries.of(ShapeLosses.BATCH_SIZES);
    }

    @Provide
    public Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
