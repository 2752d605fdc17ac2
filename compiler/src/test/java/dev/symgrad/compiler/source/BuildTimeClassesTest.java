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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The facade and loss classes the build plugin writes, for scalar and for {@code double[]} arguments. */
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
    void lossClassesAreTheClassSymgradCompileLoadsWithTheScalarBackendUnderAnotherName(@TempDir Path dump) {
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
        List<byte[]> dumped = DefinedClasses.definedBy(dump, () -> Symgrad.compile(
                "Math.log1p(Math.exp(-y * (w * x + b))) + 0.8125 * Math.tanh(b * x) + (x > 0 ? w : b)",
                List.of("w", "b"), List.of("x", "y")));
        assertEquals(1, dumped.size(), "classes defined: " + dumped.size());
        byte[] loaded = dumped.get(0);
        assertArrayEquals(named("p/Loss", loaded), named("p/Loss", buildTime));
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
}
