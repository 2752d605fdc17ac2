package dev.symgrad.compiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} class in a fresh JVM, started with the current {@code java} and the test
 * class path: for what must be set at JVM start (a metaspace cap) or seen from a JVM's start (the classes
 * a first compile loads).
 *
 * @param finished  whether the child ended within the time given (it is killed otherwise)
 * @param exitValue its exit code; -1 if it did not finish
 * @param output    its standard output and error, interleaved
 */
public record ChildJvm(boolean finished, int exitValue, String output) {

    /** Runs {@code main} with {@code jvmOptions} and {@code arguments}, its output kept in {@code directory}. */
    public static ChildJvm run(Path directory, Duration timeout, List<String> jvmOptions, Class<?> main,
                               String... arguments) throws IOException, InterruptedException {
        Path output = Files.createTempFile(directory, "child", ".txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // Surefire may hide the real class path in a manifest-only jar; it publishes the real one here.
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(arguments));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        return new ChildJvm(finished, finished ? child.exitValue() : -1, Files.readString(output));
    }
}
