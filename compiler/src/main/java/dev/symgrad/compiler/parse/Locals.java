package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables in scope while a method body is lowered: {@code double} parameters and locals by the
 * expression of their current value (null until assigned), {@code int} locals and the variables of
 * unrolled loops by the constant they are in this copy of the code, the variables of index loops by
 * their {@link Index}, and the arrays (parameters and local arrays) by name. Blocks and branches work on
 * copies of the maps; the arrays themselves are shared by every copy, never copied: a loop copies its
 * state on every iteration, and an array can have 100,000 elements.
 */
final class Locals {

    private final Map<String, Expr> doubles;
    private final Map<String, Integer> integers;
    private final Map<String, MethodArray> arrays;
    private final Map<String, Index> indices;
    /**
     * Inside the body of an index loop: the doubles declared outside it that the loop adds to, with the
     * term one iteration adds (null until its statement is lowered). Shared by the copies of one body.
     */
    private final Map<String, Expr> accumulated;

    Locals(Map<String, Expr> doubles, Map<String, ? extends MethodArray> arrays) {
        this(new LinkedHashMap<>(doubles), new LinkedHashMap<>(), new LinkedHashMap<>(arrays), new LinkedHashMap<>(),
                null);
    }

    private Locals(Map<String, Expr> doubles, Map<String, Integer> integers, Map<String, MethodArray> arrays,
                   Map<String, Index> indices, Map<String, Expr> accumulated) {
        this.doubles = doubles;
        this.integers = integers;
        this.arrays = arrays;
        this.indices = indices;
        this.accumulated = accumulated;
    }

    /** A copy for a nested scope: changes to it stay in it until {@link #keepOuter} copies them back. */
    Locals copy() {
        return new Locals(new LinkedHashMap<>(doubles), new LinkedHashMap<>(integers), new LinkedHashMap<>(arrays),
                new LinkedHashMap<>(indices), accumulated);
    }

    /**
     * A copy for one path of an {@code if} that returns: the rest of the method is lowered once per path,
     * so each path writes its own copies of the local arrays.
     */
    Locals fork() {
        Locals fork = copy();
        fork.arrays.replaceAll((name, array) -> array instanceof LocalArray local ? local.copy() : array);
        return fork;
    }

    /** A copy for the body of an index loop over {@code index} that adds to {@code accumulators}. */
    Locals indexLoopBody(String variable, Index index, Set<String> accumulators) {
        Map<String, Expr> terms = new LinkedHashMap<>();
        for (String name : accumulators) {
            terms.put(name, null);
        }
        Locals body = new Locals(new LinkedHashMap<>(doubles), new LinkedHashMap<>(integers),
                new LinkedHashMap<>(arrays), new LinkedHashMap<>(indices), terms);
        body.indices.put(variable, index);
        return body;
    }

    /** The double variables, mutable: assignment replaces a value. */
    Map<String, Expr> doubles() {
        return doubles;
    }

    /** The int variables; {@link #setInteger} is the only change, made by a loop's update. */
    Map<String, Integer> integers() {
        return integers;
    }

    Map<String, MethodArray> arrays() {
        return arrays;
    }

    /** The variables of the enclosing index loops, outermost first. */
    Map<String, Index> indices() {
        return indices;
    }

    /** The indices of the enclosing index loops, outermost first. */
    List<Index> activeIndices() {
        return new ArrayList<>(indices.values());
    }

    void setInteger(String name, int value) {
        integers.put(name, value);
    }

    void declareArray(LocalArray array) {
        arrays.put(array.name(), array);
    }

    /** True if {@code name} is a double the enclosing index loop adds to. */
    boolean accumulates(String name) {
        return accumulated != null && accumulated.containsKey(name);
    }

    /** Records the term one iteration of the index loop adds to {@code name}. */
    void accumulate(String name, Expr term) {
        accumulated.put(name, term);
    }

    /** The term one iteration adds to {@code name}, after the body has been lowered. */
    Expr accumulated(String name) {
        return accumulated.get(name);
    }

    boolean isDefined(String name) {
        return doubles.containsKey(name) || integers.containsKey(name) || arrays.containsKey(name)
                || indices.containsKey(name);
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
