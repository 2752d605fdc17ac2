package dev.symgrad.compiler.simd;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Compiles one loss with a chosen backend, verifying the class first. */
final class BackendLosses {

    private BackendLosses() {
    }

    static CompiledLoss compile(String expression, List<String> parameters, List<String> inputs, Backend backend) {
        LossProgram program = new LossCompiler().compile(expression, parameters, inputs);
        byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, backend);
        GeneratedClassVerifier.verify(bytes);
        return HiddenClassDefiner.define(bytes);
    }

    /** Whether the class file refers to the Vector API at all (its constant pool names DoubleVector). */
    static boolean usesVectorApi(String expression, List<String> parameters, List<String> inputs, Backend backend) {
        LossProgram program = new LossCompiler().compile(expression, parameters, inputs);
        byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, backend);
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("jdk/incubator/vector/DoubleVector");
    }
}
