package dev.symgrad.compiler.properties;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

/** The providers of the oracle properties: random losses over the whole language, and points to evaluate them at. */
public abstract class RandomLossArbitraries {

    @Provide
    public Arbitrary<String> losses() {
        return RandomLosses.losses();
    }

    @Provide
    public Arbitrary<Point> points() {
        return Point.points();
    }
}
