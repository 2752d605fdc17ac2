package dev.symgrad.maven;

import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The goal's incremental behaviour, run in-process; the invoker projects cover a real Maven build. */
class GenerateMojoTest {

    @TempDir
    Path project;

    private Path source;
    private Path classes;

    @BeforeEach
    void writeSources() throws IOException {
        source = project.resolve("src/main/java/com/example/Losses.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package com.example;
                public final class Losses {
                    static double perExampleLoss(double w, double x) { return (w * x) * (w * x); }
                }
                """);
        classes = project.resolve("target/classes");
    }

    private GenerateMojo mojo(String method) throws ReflectiveOperationException {
        return mojo(method, null);
    }

    private GenerateMojo mojo(String method, String lengths) throws ReflectiveOperationException {
        MavenProject mavenProject = new MavenProject(new Model());
        mavenProject.getModel().setBuild(new Build());
        mavenProject.addCompileSourceRoot(project.resolve("src/main/java").toString());
        PluginDescriptor plugin = new PluginDescriptor();
        plugin.setVersion("test");
        Loss loss = new Loss();
        loss.setMethod(method);
        loss.setLengths(lengths);
        GenerateMojo mojo = new GenerateMojo();
        set(mojo, "project", mavenProject);
        set(mojo, "plugin", plugin);
        set(mojo, "losses", List.of(loss));
        set(mojo, "outputDirectory", classes.toFile());
        set(mojo, "stateDirectory", project.resolve("target/symgrad-maven-plugin").toFile());
        return mojo;
    }

    private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        Field field = GenerateMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

    @Test
    void generatesOnceSkipsWhileUnchangedAndRegeneratesAfterAChange() throws Exception {
        Path facade = classes.resolve("com/example/LossesGradients.class");
        mojo("com.example.Losses#perExampleLoss").execute();
        assertTrue(Files.isRegularFile(facade));
        assertTrue(Files.isRegularFile(classes.resolve("com/example/LossesGradients$PerExampleLoss.class")));

        // Unchanged sources: the class files are not touched.
        FileTime marker = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(facade, marker);
        mojo("com.example.Losses#perExampleLoss").execute();
        assertEquals(marker, Files.getLastModifiedTime(facade));

        // A changed loss is generated again, with its new derivative.
        byte[] before = Files.readAllBytes(classes.resolve("com/example/LossesGradients$PerExampleLoss.class"));
        Files.writeString(source, Files.readString(source).replace("(w * x) * (w * x)", "Math.exp(w * x)"));
        mojo("com.example.Losses#perExampleLoss").execute();
        assertNotEquals(marker, Files.getLastModifiedTime(facade));
        byte[] after = Files.readAllBytes(classes.resolve("com/example/LossesGradients$PerExampleLoss.class"));
        assertFalse(java.util.Arrays.equals(before, after));
    }

    @Test
    void anExponentialThatMayOverflowIsABuildWarningAndALogisticLossIsNot() throws Exception {
        List<String> warnings = new java.util.ArrayList<>();
        org.apache.maven.plugin.logging.SystemStreamLog capturing = new org.apache.maven.plugin.logging.SystemStreamLog() {
            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        };
        Files.writeString(source, Files.readString(source).replace("(w * x) * (w * x)", "Math.log1p(Math.exp(-w * x))"));
        GenerateMojo logistic = mojo("com.example.Losses#perExampleLoss");
        logistic.setLog(capturing);
        logistic.execute();
        assertEquals(List.of(), warnings);
        Files.writeString(source, Files.readString(source).replace("Math.log1p(Math.exp(-w * x))", "Math.exp(w * x)"));
        GenerateMojo poisson = mojo("com.example.Losses#perExampleLoss");
        poisson.setLog(capturing);
        poisson.execute();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("symgrad: perExampleLoss: note: Math.exp(w * x) overflows to Infinity"),
                warnings.get(0));
    }

    @Test
    void aBadLossFailsTheBuildWithThePositionedMessage() throws Exception {
        Files.writeString(source, """
                package com.example;
                public final class Losses {
                    static double perExampleLoss(double w, double x) { return Math.floor(w * x); }
                }
                """);
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Losses#perExampleLoss").execute());
        assertEquals(source + ":3:63: error: unsupported call 'Math.floor'; supported: exp, log, log1p, expm1, sqrt,"
                + " cbrt, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, abs, pow, max, min, hypot, StableMath.sigmoid,"
                + " StableMath.logaddexp", failure.getMessage());
        assertFalse(Files.exists(classes.resolve("com/example/LossesGradients.class")));
    }

    @Test
    void aMalformedMethodReferenceIsAConfigurationError() {
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Losses.perExampleLoss").execute());
        assertTrue(failure.getMessage().contains("com.example.Losses#logistic"), failure.getMessage());
    }

    @Test
    void aMissingSourceFileIsNamed() {
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Missing#f").execute());
        assertTrue(failure.getMessage().contains("com/example/Missing.java"), failure.getMessage());
    }
    @Test
    void arrayParametersTakeTheirLengthsFromTheConfigurationAndAChangedLengthRegenerates() throws Exception {
        Files.writeString(source, """
                package com.example;
                public final class Losses {
                    static double dot(double[] w, double[] x) {
                        double z = 0;
                        for (int j = 0; j < w.length; j++) { z += w[j] * x[j]; }
                        return z;
                    }
                }
                """);
        Path lossClass = classes.resolve("com/example/LossesGradients$Dot.class");
        mojo("com.example.Losses#dot", "w=2,x=2").execute();
        byte[] two = Files.readAllBytes(lossClass);
        mojo("com.example.Losses#dot", "w=3, x=3").execute();
        assertFalse(java.util.Arrays.equals(two, Files.readAllBytes(lossClass)), "regenerated for the new lengths");

        MojoFailureException missing = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Losses#dot", "w=3").execute());
        assertEquals(source + ":3:35: error: double[] parameter 'x' needs a length; configure it like x=30",
                missing.getMessage());
    }

    @Test
    void malformedLengthsAreAConfigurationError() {
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Losses#perExampleLoss", "w:3").execute());
        assertEquals("symgrad: <lengths> of com.example.Losses#perExampleLoss: lengths must look like w=30,V=32x64;"
                + " got 'w:3'", failure.getMessage());
    }

    @Test
    void shapesOfTwoDimensionsReachTheCompilerWhichChecksThemAtTheParameter() throws Exception {
        Files.writeString(source, """
                package com.example;
                public final class Losses {
                    static double first(double[][] V, double[] x) { return V[0][0] * x[0]; }
                }
                """);
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> mojo("com.example.Losses#first", "V=2x3,x=3x1").execute());
        assertEquals(source + ":3:39: error: 'x' is a double[], so its shape has 1 dimension, like x=30; the"
                + " configured 3x1 has 2", failure.getMessage());
    }

    @Test
    void matrixArgumentsReachTheFacadeAsArraysOfRowsAndMatrixInputsAsRowsOfColumns() throws Exception {
        Files.writeString(source, """
                package com.example;
                public final class Losses {
                    static double bilinear(double[][] V, double[][] X) {
                        double z = 0;
                        for (int m = 0; m < V.length; m++) {
                            for (int j = 0; j < V[m].length; j++) { z += V[m][j] * X[m][j]; }
                        }
                        return z;
                    }
                }
                """);
        mojo("com.example.Losses#bilinear", "V=2x3,X=2x3").execute();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                GenerateMojoTest.class.getClassLoader())) {
            Class<?> facade = loader.loadClass("com.example.LossesGradients");
            double[][] v = {{1, 2, 3}, {4, 5, 6}};
            double[][] x = {{0.5, -1, 2}, {0.25, 1, -0.5}};
            assertEquals(0.5 - 2 + 6 + 1 + 5 - 3, (double) facade.getMethod("bilinear", double[][].class,
                    double[][].class).invoke(null, v, x));
            // Two examples; the gradient of the sum with respect to V[m][j] is the sum of X[m][j]'s column.
            double[][][] columns = {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}};
            Method gradientOfSum = facade.getMethod("bilinearGradientOfSum", double[][].class, double[][][].class);
            assertArrayEquals(new double[] {3, 7, 11, 15, 19, 23}, (double[]) gradientOfSum.invoke(null, v, columns));
            InvocationTargetException wrongRow = assertThrows(InvocationTargetException.class,
                    () -> gradientOfSum.invoke(null, new double[][] {{1, 2, 3}, {4, 5}}, columns));
            assertEquals("V[1] has length 2, expected 3", wrongRow.getCause().getMessage());
        }
    }
}
