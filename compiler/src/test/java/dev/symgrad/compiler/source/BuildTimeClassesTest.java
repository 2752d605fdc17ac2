package dev.symgrad.compiler.source;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The facade and loss classes the build plugin writes. */
class BuildTimeClassesTest {

    private static final String SOURCE = """
            package com.example;
            public final class Losses {
                static double perExampleLoss(double w, double x) { return (w * x) * (w * x); }
                static double logistic(double x, double w, double y, double b) {
                    double z = w * x + b;
                    return Math.log1p(Math.exp(-y * z));
                }
            }
            """;

    private static Map<String, byte[]> generate() {
        return BuildTimeClasses.generate("com.example.LossesGradients", List.of(
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "perExampleLoss", List.of()),
                new BuildTimeClasses.Request(SOURCE, "Losses.java", "logistic", List.of("w", "b"))));
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
}
