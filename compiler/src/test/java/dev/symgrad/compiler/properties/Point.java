package dev.symgrad.compiler.properties;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Arrays;

/** Parameter values and one example. */
record Point(double[] params, double[] example) {

    static Arbitrary<Point> points() {
        Arbitrary<double[]> params = RandomLosses.values().array(double[].class).ofSize(RandomLosses.PARAMETERS.size());
        Arbitrary<double[]> example = RandomLosses.values().array(double[].class).ofSize(RandomLosses.INPUTS.size());
        return Combinators.combine(params, example).as(Point::new);
    }

    @Override
    public String toString() {
        return "params " + Arrays.toString(params) + ", example " + Arrays.toString(example);
    }
}
