package dev.symgrad.compiler.hardening;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a generated class can reach outside itself, read from its bytecode: whatever text it was compiled
 * from, it may call only the pure {@code java.lang.Math} functions of the loss language, its superclass's
 * constructor and a few pure JDK helpers (array fill and copy, string concatenation of its printed
 * derivatives, the bit conversions of {@code Double} that branch-free conditionals use). No other class,
 * no field of another class, no {@code invokedynamic}, no class constants: so no text can make a compiled
 * loss run anything else.
 */
public final class GeneratedClassReferences {

    private static final Set<String> MATH_FUNCTIONS = Set.of("exp", "log", "log1p", "expm1", "sqrt", "cbrt", "pow",
            "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "abs", "max", "min", "hypot");

    /** The overflow-free functions the simplifier writes in place of overflowing patterns: pure arithmetic. */
    private static final Set<String> STABLE_FUNCTIONS = Set.of("dev/symgrad/runtime/StableMath.logaddexp",
            "dev/symgrad/runtime/StableMath.sigmoid");

    private static final Set<String> HELPERS = Set.of("dev/symgrad/runtime/GeneratedLoss.<init>",
            "java/util/Arrays.fill", "java/lang/System.arraycopy", "java/lang/String.concat",
            "java/lang/Double.doubleToRawLongBits", "java/lang/Double.longBitsToDouble");

    private static final String VECTOR_API = "jdk/incubator/vector/";

    /**
     * What a class of the vector backend may also reach, all of it pure arithmetic on values: these methods
     * of {@code DoubleVector}, {@code VectorMask} and {@code VectorSpecies}, the static field
     * {@code DoubleVector.SPECIES_PREFERRED}, and the operator constants of {@code VectorOperators} (names
     * of functions, comparisons and tests). Nothing that reads memory other than the loss's own arrays
     * ({@code fromArray}, {@code intoArray}), shuffles, converts to another species or reinterprets bits.
     */
    private static final Set<String> VECTOR_METHODS = Set.of("DoubleVector.add", "DoubleVector.sub",
            "DoubleVector.mul", "DoubleVector.div", "DoubleVector.neg", "DoubleVector.min", "DoubleVector.max",
            "DoubleVector.lanewise", "DoubleVector.blend", "DoubleVector.compare", "DoubleVector.test",
            "DoubleVector.broadcast", "DoubleVector.zero", "DoubleVector.fromArray", "DoubleVector.intoArray",
            "DoubleVector.reduceLanes", "VectorMask.not", "VectorMask.and", "VectorMask.or",
            "VectorSpecies.length", "VectorSpecies.loopBound", "VectorSpecies.maskAll");

    private static final Set<String> VECTOR_OPERATORS = Set.of("EXP", "LOG", "LOG1P", "EXPM1", "SQRT", "CBRT",
            "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "SINH", "COSH", "TANH", "ABS", "POW", "MAX", "MIN", "HYPOT",
            "ADD", "LT", "LE", "GT", "GE", "EQ", "NE", "IS_NEGATIVE", "IS_INFINITE");

    private GeneratedClassReferences() {
    }

    /** Fails unless everything the class refers to outside itself is on the list above. */
    public static void assertOnlyMathIsReachable(byte[] classBytes, String source) {
        assertOnlyMathIsReachable(classBytes, source, false);
    }

    /**
     * As {@link #assertOnlyMathIsReachable(byte[], String)}; with {@code vectorApi}, also the members of
     * the Vector API listed in {@link #VECTOR_METHODS} and {@link #VECTOR_OPERATORS}.
     */
    public static void assertOnlyMathIsReachable(byte[] classBytes, String source, boolean vectorApi) {
        List<String> forbidden = new ArrayList<>();
        ClassReader reader = new ClassReader(classBytes);
        String self = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                if (!"dev/symgrad/runtime/GeneratedLoss".equals(superName) || interfaces.length != 0) {
                    forbidden.add("extends " + superName + " implements " + List.of(interfaces));
                }
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        String target = owner + "." + method;
                        boolean allowed = owner.equals(self)
                                || (owner.equals("java/lang/Math") && MATH_FUNCTIONS.contains(method))
                                || HELPERS.contains(target)
                                || STABLE_FUNCTIONS.contains(target)
                                || (vectorApi && owner.startsWith(VECTOR_API)
                                        && VECTOR_METHODS.contains(owner.substring(VECTOR_API.length()) + "." + method));
                        if (!allowed) {
                            forbidden.add("call " + target + desc);
                        }
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        boolean vectorConstant = vectorApi && opcode == Opcodes.GETSTATIC
                                && (owner.equals(VECTOR_API + "DoubleVector") && field.equals("SPECIES_PREFERRED")
                                || owner.equals(VECTOR_API + "VectorOperators") && VECTOR_OPERATORS.contains(field));
                        if (!owner.equals(self) && !vectorConstant) {
                            forbidden.add("field " + owner + "." + field);
                        }
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (!(opcode == Opcodes.ANEWARRAY && type.equals("java/lang/String"))) {
                            forbidden.add("type instruction " + opcode + " " + type);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                        forbidden.add("invokedynamic " + bootstrap);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Type || value instanceof Handle || value instanceof ConstantDynamic) {
                            forbidden.add("constant " + value);
                        }
                    }

                    @Override
                    public void visitMultiANewArrayInsn(String desc, int dimensions) {
                        forbidden.add("multianewarray " + desc);
                    }
                };
            }
        }, 0);
        assertEquals(List.of(), forbidden, () -> "the class for " + UntrustedCompilation.describe(source)
                + " reaches outside java.lang.Math");
    }
}
