package dev.symgrad.compiler.properties;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Losses that reach the corners of code generation, each a {@link RandomLosses} loss over {@code w, b,
 * x, y} plus pieces chosen independently:
 * <ul>
 *   <li>a third parameter {@code v} that the loss does not use (¼), uses only in one branch of a
 *       data-dependent conditional (¼), uses linearly so that its derivative simplifies to a constant
 *       (¼), or uses inside a call (¼);
 *   <li>with probability ⅓, a vector parameter {@code a[3]} and a vector input {@code z[3]} in a dot
 *       product under {@code tanh} and a rectifier;
 *   <li>with probability 1/8, twenty more random terms, enough for some kernels to exceed the JIT's
 *       method size and take the chunked shape when the shape is the generator's choice.
 * </ul>
 * {@link #value} draws parameters and inputs over wide ranges, {@link #moderateValue} near 1.
 */
public final class ShapeLosses {

    /** A loss with the names it is compiled with. */
    public record LossCase(String source, List<String> parameters, List<String> inputs) {
        @Override
        public String toString() {
            return "\"" + source + "\" with parameters " + parameters + " and inputs " + inputs;
        }
    }

    /**
     * A log of three written-out exponentials, which the simplifier shifts by their maximum under a
     * stop-gradient; minus a linear term, so that its parameters' derivatives are softmax-like.
     */
    public static final LossCase SHIFTED_LOG_SUM_EXP = new LossCase(
            "Math.log(Math.exp(w * x) + Math.exp(b * y) + Math.exp(v - x)) - y * w", List.of("w", "b", "v"),
            List.of("x", "y"));

    /**
     * Batch sizes that cross every unroll tail (4, 2), vector length (2, 4, 8) and staged block (128
     * examples; 256 before).
     */
    public static final List<Integer> BATCH_SIZES = List.of(0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 511, 513, 1000,
            4099);

    private ShapeLosses() {
    }

    public static Arbitrary<LossCase> cases() {
        return cases(true);
    }

    /**
     * As {@link #cases()}, with the twenty extra terms only if {@code chunkable}: the classes of second
     * derivatives of those are several times larger, and chunking is checked on the loss's own class.
     */
    public static Arbitrary<LossCase> cases(boolean chunkable) {
        Arbitrary<String> thirdParameter = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, Combinators.combine(RandomLosses.losses(2), RandomLosses.losses(2))
                        .as((a, b) -> " + (x < y ? v * " + a + " : " + b + ")")),
                Tuple.of(1, Arbitraries.of(" + 3.0 * v", " - v", " + v * 0.5")),
                Tuple.of(1, RandomLosses.losses(2).map(a -> " + Math.sin(v * " + a + ")")));
        Arbitrary<Boolean> vectors = Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true));
        Arbitrary<String> manyTerms = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just("")),
                Tuple.of(chunkable ? 1 : 0, RandomLosses.losses(4).list().ofSize(20).map(terms -> " + " + String.join(" + ", terms))));
        return Combinators.combine(RandomLosses.losses(), thirdParameter, vectors, manyTerms).as((core, v, vector, many) -> {
            List<String> parameters = new ArrayList<>(List.of("w", "b", "v"));
            List<String> inputs = new ArrayList<>(RandomLosses.INPUTS);
            String source = "(" + core + ")" + v + many;
            if (vector) {
                parameters.add("a[3]");
                inputs.add("z[3]");
                source += " + Math.tanh(a[0] * z[0] + a[1] * z[1] + a[2] * z[2]) + Math.max(0.0, a[1] * z[2] - w)";
            }
            return new LossCase(source, parameters, inputs);
        });
    }

    /**
     * A parameter or input value: 60% in [-2, 2] with four decimals (ties and zeros occur), 25% of
     * magnitude 10^e with e uniform in [-300, 300] and either sign, 15% special values: ±0, ±1, the
     * smallest subnormal, the largest double, and the edges of {@code exp}'s range.
     */
    public static double value(SplittableRandom random) {
        int kind = random.nextInt(20);
        if (kind < 12) {
            return Math.round(random.nextDouble(-2, 2) * 1e4) / 1e4;
        }
        if (kind < 17) {
            double magnitude = random.nextDouble(1, 10) * Math.pow(10, random.nextInt(-300, 301));
            return random.nextBoolean() ? magnitude : -magnitude;
        }
        double[] special = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 709.0, 710.0,
            -745.0};
        return special[random.nextInt(special.length)];
    }

    /**
     * A value of moderate size: 90% in [-2, 2] with four decimals, 10% one of ±0, ±1. Where an error is
     * carried through an expression (the vector backend), wide values make most bounds infinite.
     */
    public static double moderateValue(SplittableRandom random) {
        if (random.nextInt(10) < 9) {
            return Math.round(random.nextDouble(-2, 2) * 1e4) / 1e4;
        }
        double[] special = {0.0, -0.0, 1.0, -1.0};
        return special[random.nextInt(special.length)];
    }

    /** {@code count} values from {@link #value} ({@code wide}) or {@link #moderateValue}. */
    public static double[] values(SplittableRandom random, int count, boolean wide) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = wide ? value(random) : moderateValue(random);
        }
        return values;
    }
}
