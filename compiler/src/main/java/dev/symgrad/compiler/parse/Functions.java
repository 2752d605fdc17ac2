package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayList;
import java.util.List;

/** The {@code Math} (and {@code StrictMath}) methods a loss may call, with their arity. */
final class Functions {

    private Functions() {
    }

    /** The class that offers the overflow-free functions ({@code dev.symgrad.runtime.StableMath}). */
    static final String STABLE_MATH = "StableMath";

    /**
     * The number of arguments of {@code owner.name}, where the owner is {@code Math}, {@code StrictMath} or
     * {@link #STABLE_MATH}; -1 if it is not part of the language.
     */
    static int arity(String owner, String name) {
        if (unary(owner, name) != null) {
            return 1;
        }
        return binary(owner, name) != null ? 2 : -1;
    }

    /** The one-argument function {@code owner.name}, or null. */
    static UnaryOp unary(String owner, String name) {
        return owner.equals(STABLE_MATH) ? UnaryOp.ofStableFunction(name) : UnaryOp.ofFunction(name);
    }

    /** The two-argument function {@code owner.name}, or null. */
    static BinaryOp binary(String owner, String name) {
        return owner.equals(STABLE_MATH) ? BinaryOp.ofStableFunction(name) : BinaryOp.ofFunction(name);
    }

    /** Java overloads these for {@code int} and {@code long}; with integer arguments the result is an integer. */
    static boolean hasIntegerOverload(String name) {
        return name.equals("abs") || name.equals("max") || name.equals("min");
    }

    /** The supported names, for error messages. */
    static String names() {
        List<String> names = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            if (op.isFunction() && !op.isStable()) {
                names.add(op.spelling());
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (!op.isInfix() && !op.isStable()) {
                names.add(op.spelling());
            }
        }
        for (UnaryOp op : UnaryOp.values()) {
            if (op.isStable()) {
                names.add(STABLE_MATH + "." + op.spelling());
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isStable()) {
                names.add(STABLE_MATH + "." + op.spelling());
            }
        }
        return String.join(", ", names);
    }
}
