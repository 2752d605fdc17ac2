package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The printed loss and derivatives of a fixed list of losses, compared with
 * {@code src/test/resources/golden/<name>.txt}. After an intended change, regenerate them with
 * {@code mvn test -pl compiler -Dtest=GoldenDerivativesTest -Dsymgrad.updateGolden=true} and review the
 * diff: every derivative in those files has been checked by hand.
 */
class GoldenDerivativesTest {

    private static final boolean UPDATE = Boolean.getBoolean("symgrad.updateGolden");
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", System.getProperty("user.dir")),
            "src", "test", "resources", "golden");

    /** One loss of the list: a file name, the source and its declarations. */
    record GoldenLoss(String name, String source, List<String> parameters, List<String> inputs) {

        GoldenLoss(String name, String source, String parameters, String inputs) {
            this(name, source, List.of(parameters.split(",")), List.of(inputs.split(",")));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<GoldenLoss> LOSSES = List.of(
            new GoldenLoss("seed", "(w * x) * (w * x)", "w", "x"),
            new GoldenLoss("linear_regression", "(w * x + b - y) * (w * x + b - y)", "w,b", "x,y"),
            new GoldenLoss("logistic", "Math.log1p(Math.exp(-y * (w * x + b)))", "w,b", "x,y"),
            new GoldenLoss("tanh_unit", "(Math.tanh(w * x + b) - y) * (Math.tanh(w * x + b) - y)", "w,b", "x,y"),
            new GoldenLoss("softplus", "Math.log(1 + Math.exp(w * x + b))", "w,b", "x"),
            new GoldenLoss("hinge", "y * (w * x + b) < 1 ? 1 - y * (w * x + b) : 0", "w,b", "x,y"),
            new GoldenLoss("abs_max_min", "Math.abs(w * x - y) + Math.max(w, b) + Math.min(w * x, 0)", "w,b", "x,y"),
            new GoldenLoss("pow_param_exponent", "Math.pow(x, w) + Math.pow(w, b) + Math.pow(w, 3)", "w,b", "x"),
            new GoldenLoss("hypot", "Math.hypot(w, b * x)", "w,b", "x"),
            new GoldenLoss("math_pi", "Math.PI * w * w + Math.sin(Math.PI * w * x)", "w", "x"),
            new GoldenLoss("huber", "Math.abs(w * x - y) <= 1 ? 0.5 * (w * x - y) * (w * x - y)"
                    + " : Math.abs(w * x - y) - 0.5", "w", "x,y"),
            new GoldenLoss("gaussian", "Math.exp(-(w * x - y) * (w * x - y) / (2 * s * s))", "w,s", "x,y"),
            new GoldenLoss("sqrt_ratio", "Math.sqrt(w * w + x * x) / b", "w,b", "x"),
            new GoldenLoss("trig", "Math.sin(w) * Math.cos(b * x) + Math.atan(w * b) + Math.cbrt(w)", "w,b", "x"),
            new GoldenLoss("integer_literals", "1/2 + w + 3/2*x + 1.0/2*b", "w,b", "x"),
            new GoldenLoss("cross_entropy", "-y * Math.log(1 / (1 + Math.exp(-(w * x + b))))"
                    + " - (1 - y) * Math.log(1 - 1 / (1 + Math.exp(-(w * x + b))))", "w,b", "x,y"),
            new GoldenLoss("logical_conditions", "x > 0 && w > 0 || !(b < x) ? w * x : -w * b", "w,b", "x"));

    static Stream<GoldenLoss> losses() {
        return LOSSES.stream();
    }

    /** The golden text: what was compiled, then the printed loss and one line per partial derivative. */
    static String render(GoldenLoss golden, CompiledLoss loss) {
        StringBuilder text = new StringBuilder();
        text.append("source: ").append(golden.source()).append('\n');
        text.append("parameters: ").append(String.join(", ", golden.parameters())).append('\n');
        text.append("inputs: ").append(String.join(", ", golden.inputs())).append('\n');
        text.append('\n');
        text.append("loss: ").append(loss.expression()).append('\n');
        for (String parameter : loss.parameters()) {
            text.append("d/d").append(parameter).append(": ").append(loss.derivative(parameter)).append('\n');
        }
        return text.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void printedDerivativesMatchTheGoldenFile(GoldenLoss golden) throws IOException {
        String actual = render(golden, Symgrad.compile(golden.source(), golden.parameters(), golden.inputs()));
        Path file = GOLDEN.resolve(golden.name() + ".txt");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), () -> "missing " + file + "; run with -Dsymgrad.updateGolden=true and review it");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, () -> "golden file " + file);
    }

    @Test
    void everyGoldenFileBelongsToALoss() throws IOException {
        assumeFalse(UPDATE, "updating: stale files are for the reviewer to delete");
        Set<String> expected = LOSSES.stream().map(l -> l.name() + ".txt").collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.list(GOLDEN)) {
            present = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, present, "stale or missing golden files in " + GOLDEN);
    }

    @Test
    void theSeedPrintsTheReferenceDerivative() {
        assertEquals("2.0 * w * (x * x)", Symgrad.compile("(w * x) * (w * x)", List.of("w"), List.of("x")).derivative("w"));
    }

    /** Parsing the printed text back gives the same values: the printer keeps structure and parentheses. */
    @Nested
    class PrinterRoundTrip {

        /** Fixed points: random ones, plus zeros and ties where conditionals and conventions switch. */
        private List<double[][]> points(GoldenLoss golden) {
            Random random = new Random(golden.name().hashCode());
            List<double[][]> points = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                points.add(new double[][] {random.doubles(golden.parameters().size(), -2, 2).toArray(),
                        random.doubles(golden.inputs().size(), -2, 2).toArray()});
            }
            for (double v : new double[] {0.0, 1.0, -1.0, 0.5}) {
                double[] params = new double[golden.parameters().size()];
                double[] inputs = new double[golden.inputs().size()];
                java.util.Arrays.fill(params, v);
                java.util.Arrays.fill(inputs, v);
                points.add(new double[][] {params, inputs});
            }
            return points;
        }

        private Expr reparse(String printed, GoldenLoss golden) {
            return new ExpressionParser().parse(printed, "<printed>", golden.parameters(), golden.inputs(),
                    new ExprFactory());
        }

        private void assertSameValues(Expr original, String printed, GoldenLoss golden) {
            Expr reparsed = reparse(printed, golden);
            for (double[][] point : points(golden)) {
                assertEquals(Evaluator.value(original, point[0], point[1]), Evaluator.value(reparsed, point[0], point[1]),
                        () -> golden.name() + " at " + java.util.Arrays.deepToString(point) + ": " + printed);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.GoldenDerivativesTest#losses")
        void printedLossReadsBackToTheSameValues(GoldenLoss golden) {
            LossProgram program = new LossCompiler().compile(golden.source(), golden.parameters(), golden.inputs());
            assertSameValues(program.loss(), program.printedLoss(), golden);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.GoldenDerivativesTest#losses")
        void printedDerivativesReadBackToTheSameValues(GoldenLoss golden) {
            LossProgram program = new LossCompiler().compile(golden.source(), golden.parameters(), golden.inputs());
            for (int p = 0; p < golden.parameters().size(); p++) {
                assertSameValues(program.gradient().get(p), program.printedDerivatives().get(p), golden);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.symgrad.compiler.GoldenDerivativesTest#losses")
        void compiledClassPrintsWhatTheProgramPrints(GoldenLoss golden) {
            LossProgram program = new LossCompiler().compile(golden.source(), golden.parameters(), golden.inputs());
            CompiledLoss loss = Symgrad.compile(golden.source(), golden.parameters(), golden.inputs());
            assertEquals(program.printedLoss(), loss.expression());
            for (int p = 0; p < golden.parameters().size(); p++) {
                assertEquals(program.printedDerivatives().get(p), loss.derivative(golden.parameters().get(p)));
            }
        }
    }
}
