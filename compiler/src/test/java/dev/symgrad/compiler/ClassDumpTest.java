package dev.symgrad.compiler;

import dev.symgrad.compiler.load.HiddenClassDefiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The dump switch writes the classes it loads, for javap and decompilers. */
class ClassDumpTest {

    @Test
    void writesEveryGeneratedClassToTheDumpDirectory(@TempDir Path directory) throws IOException {
        String previous = System.getProperty(HiddenClassDefiner.DUMP_PROPERTY);
        System.setProperty(HiddenClassDefiner.DUMP_PROPERTY, directory.toString());
        try {
            Symgrad.cache().clear(); // a cached loss would not be defined, and so not dumped, again
            Symgrad.compile("w * x", List.of("w"), List.of("x"));
        } finally {
            if (previous == null) {
                System.clearProperty(HiddenClassDefiner.DUMP_PROPERTY);
            } else {
                System.setProperty(HiddenClassDefiner.DUMP_PROPERTY, previous);
            }
        }
        List<Path> dumped;
        try (Stream<Path> files = Files.list(directory)) {
            dumped = files.toList();
        }
        assertFalse(dumped.isEmpty(), "a class file was written");
        ClassReader reader = new ClassReader(Files.readAllBytes(dumped.get(0)));
        assertEquals(HiddenClassDefiner.CLASS_NAME, reader.getClassName());
        assertEquals("dev/symgrad/runtime/GeneratedLoss", reader.getSuperName());
    }
}
