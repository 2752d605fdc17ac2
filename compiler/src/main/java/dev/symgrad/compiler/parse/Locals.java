package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.Expr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables in scope while a method body is lowered: {@code double} parameters and locals by the
 * expression of their current value (null until assigned), {@code int} locals and loop variables by the
 * constant they are in this unrolled copy of the code, and the {@code double[]} parameters, read-only.
 * Blocks and branches work on copies. The arrays are shared by every copy, never copied: a loop
 * copies its state on every iteration, and an array can have 100,000 elements.
 */
final class Locals {

    private final Map<String, Expr> doubles;
    private final Map<String, Integer> integers;
    private final Map<String, List<Expr>> arrays;

    Locals(Map<String, Expr> doubles, Map<String, List<Expr>> arrays) {
        this(new LinkedHashMap<>(doubles), new LinkedHashMap<>(), arrays);
    }

    private Locals(Map<String, Expr> doubles, Map<String, Integer> integers, Map<String, List<Expr>> arrays) {
        this.doubles = doubles;
        this.integers = integers;
        this.arrays = arrays;
    }

    /** A copy for a nested scope: changes to it stay in it until {@link #keepOuter} copies them back. */
    Locals copy() {
        return new Locals(new LinkedHashMap<>(doubles), new LinkedHashMap<>(integers), arrays);
    }

    /** The double variables, mutable: assignment replaces a value. */
    Map<String, Expr> doubles() {
        return doubles;
    }

    /** The int variables; {@link #setInteger} is the only change, made by a loop's update. */
    Map<String, Integer> integers() {
        return integers;
    }

    Map<String, List<Expr>> arrays() {
        return arrays;
    }

    void setInteger(String name, int value) {
        integers.put(name, value);
    }

    boolean isDefined(String name) {
        return doubles.containsKey(name) || integers.containsKey(name) || arrays.containsKey(name);
    }

    /**
     * Copies back the values of the double variables that existed before {@code inner} was copied from
     * this scope (assignments inside stick); variables declared inside disappear, as Java scoping says.
     */
    void keepOuter(Locals inner) {
        for (Map.Entry<String, Expr> variable : doubles.entrySet()) {
            variable.setValue(inner.doubles.get(variable.getKey()));
        }
    }
}
