package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.diagnostic.CompileError;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conditional with two integer branches is an {@code int} in Java (JLS 15.25) and stays one through
 * {@code + - *} and {@code Math.abs/max/min}. symgrad computes such values exactly in doubles and refuses
 * the one operation with no double equivalent, integer division; the {@link DerivativeOracle} computes
 * them as Java does. Wrapping at 2^31, which symgrad does not reproduce, is outside this property
 * (see {@code HandPickedOracleTest.IntegerArithmetic}).
 */
class IntegerConditionalsTest {

    private static final double RELATIVE = 1e-9;
    private static final double KINK_RELATIVE = 1e-6;
    private static final String REFUSED = "integer division refused";
    private static final String COMPUTED = "integer conditional computed";

    private final DerivativeOracle oracle = new DerivativeOracle(RandomLosses.PARAMETERS, RandomLosses.INPUTS, 1);

    @Provide
    Arbitrary<String> losses() {
        return RandomLosses.withIntegerConditionals();
    }

    @Provide
    Arbitrary<Point> points() {
        return Point.points();
    }

    @Property(tries = 200)
    void integerConditionalsComputeAsInJavaOrTheirDivisionIsRefused(@ForAll("losses") String source,
                                                                      @ForAll("points") Point point) {
        Assume.that(!oracle.rejects(source));
        boolean refused = oracle.hasRunTimeIntegerDivision(source);
        Statistics.collect(refused ? REFUSED : oracle.hasIntegerConditional(source) ? COMPUTED : "other");
        Statistics.coverage(coverage -> {
            coverage.check(REFUSED).percentage(percent -> percent > 1);
            coverage.check(COMPUTED).percentage(percent -> percent > 10);
        });
        if (refused) {
            CompileError error = assertThrows(CompileError.class, () -> CompiledProgram.compile(source), source);
            assertTrue(error.reason().startsWith("integer division of a value that is not a compile-time constant"),
                    error.reason());
            return;
        }
        DerivativeOracle.Evaluation java = oracle.evaluate(source, point.params(), point.example());
        Assume.that(java.value() != null && !java.wrappedAtRunTime() && java.finite()
                && java.isClearOfKinks(KINK_RELATIVE));
        double tolerance = RELATIVE * Math.max(1, java.magnitude());
        Assume.that(oracle.isWellConditioned(source, point.params(), point.example(), tolerance));
        double value = CompiledProgram.compile(source).loss().loss(point.params(), point.example());
        assertTrue(Math.abs(java.value().getValue() - value) <= tolerance,
                source + " at " + point + ": Java " + java.value().getValue() + ", symgrad " + value);
    }
}
