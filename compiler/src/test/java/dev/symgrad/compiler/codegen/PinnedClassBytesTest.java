package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.LossCompiler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SHA-256 of the classes generated for a few representative losses, per backend, pinned in
 * {@code src/test/resources/class-bytes.sha256}: a refactoring of code generation that should change
 * nothing (the kernel-plan and indexed-IR steps of issue 14) proves it here, byte for byte. A change
 * meant to alter the bytes updates the file with {@code mvn test -pl compiler -Dtest=PinnedClassBytesTest
 * -Dsymgrad.updateGolden=true}; its commit says why, and what measured the new bytes' speed.
 */
class PinnedClassBytesTest {

    private static final boolean UPDATE = Boolean.getBoolean("symgrad.updateGolden");
    private static final Path PINS = Path.of(System.getProperty("basedir", System.getProperty("user.dir")),
            "src", "test", "resources", "class-bytes.sha256");

    private record Loss(String name, String expression, List<String> parameters, List<String> inputs) {
    }

    /** The benchmark workloads' shapes: polynomial, logistic, conditional, tanh network, wide logistic, chunked. */
    private static List<Loss> losses() {
        StringBuilder margin = new StringBuilder("b");
        for (int j = 0; j < 30; j++) {
            margin.append(" + w[").append(j).append("] * x[").append(j).append("]");
        }
        StringBuilder large = new StringBuilder("b * y");
        for (int k = 0; k < 400; k++) {
            large.append(" + Math.tanh(w * x + ").append(k).append(".0e-3 * b) * ").append(k + 1).append(".0e-3");
        }
        return List.of(
                new Loss("reference", "(w * x) * (w * x)", List.of("w"), List.of("x")),
                new Loss("logistic", "Math.log1p(Math.exp(-y * (w * x + b)))", List.of("w", "b"), List.of("x", "y")),
                new Loss("conditional", "x > 0 ? Math.tanh(w * x + b) * y : w * w * x - b", List.of("w", "b"),
                        List.of("x", "y")),
                new Loss("tanhNetwork", "Math.pow(v0 * Math.tanh(u0 * x + c0) + v1 * Math.tanh(u1 * x + c1) + d - y, 2)",
                        List.of("u0", "u1", "c0", "c1", "v0", "v1", "d"), List.of("x", "y")),
                new Loss("wideLogistic", "Math.log1p(Math.exp(-y * (" + margin + ")))", List.of("w[30]", "b"),
                        List.of("x[30]", "y")),
                new Loss("chunked", large.toString(), List.of("w", "b"), List.of("x", "y")));
    }

    @Test
    void generatedClassesKeepTheirPinnedBytes() throws IOException {
        Map<String, String> actual = new LinkedHashMap<>();
        for (Loss loss : losses()) {
            LossProgram program = new LossCompiler().compile(loss.expression(), loss.parameters(), loss.inputs());
            for (Backend backend : Backend.values()) {
                // The default shape spelled out, so that the measurement properties do not move the pins.
                CodeShape shape = new CodeShape(backend, CodeShape.Loops.CHOSEN, CodeShape.Conditionals.BIT_MASK);
                actual.put(loss.name() + " " + backend, sha256(ClassGenerator.generate(program, "p/Pinned", shape)));
            }
        }
        if (UPDATE) {
            List<String> lines = new ArrayList<>();
            actual.forEach((key, hash) -> lines.add(key + " " + hash));
            Files.write(PINS, lines, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(PINS), () -> "missing " + PINS + "; run with -Dsymgrad.updateGolden=true");
        Map<String, String> pinned = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PINS, StandardCharsets.UTF_8)) {
            int last = line.lastIndexOf(' ');
            pinned.put(line.substring(0, last), line.substring(last + 1));
        }
        assertEquals(pinned, actual, "generated class bytes changed; if intended, update the pins (see the javadoc)");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
