package dev.symgrad.compiler;

import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dump switch writes the classes it loads, for javap and decompilers. */
class ClassDumpTest {

    @Test
    void writesEveryGeneratedClassToTheDumpDirectory(@TempDir Path directory) {
        List<byte[]> dumped = DefinedClasses.definedBy(directory, () -> {
            Symgrad.cache().clear(); // a cached loss would not be defined, and so not dumped, again
            CompiledLoss loss = Symgrad.compile("w * x", List.of("w"), List.of("x"));
            loss.gradientOfSum(new double[] {1}, new double[][] {{1, 2}}); // route (b)'s kernel class, defined now
        });
        assertEquals(2, dumped.size(), "the loss's class and route (b)'s kernel class");
        List<String> names = new java.util.ArrayList<>();
        for (byte[] bytes : dumped) {
            ClassReader reader = new ClassReader(bytes);
            names.add(reader.getClassName() + " extends " + reader.getSuperName());
        }
        java.util.Collections.sort(names);
        assertEquals(List.of(HiddenClassDefiner.KERNEL_CLASS_NAME + " extends java/lang/Object",
                HiddenClassDefiner.CLASS_NAME + " extends dev/symgrad/compiler/load/LazyKernelsLoss"), names);
    }
}
