package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexedEvaluator;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Tensor;
import dev.symgrad.compiler.ir.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Methods over arrays lower to the indexed IR: loops over an index become one {@link Sum} or
 * {@link Comprehension} whatever their bound, the rest unrolls with fixed positions. The indexed form
 * computes exactly what the unrolled form computes and what the method computes when the JVM runs it,
 * bit for bit ({@link IndexedLosses}, read from its source file).
 */
class IndexedLoweringTest {

    private static final Path SOURCE_FILE = Path.of("src/test/java/dev/symgrad/compiler/parse/IndexedLosses.java");
    private static final String FILE_NAME = "IndexedLosses.java";

    static String source() {
        try {
            return Files.readString(SOURCE_FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A method of {@link IndexedLosses}, the parameters to differentiate and the shapes. */
    record Case(String method, String wrt, String shapes) {

        SourceLoss indexed(ExprFactory factory) {
            return new MethodParser().parse(source(), FILE_NAME, method, List.of(wrt.split(",")),
                    BuildTimeClasses.parseShapes(shapes), factory);
        }

        SourceLoss unrolled() {
            return MethodParser.unrolled().parse(source(), FILE_NAME, method, List.of(wrt.split(",")),
                    BuildTimeClasses.parseShapes(shapes), new ExprFactory());
        }

        @Override
        public String toString() {
            return method;
        }
    }

    private static final Case MLP = new Case("mlp", "V,c,W,b", "V=32x64,c=32,W=10x32,b=10,x=64,y=10");

    static Stream<Case> cases() {
        return Stream.of(MLP, new Case("logistic", "w,b", "w=8,z=8"), new Case("matrices", "A", "A=3x4,x=4"),
                new Case("mixed", "w", "w=6,x=6"), new Case("paths", "w", "w=3,x=2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theIndexedFormComputesTheUnrolledFormAndJavaBitForBit(Case loss) throws ReflectiveOperationException {
        SourceLoss indexed = loss.indexed(new ExprFactory());
        SourceLoss unrolled = loss.unrolled();
        assertEquals(unrolled.parameters(), indexed.parameters());
        assertEquals(unrolled.inputs(), indexed.inputs());
        Random random = new Random(14);
        for (int point = 0; point < 20; point++) {
            double[] params = random.doubles(indexed.parameters().size(), -1, 1).toArray();
            double[] inputs = random.doubles(indexed.inputs().size(), -2, 2).toArray();
            double java = runJava(indexed, params, inputs);
            assertEquals(java, new IndexedEvaluator(params, inputs).value(indexed.loss()), () -> loss + ": indexed form");
            assertEquals(java, Evaluator.value(unrolled.loss(), params, inputs), () -> loss + ": unrolled form");
        }
    }

    @Test
    void theMlpLowersToFourSumsAndOneLocalArrayWithoutUnrolling() {
        List<Node> nodes = Graph.topologicalOrder(List.of(MLP.indexed(new ExprFactory()).loss()));
        assertEquals(4, count(nodes, Sum.class), "a over j, z over m, sumExp and dot over k");
        List<Node> arrays = nodes.stream().filter(Comprehension.class::isInstance).toList();
        assertEquals(1, arrays.size(), "h");
        assertEquals(List.of(32), ((Comprehension) arrays.get(0)).shape());
        assertTrue(nodes.size() < 60, () -> nodes.size() + " nodes");
        assertTrue(nodes.stream().noneMatch(Variable.class::isInstance), "no element is a scalar variable");
    }

    @Test
    void aLogisticLossOfAnyWidthLowersToOneSumOfTheSameNodes() throws ReflectiveOperationException {
        Case narrow = new Case("logistic", "w,b", "w=8,z=8");
        Case wide = new Case("logistic", "w,b", "w=100000,z=100000");
        ExprFactory narrowNodes = new ExprFactory();
        narrow.indexed(narrowNodes);
        ExprFactory wideNodes = new ExprFactory();
        long start = System.nanoTime();
        SourceLoss loss = wide.indexed(wideNodes);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(narrowNodes.size(), wideNodes.size());
        List<Node> nodes = Graph.topologicalOrder(List.of(loss.loss()));
        assertEquals(1, count(nodes, Sum.class));
        Sum sum = (Sum) nodes.stream().filter(Sum.class::isInstance).findFirst().orElseThrow();
        assertEquals(100_000, sum.index().extent());
        // Parsing the file is most of it; a loop lowered once per element took about a second at this width.
        assertTrue(millis < 1_000, () -> "lowering took " + millis + " ms");

        assertEquals(100_001, loss.parameters().size());
        assertEquals("w[99999]", loss.parameters().get(99_999));
        assertEquals("b", loss.parameters().get(100_000));
        Random random = new Random(3);
        double[] params = random.doubles(100_001, -0.01, 0.01).toArray();
        double[] inputs = random.doubles(100_001, -1, 1).toArray();
        double java = runJava(loss, params, inputs);
        assertEquals(java, new IndexedEvaluator(params, inputs).value(loss.loss()));
        assertEquals(java, Evaluator.value(wide.unrolled().loss(), params, inputs));
    }

    @Test
    void arraysLieFlatInDeclarationOrderRowMajor() {
        SourceLoss mlp = MLP.indexed(new ExprFactory());
        List<String> layout = new ArrayList<>();
        for (Node node : mlp.parameterNodes()) {
            ArrayVariable array = (ArrayVariable) node;
            layout.add(array.name() + " " + array.shape() + " at " + array.offset() + (array.isParameter() ? "" : "!"));
        }
        assertEquals(List.of("V [32, 64] at 0", "c [32] at 2048", "W [10, 32] at 2080", "b [10] at 2400"), layout);
        assertEquals(List.of(0, 64), mlp.inputNodes().stream().map(node -> ((ArrayVariable) node).offset()).toList());
        assertEquals(2410, mlp.parameters().size());
        assertEquals(List.of("V[0][0]", "V[0][1]"), mlp.parameters().subList(0, 2));
        assertEquals(List.of("V[0][63]", "V[1][0]", "V[31][63]", "c[0]", "W[9][31]", "b[0]", "b[9]"),
                List.of(mlp.parameters().get(63), mlp.parameters().get(64), mlp.parameters().get(2047),
                        mlp.parameters().get(2048), mlp.parameters().get(2399), mlp.parameters().get(2400),
                        mlp.parameters().get(2409)));
        assertEquals(MLP.unrolled().parameters(), List.copyOf(mlp.parameters()));
        assertEquals(Map.of("V", List.of(32, 64), "c", List.of(32), "W", List.of(10, 32), "b", List.of(10),
                "x", List.of(64), "y", List.of(10)), mlp.shapes());
        assertEquals(List.of("V", "c", "W", "b", "x", "y"), List.copyOf(mlp.shapes().keySet()));
        assertEquals(Map.of("c", 32, "b", 10, "x", 64, "y", 10), mlp.lengths());
    }

    @Test
    void scalarsAreVariablesAndConstantPositionsAreFixedIndices() {
        String source = """
                class Losses {
                    static double f(double[] w, double b, double[][] X) {
                        return w[2] * b + X[1][0];
                    }
                }
                """;
        SourceLoss loss = new MethodParser().parse(source, "Losses.java", "f", List.of("w", "b"),
                Map.of("w", List.of(3), "X", List.of(2, 2)), new ExprFactory());
        assertInstanceOf(ArrayVariable.class, loss.parameterNodes().get(0));
        assertEquals(new Variable("b", Variable.Kind.PARAMETER, 3), loss.parameterNodes().get(1));
        List<Element> elements = Graph.topologicalOrder(List.of(loss.loss())).stream()
                .filter(Element.class::isInstance).map(Element.class::cast).toList();
        assertEquals(List.of("w[2]", "X[1][0]"), elements.stream()
                .map(e -> ((ArrayVariable) e.array()).name() + e.at().stream().map(at -> "[" + at + "]")
                        .reduce("", String::concat)).toList());
        assertTrue(elements.stream().allMatch(e -> e.at().stream().allMatch(FixedIndex.class::isInstance)));
    }

    @Test
    void anUnrolledLoopReadsFixedPositionsAndAnIndexLoopInsideItReadsItsIndex() {
        String source = """
                class Losses {
                    static double f(double[][] A) {
                        double s = 0;
                        for (int i = 0; i < 2; i++) {
                            if (i > 0) s = s * 0.5;
                            for (int j = 0; j < 3; j++) s += A[i][j];
                        }
                        return s;
                    }
                }
                """;
        SourceLoss loss = new MethodParser().parse(source, "Losses.java", "f", List.of(),
                Map.of("A", List.of(2, 3)), new ExprFactory());
        List<Node> nodes = Graph.topologicalOrder(List.of(loss.loss()));
        List<Sum> sums = nodes.stream().filter(Sum.class::isInstance).map(Sum.class::cast).toList();
        assertEquals(2, sums.size(), "one index loop per row");
        for (Sum sum : sums) {
            Element element = (Element) sum.body();
            assertInstanceOf(FixedIndex.class, element.at().get(0));
            assertEquals(sum.index(), element.at().get(1));
        }
        double[] a = {1, 2, 3, 4, 5, 6};
        assertEquals(((0 + 1 + 2 + 3) * 0.5 + 4 + 5) + 6, new IndexedEvaluator(a, new double[0]).value(loss.loss()));
    }

    @Test
    void anIndexLoopCountsAsOneIterationAgainstTheBoundOfAllLoops() {
        String source = """
                class Losses {
                    static double f(double[] w) {
                        double z = 0;
                        for (int i = 0; i < 400; i++) {
                            double t = 0;
                            for (int j = 0; j < 400; j++) t += w[0];
                            z += t;
                        }
                        return z;
                    }
                }
                """;
        SourceLoss loss = new MethodParser().parse(source, "Losses.java", "f", List.of(), Map.of("w", List.of(1)),
                new ExprFactory());
        double t = 0;
        for (int j = 0; j < 400; j++) {
            t += 0.1;
        }
        double z = 0;
        for (int i = 0; i < 400; i++) {
            z += t;
        }
        assertEquals(z, new IndexedEvaluator(new double[] {0.1}, new double[0]).value(loss.loss()));
    }

    @Test
    void aHelpersLoopInsideAnIndexLoopSumsOverItsOwnIndexWithTheCallersFree() {
        ExprFactory factory = new ExprFactory();
        SourceLoss matrices = new Case("matrices", "A", "A=3x4,x=4").indexed(factory);
        List<Sum> sums = Graph.topologicalOrder(List.of(matrices.loss())).stream().filter(Sum.class::isInstance)
                .map(Sum.class::cast).toList();
        Sum halves = sums.stream().filter(sum -> sum.index().name().equals("i") && sum.index().extent() == 2)
                .findFirst().orElseThrow();
        assertEquals(List.of("j"), factory.freeIndices(halves).stream().map(Index::name).toList());
        assertEquals(3, sums.size(), "r over i, halves over i, total over j");
    }

    @Test
    void methodsWithoutArraysLowerAsBefore() {
        String source = """
                class Losses {
                    static double f(double w, double x) {
                        double s = 0;
                        for (int j = 0; j < 3; j++) s += w * x;
                        return s;
                    }
                }
                """;
        SourceLoss indexed = new MethodParser().parse(source, "Losses.java", "f", List.of(), new ExprFactory());
        SourceLoss unrolled = MethodParser.unrolled().parse(source, "Losses.java", "f", List.of(), new ExprFactory());
        assertEquals(unrolled.loss().toString(), indexed.loss().toString());
        assertEquals(0, count(Graph.topologicalOrder(List.of(indexed.loss())), Sum.class));
    }

    @Test
    void eachIndexLoopHasItsOwnIndexAndSumsOfOneLoopShareIt() {
        List<Node> nodes = Graph.topologicalOrder(List.of(MLP.indexed(new ExprFactory()).loss()));
        List<Index> summed = nodes.stream().filter(Sum.class::isInstance).map(node -> ((Sum) node).index()).toList();
        assertEquals(List.of("j 64", "m 32", "k 10"), summed.stream().distinct()
                .map(index -> index.name() + " " + index.extent()).toList(), "sumExp and dot both over k");
        Index hidden = nodes.stream().filter(Comprehension.class::isInstance)
                .map(node -> ((Comprehension) node).indices().get(0)).findFirst().orElseThrow();
        assertEquals("m", hidden.name());
        assertTrue(summed.stream().noneMatch(hidden::equals), "h's loop over m is not z's loop over m");
    }

    private static long count(List<Node> nodes, Class<?> kind) {
        return nodes.stream().filter(kind::isInstance).count();
    }

    /** The method run by the JVM, its arguments taken from the flat layouts as the loss numbers them. */
    static double runJava(SourceLoss loss, double[] params, double[] inputs) throws ReflectiveOperationException {
        Method method = Arrays.stream(IndexedLosses.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(loss.methodName())).findFirst().orElseThrow();
        List<Object> arguments = new ArrayList<>();
        for (String name : loss.declarationOrder()) {
            arguments.add(argument(name, loss.parameterNodes(), params, loss.inputNodes(), inputs));
        }
        return (double) method.invoke(null, arguments.toArray());
    }

    private static Object argument(String name, List<Node> parameterNodes, double[] params, List<Node> inputNodes,
                                   double[] inputs) {
        for (int layout = 0; layout < 2; layout++) {
            double[] values = layout == 0 ? params : inputs;
            for (Node node : layout == 0 ? parameterNodes : inputNodes) {
                if (node instanceof Variable variable && variable.name().equals(name)) {
                    return values[variable.index()];
                }
                if (node instanceof ArrayVariable array && array.name().equals(name)) {
                    return arrayOf(array, values);
                }
            }
        }
        throw new IllegalArgumentException("no node for " + name);
    }

    private static Object arrayOf(Tensor array, double[] values) {
        int offset = ((ArrayVariable) array).offset();
        List<Integer> shape = array.shape();
        if (shape.size() == 1) {
            return Arrays.copyOfRange(values, offset, offset + shape.get(0));
        }
        double[][] rows = new double[shape.get(0)][];
        for (int row = 0; row < rows.length; row++) {
            int start = offset + row * shape.get(1);
            rows[row] = Arrays.copyOfRange(values, start, start + shape.get(1));
        }
        return rows;
    }
}
