package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayList;
import java.util.List;

/** The {@code Math} (and {@code StrictMath}) methods a loss may call, with their arity. */
final class Functions {

    private Functions() {
    }

    /** The number of arguments of {@code Math.name}, or -1 if it is not part of the language. */
    static int arity(String name) {
        if (UnaryOp.ofFunction(name) != null) {
            return 1;
        }
        if (BinaryOp.ofFunction(name) != null) {
            return 2;
        }
        return -1;
    }

    /** Java overloads these for {@code int} and {@code long}; with integer arguments the result is an integer. */
    static boolean hasIntegerOverload(String name) {
        return name.equals("abs") || name.equals("max") || name.equals("min");
    }

    /** The supported names, for error messages. */
    static String names() {
        List<String> names = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            if (op.isFunction()) {
                names.add(op.spelling());
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            if (!op.isInfix()) {
                names.add(op.spelling());
            }
        }
        return String.join(", ", names);
    }
}
