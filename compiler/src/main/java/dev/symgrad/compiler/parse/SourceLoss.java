package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.ir.Expr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loss read from a static Java method.
 *
 * @param packageName  the package of the source file, empty for the default package
 * @param className    the simple name of the class declaring the method
 * @param methodName   the method's name
 * @param parameters   the method parameters that are differentiated, in declaration order, a
 *                     {@code double[]} parameter {@code w} as its elements {@code w[0]}, {@code w[1]} ...
 * @param inputs       the other method parameters, in declaration order, arrays as their elements
 * @param declarationOrder all method parameter names in declaration order
 * @param lengths      the length of each {@code double[]} parameter, by name
 * @param loss         the method body lowered to a per-example expression
 */
public record SourceLoss(String packageName, String className, String methodName, List<String> parameters,
                         List<String> inputs, List<String> declarationOrder, Map<String, Integer> lengths, Expr loss) {

    public SourceLoss {
        parameters = List.copyOf(parameters);
        inputs = List.copyOf(inputs);
        declarationOrder = List.copyOf(declarationOrder);
        lengths = Collections.unmodifiableMap(new LinkedHashMap<>(lengths));
    }
}
