package dev.symgrad.compiler.properties;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.List;

/** Parameter values and a batch of examples in the column layout, {@code columns[input][example]}. */
record Batch(double[] params, double[][] columns) {

    /** Batch sizes that hit every tail of a loop unrolled by 4 and 2 (N mod 4 = 1, 2, 3, N = 5, 17), and N = 0. */
    static final List<Integer> TAIL_SIZES = List.of(0, 1, 2, 3, 5, 17);

    /** Mostly {@link #TAIL_SIZES}, otherwise any size up to 40. */
    static Arbitrary<Batch> batches() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(TAIL_SIZES)),
                Tuple.of(1, Arbitraries.integers().between(0, 40)));
        return sizes.flatMap(Batch::ofSize);
    }

    /** Like {@link #batches()}, over {@link RandomLosses#wideValues()}. */
    static Arbitrary<Batch> wideBatches() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(TAIL_SIZES)),
                Tuple.of(1, Arbitraries.integers().between(0, 40))).flatMap(n -> ofSize(n, RandomLosses.wideValues()));
    }

    static Arbitrary<Batch> ofSize(int n) {
        return ofSize(n, RandomLosses.values());
    }

    private static Arbitrary<Batch> ofSize(int n, Arbitrary<Double> values) {
        Arbitrary<double[]> params = values.array(double[].class).ofSize(RandomLosses.PARAMETERS.size());
        Arbitrary<double[]> column = values.array(double[].class).ofSize(n);
        Arbitrary<double[][]> columns = column.array(double[][].class).ofSize(RandomLosses.INPUTS.size());
        return Combinators.combine(params, columns).as(Batch::new);
    }

    int size() {
        return columns[0].length;
    }

    /** Example {@code i} as one row, {@code example[input]}. */
    double[] example(int i) {
        return KernelChecks.example(columns, i);
    }

    @Override
    public String toString() {
        return "params " + Arrays.toString(params) + ", columns " + Arrays.deepToString(columns);
    }
}
