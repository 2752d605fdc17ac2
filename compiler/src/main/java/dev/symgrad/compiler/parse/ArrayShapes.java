package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.ArrayCreationLevel;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.Type;
import dev.symgrad.compiler.diagnostic.CompileError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of a method's arrays. The configured shapes of its array parameters ({@code w=30},
 * {@code V=32x64}) are checked against its declaration: every {@code double[]} has one dimension, every
 * {@code double[][]} two, no scalar has one, no shape names a missing parameter, and the sizes stay within
 * the limits; errors point at the parameter, or at the method for a name it does not declare. A local
 * array's shape comes from its {@code new double[32]}, in constant sizes.
 */
final class ArrayShapes {

    /** Most elements of one array parameter, all its dimensions together. */
    static final int MAX_ELEMENTS = 100_000;

    /**
     * Most elements of all array parameters of a method together. Every element has a name in the
     * loss's parameter or input list, and the unrolled form one variable each, so this bounds the memory
     * a configuration can ask for.
     */
    static final int MAX_TOTAL_ELEMENTS = 1_000_000;

    private ArrayShapes() {
    }

    /** 1 for {@code double[]}, 2 for {@code double[][]}, 0 for anything else. */
    static int rank(Type type) {
        return type instanceof ArrayType array && array.getArrayLevel() <= 2 && MethodParser.isDouble(array.getElementType())
                ? array.getArrayLevel() : 0;
    }

    /** The shape of each array parameter, in declaration order. */
    static Map<String, List<Integer>> check(MethodDeclaration method, Map<String, List<Integer>> shapes,
                                            String fileName, String source) {
        Map<String, List<Integer>> checked = new LinkedHashMap<>();
        long total = 0;
        for (Parameter parameter : method.getParameters()) {
            String name = parameter.getNameAsString();
            int rank = rank(parameter.getType());
            List<Integer> shape = shapes.get(name);
            if (rank > 0 && shape == null) {
                throw error(parameter, rank == 1
                        ? "double[] parameter '" + name + "' needs a length; configure it like " + name + "=30"
                        : "double[][] parameter '" + name + "' needs a shape; configure it like " + name + "=32x64",
                        fileName, source);
            }
            if (rank == 0 && shape != null) {
                throw error(parameter, "a length is configured for '" + name + "', but it is a double, not a double[]",
                        fileName, source);
            }
            if (rank == 0) {
                continue;
            }
            if (shape.size() != rank) {
                throw error(parameter, "'" + name + "' is a " + typeName(rank) + ", so its shape has " + rank
                        + (rank == 1 ? " dimension, like " + name + "=30" : " dimensions, like " + name + "=32x64")
                        + "; the configured " + spelled(shape) + " has " + shape.size(), fileName, source);
            }
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                int extent = shape.get(d);
                if (extent < 1 || extent > MAX_ELEMENTS) {
                    throw error(parameter, (rank == 1 ? "the length of '" + name + "'"
                            : "dimension " + (d + 1) + " of '" + name + "'") + " must be 1 to " + MAX_ELEMENTS
                            + ", not " + extent, fileName, source);
                }
                elements *= extent;
            }
            if (elements > MAX_ELEMENTS) {
                throw error(parameter, "'" + name + "' of shape " + spelled(shape) + " has " + elements
                        + " elements; an array parameter has at most " + MAX_ELEMENTS, fileName, source);
            }
            total += elements;
            checked.put(name, List.copyOf(shape));
        }
        for (String name : shapes.keySet()) {
            if (method.getParameters().stream().noneMatch(parameter -> parameter.getNameAsString().equals(name))) {
                throw error(method, "method '" + method.getNameAsString() + "' has no parameter '" + name
                        + "' to give a length to", fileName, source);
            }
        }
        if (total > MAX_TOTAL_ELEMENTS) {
            throw error(method, "the array parameters of '" + method.getNameAsString() + "' have " + total
                    + " elements in all; the limit is " + MAX_TOTAL_ELEMENTS, fileName, source);
        }
        return checked;
    }

    /**
     * The shape of a local array, {@code double[] h = new double[32]} or {@code double[][] H = new
     * double[10][32]}: constant sizes, within the limit of one array parameter.
     */
    static List<Integer> ofLocalArray(VariableDeclarator variable, int rank, ExpressionLowering sizes, String fileName,
                                      String source) {
        String name = variable.getNameAsString();
        String example = rank == 1 ? "double[] " + name + " = new double[32]"
                : "double[][] " + name + " = new double[10][32]";
        if (!(variable.getInitializer().orElse(null) instanceof ArrayCreationExpr creation)
                || !MethodParser.isDouble(creation.getElementType()) || creation.getLevels().size() != rank
                || creation.getInitializer().isPresent()) {
            throw error(variable.getInitializer().map(init -> (Node) init).orElse(variable), "local array '" + name
                    + "' must be created with constant sizes, like " + example, fileName, source);
        }
        List<Integer> shape = new ArrayList<>();
        long elements = 1;
        for (ArrayCreationLevel level : creation.getLevels()) {
            Expression size = level.getDimension().orElse(null);
            Integer extent = size == null ? null : sizes.lowerConstantInt(size);
            if (extent == null) {
                throw error(size == null ? level : size, "the size of local array '" + name
                        + "' must be a constant int expression, like " + example, fileName, source);
            }
            if (extent < 1 || extent > MAX_ELEMENTS) {
                throw error(size, "the size of local array '" + name + "' must be 1 to " + MAX_ELEMENTS + ", not "
                        + extent, fileName, source);
            }
            elements *= extent;
            shape.add(extent);
        }
        if (elements > MAX_ELEMENTS) {
            throw error(creation, "local array '" + name + "' of " + spelled(shape) + " has " + elements
                    + " elements; the limit is " + MAX_ELEMENTS, fileName, source);
        }
        return shape;
    }

    static String typeName(int rank) {
        return rank == 1 ? "double[]" : "double[][]";
    }

    /** {@code 32x64}, as shapes are configured. */
    static String spelled(List<Integer> shape) {
        StringBuilder text = new StringBuilder();
        for (int extent : shape) {
            text.append(text.length() == 0 ? "" : "x").append(extent);
        }
        return text.toString();
    }

    private static CompileError error(Node node, String reason, String fileName, String source) {
        return ExpressionLowering.errorAt(fileName, source, node, reason);
    }
}
