package dev.symgrad.compiler;

import dev.symgrad.compiler.load.HiddenClassDefiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The dump switch writes the classes it loads, for javap and decompilers. */
class ClassDumpTest {

    @Test
    void writesEveryGeneratedClassToTheDumpDirectory(@TempDir Path directory) {
        List<byte[]> dumped = DefinedClasses.definedBy(directory, () -> {
            Symgrad.cache().clear(); // a cached loss would not be defined, and so not dumped, again
            Symgrad.compile("w * x", List.of("w"), List.of("x"));
        });
        assertFalse(dumped.isEmpty(), "a class file was written");
        ClassReader reader = new ClassReader(dumped.get(0));
        assertEquals(HiddenClassDefiner.CLASS_NAME, reader.getClassName());
        assertEquals("dev/symgrad/runtime/GeneratedLoss", reader.getSuperName());
    }
}
