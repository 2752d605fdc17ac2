package dev.symgrad.compiler;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks generated class files the way the JVM would, before any test trusts their numbers: ASM's
 * {@link CheckClassAdapter} runs its data-flow verifier over every method, and every method's
 * {@code code_length} (JVMS §4.7.3) is read from the class file and must stay below HotSpot's
 * 8000-byte limit ({@code -XX:HugeMethodLimit}), beyond which the JIT never compiles a method.
 */
public final class GeneratedClassVerifier {

    /** HotSpot's {@code HugeMethodLimit}: methods with more bytecode than this are never JIT-compiled. */
    public static final int JIT_METHOD_LIMIT = 8_000;

    private GeneratedClassVerifier() {
    }

    /** Fails the current test if the class does not verify or any method is too large for the JIT. */
    public static void verify(byte[] classBytes) {
        verify(classBytes, GeneratedClassVerifier.class.getClassLoader());
    }

    /**
     * As {@link #verify(byte[])}, loading the classes it refers to (to check assignments between them)
     * from {@code loader}: the build-time facade refers to the loss classes generated with it.
     */
    public static void verify(byte[] classBytes, ClassLoader loader) {
        ClassReader reader = new ClassReader(classBytes);
        StringWriter report = new StringWriter();
        try (PrintWriter printer = new PrintWriter(report)) {
            CheckClassAdapter.verify(reader, loader, false, printer);
        }
        if (!report.toString().isEmpty()) {
            fail("generated class " + reader.getClassName() + " does not verify:\n" + report);
        }
        List<String> tooLarge = new ArrayList<>();
        codeLengths(classBytes).forEach((method, length) -> {
            if (length >= JIT_METHOD_LIMIT) {
                tooLarge.add(method + " has " + length + " bytes of bytecode");
            }
        });
        if (!tooLarge.isEmpty()) {
            fail("generated class " + reader.getClassName() + " has methods the JIT will never compile (limit "
                    + JIT_METHOD_LIMIT + " bytes): " + tooLarge);
        }
    }

    /**
     * The {@code code_length} of every method with a {@code Code} attribute, keyed by name and
     * descriptor, read straight from the class file layout (JVMS §4.1, §4.6, §4.7.3).
     */
    public static Map<String, Integer> codeLengths(byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        char[] buffer = new char[reader.getMaxStringLength()];
        // After the constant pool: access_flags, this_class, super_class, interfaces_count, interfaces[].
        int offset = reader.header + 6;
        offset += 2 + 2 * reader.readUnsignedShort(offset);
        offset = skipMembers(reader, offset);
        Map<String, Integer> lengths = new LinkedHashMap<>();
        int methodCount = reader.readUnsignedShort(offset);
        offset += 2;
        for (int m = 0; m < methodCount; m++) {
            // method_info: access_flags, name_index, descriptor_index, attributes_count, attributes[].
            String name = reader.readUTF8(offset + 2, buffer) + reader.readUTF8(offset + 4, buffer);
            int attributeCount = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributeCount; a++) {
                // attribute_info: attribute_name_index, attribute_length (u4), info[]. Code's info starts
                // with max_stack (u2), max_locals (u2), code_length (u4).
                String attribute = reader.readUTF8(offset, buffer);
                int length = reader.readInt(offset + 2);
                if (attribute.equals("Code")) {
                    lengths.put(name, reader.readInt(offset + 10));
                }
                offset += 6 + length;
            }
        }
        return lengths;
    }

    /** Skips {@code fields_count} and the field_info entries, returning the offset of {@code methods_count}. */
    private static int skipMembers(ClassReader reader, int offset) {
        int count = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < count; i++) {
            int attributeCount = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributeCount; a++) {
                offset += 6 + reader.readInt(offset + 2);
            }
        }
        return offset;
    }
}
