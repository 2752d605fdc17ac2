package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;

import java.util.List;

/**
 * A loss compiled the way {@code Symgrad.compile} does it, keeping the intermediate results the tests
 * compare against: the IR program and the class bytes, which are verified before the class is loaded.
 */
record CompiledProgram(LossProgram program, byte[] classBytes, CompiledLoss loss) {

    static CompiledProgram compile(String source) {
        return compile(source, RandomLosses.PARAMETERS, RandomLosses.INPUTS);
    }

    static CompiledProgram compile(String source, List<String> parameters, List<String> inputs) {
        return compile(source, parameters, inputs, Backend.selected());
    }

    /** With the batch loops of {@code backend}, whatever backend this JVM selected. */
    static CompiledProgram compile(String source, Backend backend) {
        return compile(source, RandomLosses.PARAMETERS, RandomLosses.INPUTS, backend);
    }

    private static CompiledProgram compile(String source, List<String> parameters, List<String> inputs,
                                           Backend backend) {
        LossProgram program = new LossCompiler().compile(source, parameters, inputs);
        byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, backend);
        GeneratedClassVerifier.verify(bytes);
        return new CompiledProgram(program, bytes, HiddenClassDefiner.define(bytes));
    }
}
