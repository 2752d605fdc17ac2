package dev.symgrad.spark;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.runtime.CompiledLoss;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What travels to Spark's executors in place of a compiled loss: its text and names. A loss compiles to a
 * hidden class, which cannot be serialized; each executor JVM compiles the definition once, on first
 * use, and reuses the class for every task after that ({@link #compile}).
 *
 * <pre>{@code
 * LossDefinition logistic = LossDefinition.expression("Math.log1p(Math.exp(-y * (w0*x0 + w1*x1 + b)))",
 *         List.of("w0", "w1", "b"), List.of("x0", "x1", "y"));
 * LossDefinition network = LossDefinition.method(source, "mlp", List.of("V", "c", "W", "b"), shapes);
 * }</pre>
 */
public final class LossDefinition implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most definitions an executor keeps compiled; past that the oldest are compiled again when used. */
    static final int MAX_COMPILED = 64;

    private static final Map<LossDefinition, CompiledLoss> COMPILED = new ConcurrentHashMap<>();

    private final String text;
    private final String methodName;     // null for an expression
    private final List<String> names;    // the parameters of an expression, or the method's wrt
    private final List<String> inputs;   // an expression's inputs; empty for a method
    private final Map<String, List<Integer>> shapes;

    private LossDefinition(String text, String methodName, List<String> names, List<String> inputs,
                           Map<String, List<Integer>> shapes) {
        this.text = Objects.requireNonNull(text, "text");
        this.methodName = methodName;
        this.names = List.copyOf(names);
        this.inputs = List.copyOf(inputs);
        Map<String, List<Integer>> copy = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> copy.put(name, List.copyOf(shape)));
        this.shapes = copy;
    }

    /** A loss written as an expression over scalar parameters and inputs ({@link Symgrad#compile}). */
    public static LossDefinition expression(String expression, List<String> parameters, List<String> inputs) {
        return new LossDefinition(expression, null, Objects.requireNonNull(parameters, "parameters"),
                Objects.requireNonNull(inputs, "inputs"), Map.of());
    }

    /** A loss written as a static Java method in {@code source} ({@link Symgrad#compileMethod}). */
    public static LossDefinition method(String source, String methodName, List<String> wrt,
                                        Map<String, List<Integer>> shapes) {
        return new LossDefinition(source, Objects.requireNonNull(methodName, "methodName"),
                Objects.requireNonNull(wrt, "wrt"), List.of(), Objects.requireNonNull(shapes, "shapes"));
    }

    /**
     * The compiled loss, compiled in this JVM the first time and kept. On the driver this is where a
     * {@code CompileError} is thrown, with its position in the text, before any job runs.
     */
    public CompiledLoss compile() {
        CompiledLoss known = COMPILED.get(this);
        if (known != null) {
            return known;
        }
        CompiledLoss loss = methodName == null ? Symgrad.compile(text, names, inputs)
                : Symgrad.compileMethod(text, methodName, names, shapes);
        if (COMPILED.size() >= MAX_COMPILED) {
            COMPILED.clear();
        }
        COMPILED.putIfAbsent(this, loss);
        return loss;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LossDefinition that && text.equals(that.text)
                && Objects.equals(methodName, that.methodName) && names.equals(that.names)
                && inputs.equals(that.inputs) && shapes.equals(that.shapes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, methodName, names, inputs, shapes);
    }

    @Override
    public String toString() {
        return methodName == null ? "expression " + text : "method " + methodName + " " + new ArrayList<>(names);
    }
}
