package dev.symgrad.compiler;

import dev.symgrad.compiler.load.HiddenClassDefiner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The classes some code defines, caught through the dump switch ({@value HiddenClassDefiner#DUMP_PROPERTY}). */
public final class DefinedClasses {

    private DefinedClasses() {
    }

    /** Runs {@code definer} with the dump switch set to {@code directory} and returns the class files written. */
    public static List<byte[]> definedBy(Path directory, Runnable definer) {
        String previous = System.getProperty(HiddenClassDefiner.DUMP_PROPERTY);
        System.setProperty(HiddenClassDefiner.DUMP_PROPERTY, directory.toString());
        try {
            definer.run();
        } finally {
            if (previous == null) {
                System.clearProperty(HiddenClassDefiner.DUMP_PROPERTY);
            } else {
                System.setProperty(HiddenClassDefiner.DUMP_PROPERTY, previous);
            }
        }
        List<byte[]> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                classes.add(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }
}
