package dev.symgrad.compiler.source;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.DefinedClasses;
import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The facade and loss classes the build plugin writes, for scalar, {@code double[]} and {@code double[][]} arguments. */
class BuildTimeClassesTest {

    private static final String SOURCE = """
            package com.example;
            public final class Losses {
                static double perExampleLoss(double w, double x) { return (w * x) * (w * x); }
                static double logistic(double x, double w, double y, double b) {
                    double z = w * x + b;
                    return Math.log1p(Math.exp(-y * z));
                }
                static double vectorLogistic(double[] x, double[] w, double y, double b) {
                    double z = b;
                    for (int j = 0; j < w.length; j++) {
                        z += w[j] * x[j];
                    }
                    return Math.log1p(Math.exp(-y * z));
                }
            }
            """;

    private static Map<String, byte[]> generate() {
        return BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "perExampleLoss", List.of()),
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "logistic", List.of("w", "b"))));
    }

    /** The scalar losses and one with arrays. */
    private static Map<String, byte[]> generateWithArrays() {
        return BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "perExampleLoss", List.of()),
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "logistic", List.of("w", "b")),
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "vectorLogistic", List.of("w", "b"),
                        Map.of("w", List.of(3), "x", List.of(3)))));
    }

    /** A layer of r units over an r×c input, {@code V} and {@code X} row-major where they stand among scalars. */
    private static final String MATRIX_SOURCE = """
            package com.example;
            public final class Losses {
                static double network(double y, double[][] V, double b, double[][] X, double[] c) {
                    double out = b;
                    for (int m = 0; m < V.length; m++) {
                        double a = 0;
                        for (int j = 0; j < V[m].length; j++) {
                            a += V[m][j] * X[m][j];
                        }
                        out += c[m] * Math.tanh(a);
                    }
                    double d = out - y;
                    return d * d;
                }
                static double scaled(double s, double[][] X) {
                    double total = 0;
                    for (int m = 0; m < X.length; m++) {
                        for (int j = 0; j < X[m].length; j++) {
                            total += X[m][j] * X[m][j];
                        }
                    }
                    return Math.exp(s) * total;
                }
            }
            """;

    /** {@code network} with {@code V} and {@code X} of {@code rows}×{@code columns}, and {@code scaled} likewise. */
    private static Map<String, byte[]> generateWithMatrices(int rows, int columns) {
        Map<String, List<Integer>> shapes = Map.of("V", List.of(rows, columns), "X", List.of(rows, columns),
                "c", List.of(rows));
        return BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(MATRIX_SOURCE, "Losses.java", "network", List.of("V", "b", "c"), shapes),
                new BuildTimeClasses.Request(MATRIX_SOURCE, "Losses.java", "scaled", List.of("s"),
                        Map.of("X", List.of(rows, columns)))));
    }

    /** Loads generated classes by name, as javac-compiled application code would find them. */
    private static final class GeneratedClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        GeneratedClassLoader(Map<String, byte[]> classes) {
            super(BuildTimeClassesTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/'));
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    @Test
    void lossClassesAreExactlyTheBytesOfTheRuntimePath() {
        byte[] buildTime = generate().get("com/example/LossesGradients$PerExampleLoss");
        byte[] runtime = Symgrad.generateClass("(w * x) * (w * x)", List.of("w"), List.of("x"),
                "com/example/LossesGradients$PerExampleLoss");
        assertArrayEquals(runtime, buildTime);
    }

    /**
     * What README promises: the class {@code Symgrad.compile} loads when the scalar backend is selected (as
     * in this surefire execution, which runs without the Vector API module) is the build-time class with
     * another name. The loaded bytes are taken from the dump switch, then both classes are given one name.
     */
    @Test
    void lossClassesHoldTheKernelsSymgradCompileLoadsWithTheScalarBackend(@TempDir Path dump) {
        // -Dtest=... also runs this class in the vector-backend execution, where Symgrad.compile loads vector loops.
        assumeTrue(Backend.selected() == Backend.SCALAR, "the run-time path uses the " + Backend.selected() + " backend");
        // Used by no other test, so that Symgrad.compile defines (and dumps) a class instead of using its cache.
        String source = """
                package com.example;
                public final class Losses {
                    static double runtimePath(double w, double b, double x, double y) {
                        double z = w * x + b;
                        return Math.log1p(Math.exp(-y * z)) + 0.8125 * Math.tanh(b * x) + (x > 0 ? w : b);
                    }
                }
                """;
        byte[] buildTime = BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(source, "Losses.java", "runtimePath", List.of("w", "b"))))
                .get("com/example/LossesGradients$RuntimePath");
        List<byte[]> dumped = DefinedClasses.definedBy(dump, () -> {
            CompiledLoss loss = Symgrad.compile(
                    "Math.log1p(Math.exp(-y * (w * x + b))) + 0.8125 * Math.tanh(b * x) + (x > 0 ? w : b)",
                    List.of("w", "b"), List.of("x", "y"));
            callEveryBatchKernel(loss);
        });
        // At run time the batch kernels come one class each, when first called; their code is the build's.
        assertEquals(8, dumped.size(), "the loss's class and one class per batch kernel");
        assertEquals(kernelMethods(List.of(buildTime)), kernelMethods(dumped));
    }

    private static void callEveryBatchKernel(CompiledLoss loss) {
        double[] params = {0.5, -0.25};
        double[][] columns = {{1, -2, 3}, {1, -1, 1}};
        loss.perExampleLosses(params, columns);
        loss.totalLoss(params, columns);
        loss.perExampleGradients(params, columns);
        loss.sumOfPerExampleGradients(params, columns);
        loss.gradientOfSum(params, columns);
        loss.clippedGradientSum(params, columns, 1.0);
        loss.perExampleGradientNorms(params, columns);
    }

    /** The code of every kernel method ({@code compute...}) in these classes, printed, each class named p/Loss. */
    private static Map<String, String> kernelMethods(List<byte[]> classes) {
        Map<String, String> methods = new java.util.TreeMap<>();
        for (byte[] bytes : classes) {
            org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
            new ClassReader(named("p/Loss", bytes)).accept(node, 0);
            for (org.objectweb.asm.tree.MethodNode method : node.methods) {
                if (method.name.startsWith("compute")) {
                    org.objectweb.asm.util.Textifier text = new org.objectweb.asm.util.Textifier();
                    method.accept(new org.objectweb.asm.util.TraceMethodVisitor(text));
                    java.io.StringWriter printed = new java.io.StringWriter();
                    text.print(new java.io.PrintWriter(printed));
                    methods.put(method.name + method.desc, printed.toString());
                }
            }
        }
        assertTrue(methods.size() >= 9, "kernel methods found: " + methods.keySet());
        return methods;
    }

    /** Symgrad.compileMethod loads the plugin's bytes for a method over arrays, whatever backend it selected. */
    @Test
    void compileMethodLoadsTheClassThePluginWritesForLoops(@TempDir Path dump) {
        // Used by no other test, so that compileMethod defines (and dumps) a class instead of using its cache.
        String source = """
                package com.example;
                public final class Losses {
                    static double runtimeLoops(double[][] V, double[] c, double[] x) {
                        double s = 0;
                        for (int m = 0; m < 40; m++) {
                            double a = c[m];
                            for (int j = 0; j < 50; j++) a += V[m][j] * x[j];
                            s += Math.tanh(a);
                        }
                        return s;
                    }
                }
                """;
        Map<String, List<Integer>> shapes = Map.of("V", List.of(40, 50), "c", List.of(40), "x", List.of(50));
        byte[] buildTime = BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(source, "Losses.java", "runtimeLoops", List.of("V", "c"), shapes)))
                .get("com/example/LossesGradients$RuntimeLoops");
        List<byte[]> dumped = DefinedClasses.definedBy(dump, () -> Symgrad.compileMethod(source, "runtimeLoops",
                List.of("V", "c"), shapes));
        assertEquals(1, dumped.size(), "classes defined: " + dumped.size());
        assertArrayEquals(named("p/Loss", dumped.get(0)), named("p/Loss", buildTime));
    }

    /** The class with its own name replaced by {@code name} wherever it occurs (ASM's ClassRemapper). */
    private static byte[] named(String name, byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new SimpleRemapper(reader.getClassName(), name)), 0);
        return writer.toByteArray();
    }

    @Test
    void facadeMethodsHaveTheUsersSignatureAndTheSeedNumbers() throws Exception {
        Class<?> facade = new GeneratedClassLoader(generate()).loadClass("com.example.LossesGradients");
        Method twoWays = facade.getMethod("perExampleLossEquivalentTwoWays", double.class, double[].class);
        assertArrayEquals(new double[] {10.0, 10.0}, (double[]) twoWays.invoke(null, 1.0, new double[] {1.0, 2.0}));
        assertEquals(4.0, (double) facade.getMethod("perExampleLoss", double.class, double.class).invoke(null, 1.0, 2.0));
        assertArrayEquals(new double[][] {{2.0, 8.0}}, (double[][]) facade.getMethod("perExampleLossPerExampleGradients",
                double.class, double[].class).invoke(null, 1.0, new double[] {1.0, 2.0}));
        CompiledLoss compiled = (CompiledLoss) facade.getMethod("compiledPerExampleLoss").invoke(null);
        assertSame(compiled, facade.getMethod("compiledPerExampleLoss").invoke(null));
        assertEquals("2.0 * w * (x * x)", compiled.derivative("w"));
    }

    @Test
    void argumentsKeepTheirDeclarationOrderWithParametersAsScalarsAndInputsAsColumns() throws Exception {
        Class<?> facade = new GeneratedClassLoader(generate()).loadClass("com.example.LossesGradients");
        CompiledLoss reference = Symgrad.compile("Math.log1p(Math.exp(-y * (w * x + b)))", List.of("w", "b"),
                List.of("x", "y"));
        double[] x = {0.5, -1.5, 2.0};
        double[] y = {1, -1, 1};
        double w = 0.3;
        double b = -0.2;
        Method gradientOfSum = facade.getMethod("logisticGradientOfSum", double[].class, double.class, double[].class,
                double.class);
        assertArrayEquals(reference.gradientOfSum(new double[] {w, b}, new double[][] {x, y}),
                (double[]) gradientOfSum.invoke(null, x, w, y, b), 1e-15);
        Method gradient = facade.getMethod("logisticGradient", double.class, double.class, double.class, double.class);
        assertArrayEquals(reference.gradient(new double[] {w, b}, new double[] {x[1], y[1]}),
                (double[]) gradient.invoke(null, x[1], w, y[1], b), 1e-15);
        Method loss = facade.getMethod("logistic", double.class, double.class, double.class, double.class);
        assertEquals(reference.loss(new double[] {w, b}, new double[] {x[1], y[1]}),
                (double) loss.invoke(null, x[1], w, y[1], b), 1e-15);
        Method total = facade.getMethod("logisticTotalLoss", double[].class, double.class, double[].class, double.class);
        assertEquals(reference.totalLoss(new double[] {w, b}, new double[][] {x, y}),
                (double) total.invoke(null, x, w, y, b), 1e-12);
    }

    @Test
    void raggedColumnsAreRejectedByTheFacade() throws Exception {
        Class<?> facade = new GeneratedClassLoader(generate()).loadClass("com.example.LossesGradients");
        Method gradientOfSum = facade.getMethod("logisticGradientOfSum", double[].class, double.class, double[].class,
                double.class);
        java.lang.reflect.InvocationTargetException e = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> gradientOfSum.invoke(null, new double[2], 1.0, new double[3], 0.0));
        assertEquals(IllegalArgumentException.class, e.getCause().getClass());
    }

    @Test
    void everyGeneratedClassVerifies() {
        Map<String, byte[]> classes = generate();
        ClassLoader loader = new GeneratedClassLoader(classes);
        classes.values().forEach(bytes -> GeneratedClassVerifier.verify(bytes, loader));
    }
    @Nested
    class ArrayArguments {

        private final Class<?> facade;
        private final CompiledLoss compiled;
        private final double[][] x = {{0.5, -1.5, 2.0}, {1.0, 0.25, -0.5}, {-2.0, 1.0, 0.75}};
        private final double[] w = {0.3, -0.2, 0.1};
        private final double[] y = {1, -1, 1};
        private final double b = 0.05;

        ArrayArguments() throws Exception {
            facade = new GeneratedClassLoader(generateWithArrays()).loadClass("com.example.LossesGradients");
            compiled = (CompiledLoss) facade.getMethod("compiledVectorLogistic").invoke(null);
        }

        private Object call(String name, Class<?>[] types, Object... arguments) throws Exception {
            try {
                return facade.getMethod(name, types).invoke(null, arguments);
            } catch (InvocationTargetException e) {
                throw (Exception) e.getCause();
            }
        }

        private final Class<?>[] example = {double[].class, double[].class, double.class, double.class};
        private final Class<?>[] batch = {double[][].class, double[].class, double[].class, double.class};

        @Test
        void everyGeneratedClassVerifies() {
            Map<String, byte[]> classes = generateWithArrays();
            ClassLoader loader = new GeneratedClassLoader(classes);
            classes.values().forEach(bytes -> GeneratedClassVerifier.verify(bytes, loader));
        }

        @Test
        void elementsAreTheLossesParametersAndInputsInDeclarationOrder() {
            assertEquals(List.of("w[0]", "w[1]", "w[2]", "b"), compiled.parameters());
            assertEquals(List.of("x[0]", "x[1]", "x[2]", "y"), compiled.inputs());
        }

        @Test
        void oneExampleTakesTheArrays() throws Exception {
            double[] example = {x[0][1], x[1][1], x[2][1], y[1]};
            double[] params = {w[0], w[1], w[2], b};
            double[] features = {x[0][1], x[1][1], x[2][1]};
            assertEquals(compiled.loss(params, example), (double) call("vectorLogistic", this.example, features, w, y[1], b));
            assertArrayEquals(compiled.gradient(params, example),
                    (double[]) call("vectorLogisticGradient", this.example, features, w, y[1], b));
        }

        @Test
        void aBatchTakesOneColumnPerElementOfAVectorInput() throws Exception {
            double[] params = {w[0], w[1], w[2], b};
            double[][] columns = {x[0], x[1], x[2], y};
            assertArrayEquals(compiled.gradientOfSum(params, columns),
                    (double[]) call("vectorLogisticGradientOfSum", batch, x, w, y, b));
            assertArrayEquals(compiled.sumOfPerExampleGradients(params, columns),
                    (double[]) call("vectorLogisticSumOfPerExampleGradients", batch, x, w, y, b));
            assertArrayEquals(compiled.perExampleGradients(params, columns),
                    (double[][]) call("vectorLogisticPerExampleGradients", batch, x, w, y, b));
            assertArrayEquals(compiled.perExampleLosses(params, columns),
                    (double[]) call("vectorLogisticPerExampleLosses", batch, x, w, y, b));
            assertEquals(compiled.totalLoss(params, columns), (double) call("vectorLogisticTotalLoss", batch, x, w, y, b));
            assertArrayEquals(compiled.perExampleGradientNorms(params, columns),
                    (double[]) call("vectorLogisticPerExampleGradientNorms", batch, x, w, y, b));
            assertArrayEquals(compiled.clippedGradientSum(params, columns, 0.1),
                    (double[]) call("vectorLogisticClippedGradientSum", new Class<?>[] {double[][].class, double[].class,
                            double[].class, double.class, double.class}, x, w, y, b, 0.1));
        }

        @Test
        void arraysOfTheWrongLengthAreNamed() {
            assertEquals("w has length 2, expected 3", assertThrows(IllegalArgumentException.class,
                    () -> call("vectorLogistic", example, new double[3], new double[2], 1.0, 0.0)).getMessage());
            assertEquals("x is null", assertThrows(IllegalArgumentException.class,
                    () -> call("vectorLogisticGradient", example, null, w, 1.0, 0.0)).getMessage());
            assertEquals("x has 2 columns, expected 3", assertThrows(IllegalArgumentException.class,
                    () -> call("vectorLogisticGradientOfSum", batch, new double[2][3], w, y, b)).getMessage());
            assertEquals("w has length 4, expected 3", assertThrows(IllegalArgumentException.class,
                    () -> call("vectorLogisticTotalLoss", batch, x, new double[4], y, b)).getMessage());
        }

        @Test
        void raggedColumnsOfAVectorInputNameTheElement() {
            double[][] ragged = {x[0], x[1], new double[2]};
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> call("vectorLogisticGradientOfSum", batch, ragged, w, y, b));
            assertTrue(error.getMessage().contains("x[2]"), error.getMessage());
        }
    }

    @Nested
    class MatrixArguments {

        private static final int N = 4;

        private final Class<?> facade;
        private final CompiledLoss network;
        private final CompiledLoss scaled;
        private final double[][] v = {{0.3, -0.2, 0.1}, {0.05, 0.4, -0.3}};
        private final double b = 0.1;
        private final double[] c = {0.7, -1.1};
        /** {@code X} of a batch: {@code x[m][j]} is the column of {@code X[m][j]}. */
        private final double[][][] x = {
                {{0.5, -1.5, 2.0, 0.25}, {1.0, 0.25, -0.5, 3.0}, {-2.0, 1.0, 0.75, -0.125}},
                {{1.5, 0.5, -1.0, 2.5}, {-0.75, 2.0, 0.5, -1.25}, {0.125, -0.5, 1.75, 1.0}}};
        private final double[] y = {1.0, -0.5, 0.25, 2.0};

        private final Class<?>[] example = {double.class, double[][].class, double.class, double[][].class, double[].class};
        private final Class<?>[] batch = {double[].class, double[][].class, double.class, double[][][].class, double[].class};

        MatrixArguments() throws Exception {
            facade = new GeneratedClassLoader(generateWithMatrices(2, 3)).loadClass("com.example.LossesGradients");
            network = (CompiledLoss) facade.getMethod("compiledNetwork").invoke(null);
            scaled = (CompiledLoss) facade.getMethod("compiledScaled").invoke(null);
        }

        private Object call(String name, Class<?>[] types, Object... arguments) throws Exception {
            try {
                return facade.getMethod(name, types).invoke(null, arguments);
            } catch (InvocationTargetException e) {
                throw (Exception) e.getCause();
            }
        }

        /** {@code network}'s parameters as {@code CompiledLoss} takes them. */
        private double[] flatParams() {
            return new double[] {v[0][0], v[0][1], v[0][2], v[1][0], v[1][1], v[1][2], b, c[0], c[1]};
        }

        /** {@code network}'s batch columns as {@code CompiledLoss} takes them: y, then X row-major. */
        private double[][] flatColumns() {
            return new double[][] {y, x[0][0], x[0][1], x[0][2], x[1][0], x[1][1], x[1][2]};
        }

        /** Example {@code i}'s {@code X}, as the one-example methods take it. */
        private double[][] exampleX(int i) {
            return new double[][] {{x[0][0][i], x[0][1][i], x[0][2][i]}, {x[1][0][i], x[1][1][i], x[1][2][i]}};
        }

        @Test
        void everyGeneratedClassVerifies() {
            Map<String, byte[]> classes = generateWithMatrices(2, 3);
            ClassLoader loader = new GeneratedClassLoader(classes);
            classes.values().forEach(bytes -> GeneratedClassVerifier.verify(bytes, loader));
        }

        @Test
        void elementsAreRowMajorWhereTheMatrixStands() {
            assertEquals(List.of("V[0][0]", "V[0][1]", "V[0][2]", "V[1][0]", "V[1][1]", "V[1][2]", "b", "c[0]", "c[1]"),
                    network.parameters());
            assertEquals(List.of("y", "X[0][0]", "X[0][1]", "X[0][2]", "X[1][0]", "X[1][1]", "X[1][2]"),
                    network.inputs());
        }

        @Test
        void oneExampleTakesMatricesAndCopiesThemRowByRow() throws Exception {
            for (int i = 0; i < N; i++) {
                double[][] features = exampleX(i);
                double[] flatExample = {y[i], features[0][0], features[0][1], features[0][2], features[1][0],
                        features[1][1], features[1][2]};
                assertEquals(network.loss(flatParams(), flatExample),
                        (double) call("network", example, y[i], v, b, features, c));
                assertArrayEquals(network.gradient(flatParams(), flatExample),
                        (double[]) call("networkGradient", example, y[i], v, b, features, c));
            }
        }

        @Test
        void aBatchTakesAMatrixInputAsRowsOfColumns() throws Exception {
            double[] params = flatParams();
            double[][] columns = flatColumns();
            assertArrayEquals(network.perExampleLosses(params, columns),
                    (double[]) call("networkPerExampleLosses", batch, y, v, b, x, c));
            assertEquals(network.totalLoss(params, columns), (double) call("networkTotalLoss", batch, y, v, b, x, c));
            assertArrayEquals(network.perExampleGradients(params, columns),
                    (double[][]) call("networkPerExampleGradients", batch, y, v, b, x, c));
            assertArrayEquals(network.sumOfPerExampleGradients(params, columns),
                    (double[]) call("networkSumOfPerExampleGradients", batch, y, v, b, x, c));
            assertArrayEquals(network.gradientOfSum(params, columns),
                    (double[]) call("networkGradientOfSum", batch, y, v, b, x, c));
            assertArrayEquals(network.perExampleGradientNorms(params, columns),
                    (double[]) call("networkPerExampleGradientNorms", batch, y, v, b, x, c));
            assertArrayEquals(network.clippedGradientSum(params, columns, 0.5),
                    (double[]) call("networkClippedGradientSum", new Class<?>[] {double[].class, double[][].class,
                            double.class, double[][][].class, double[].class, double.class}, y, v, b, x, c, 0.5));
        }

        @Test
        void bothWaysOfAOneParameterLossTakeAMatrixInput() throws Exception {
            double[][] columns = {x[0][0], x[0][1], x[0][2], x[1][0], x[1][1], x[1][2]};
            double[] params = {0.3};
            assertArrayEquals(new double[] {scaled.sumOfPerExampleGradients(params, columns)[0],
                            scaled.gradientOfSum(params, columns)[0]},
                    (double[]) call("scaledEquivalentTwoWays", new Class<?>[] {double.class, double[][][].class}, 0.3, x));
            double[][] features = exampleX(2);
            double[] flatExample = {features[0][0], features[0][1], features[0][2], features[1][0], features[1][1],
                    features[1][2]};
            assertEquals(scaled.loss(params, flatExample),
                    (double) call("scaled", new Class<?>[] {double.class, double[][].class}, 0.3, features));
        }

        @Test
        void matricesOfTheWrongShapeAreNamedWithTheRow() {
            double[][] shortRow = {v[0], {0.1, 0.2}};
            double[][] nullRow = {v[0], null};
            double[][] features = exampleX(0);
            assertEquals("V is null", exampleMessage(null, features, c));
            assertEquals("V has 1 rows, expected 2", exampleMessage(new double[1][3], features, c));
            assertEquals("V has 3 rows, expected 2", exampleMessage(new double[3][3], features, c));
            assertEquals("V[1] is null", exampleMessage(nullRow, features, c));
            assertEquals("V[1] has length 2, expected 3", exampleMessage(shortRow, features, c));
            assertEquals("V[0] has length 4, expected 3", exampleMessage(new double[2][4], features, c));
            assertEquals("X is null", exampleMessage(v, null, c));
            assertEquals("X has 3 rows, expected 2", exampleMessage(v, new double[3][3], c));
            assertEquals("X[1] is null", exampleMessage(v, nullRow, c));
            assertEquals("X[1] has length 2, expected 3", exampleMessage(v, shortRow, c));
            assertEquals("c has length 3, expected 2", exampleMessage(v, features, new double[3]));

            assertEquals("V[1] has length 2, expected 3", batchMessage(shortRow, x));
            assertEquals("X is null", batchMessage(v, null));
            assertEquals("X has 1 rows, expected 2", batchMessage(v, new double[1][3][N]));
            assertEquals("X[1] is null", batchMessage(v, new double[][][] {x[0], null}));
            assertEquals("X[1] has 2 columns, expected 3", batchMessage(v, new double[][][] {x[0], new double[2][N]}));
            assertEquals("X[0] has 4 columns, expected 3", batchMessage(v, new double[2][4][N]));
            assertEquals("X[1] has 2 columns, expected 3", assertThrows(IllegalArgumentException.class,
                    () -> call("networkClippedGradientSum", new Class<?>[] {double[].class, double[][].class,
                            double.class, double[][][].class, double[].class, double.class}, y, v, b,
                            new double[][][] {x[0], new double[2][N]}, c, 0.5)).getMessage());
            assertEquals("X has 3 rows, expected 2", assertThrows(IllegalArgumentException.class,
                    () -> call("scaledEquivalentTwoWays", new Class<?>[] {double.class, double[][][].class}, 0.3,
                            new double[3][3][N])).getMessage());
        }

        /** The message of both one-example methods, which must agree. */
        private String exampleMessage(double[][] matrix, double[][] features, double[] weights) {
            List<String> messages = new ArrayList<>();
            for (String method : List.of("network", "networkGradient")) {
                messages.add(assertThrows(IllegalArgumentException.class,
                        () -> call(method, example, 1.0, matrix, b, features, weights)).getMessage());
            }
            assertEquals(1, messages.stream().distinct().count(), messages.toString());
            return messages.get(0);
        }

        /** The message of every batch method, which must agree. */
        private String batchMessage(double[][] matrix, double[][][] columns) {
            List<String> messages = new ArrayList<>();
            for (String method : List.of("networkPerExampleLosses", "networkTotalLoss", "networkPerExampleGradients",
                    "networkSumOfPerExampleGradients", "networkGradientOfSum", "networkPerExampleGradientNorms")) {
                messages.add(assertThrows(IllegalArgumentException.class,
                        () -> call(method, batch, y, matrix, b, columns, c)).getMessage());
            }
            assertEquals(1, messages.stream().distinct().count(), messages.toString());
            return messages.get(0);
        }

        @Test
        void raggedColumnsOfAMatrixInputNameTheElement() {
            double[][][] ragged = {x[0], {x[1][0], x[1][1], new double[N - 1]}};
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> call("networkGradientOfSum", batch, y, v, b, ragged, c));
            assertTrue(error.getMessage().contains("X[1][2]"), error.getMessage());
        }

        @Test
        void theFacadeDoesNotGrowWithTheMatrices() {
            Map<String, Integer> small = GeneratedClassVerifier.codeLengths(
                    generateWithMatrices(2, 3).get("com/example/LossesGradients"));
            byte[] largeFacade = generateWithMatrices(64, 128).get("com/example/LossesGradients");
            Map<String, Integer> large = GeneratedClassVerifier.codeLengths(largeFacade);
            assertEquals(small.keySet(), large.keySet());
            assertTrue(large.containsKey("network(D[[DD[[D[D)D") && large.containsKey(
                    "networkGradientOfSum([D[[DD[[[D[D)[D"), "the facade takes the matrices: " + large.keySet());
            // Only the constants grow: iconst_2 becomes bipush 64, an offset sipush.
            large.forEach((method, length) -> assertTrue(length <= small.get(method) + 24,
                    method + " has " + length + " bytes of bytecode for 64x128 matrices, " + small.get(method)
                            + " for 2x3"));
            GeneratedClassVerifier.verify(largeFacade, new GeneratedClassLoader(generateWithMatrices(64, 128)));
        }
    }
}
