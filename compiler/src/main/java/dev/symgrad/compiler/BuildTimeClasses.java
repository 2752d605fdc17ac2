package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.FacadeGenerator;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;
import dev.symgrad.compiler.parse.SourceLoss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build-time generation, as the Maven plugin does it: loss methods of Java source files become one
 * class each (the bytes of the class {@link Symgrad#compile} loads with the scalar backend, under
 * another name) plus one facade class with typed static methods for all of them (see
 * {@link FacadeGenerator}).
 */
public final class BuildTimeClasses {

    /**
     * One loss to generate: a static double method of a source file, the parameters to differentiate and
     * the shape of each array parameter ({@code w=[30]}, {@code V=[32, 64]}).
     */
    public record Request(String sourceText, String fileName, String methodName, List<String> wrt,
                          Map<String, List<Integer>> shapes) {

        public Request {
            wrt = List.copyOf(wrt);
            Map<String, List<Integer>> copy = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> copy.put(name, List.copyOf(shape)));
            shapes = Collections.unmodifiableMap(copy);
        }

        /** A method without array parameters. */
        public Request(String sourceText, String fileName, String methodName, List<String> wrt) {
            this(sourceText, fileName, methodName, wrt, Map.of());
        }
    }

    private BuildTimeClasses() {
    }

    /**
     * @param facadeName fully qualified name of the facade, e.g. {@code com.example.LossesGradients}
     * @return class files by internal name ({@code com/example/LossesGradients}), the facade last
     * @throws CompileError for the first loss that is not valid, positioned in its file
     */
    public static Map<String, byte[]> generate(String facadeName, List<Request> requests) {
        return generate(facadeName, requests, (method, note) -> { });
    }

    /**
     * As {@link #generate(String, List)}, handing each loss's notes ({@link LossCompiler.MethodLoss#notes()})
     * to {@code notes} with the loss's method name: a build-time class has no {@code notes()} of its own.
     */
    public static Map<String, byte[]> generate(String facadeName, List<Request> requests,
                                               java.util.function.BiConsumer<String, String> notes) {
        String facade = facadeName.replace('.', '/');
        Map<String, byte[]> classes = new LinkedHashMap<>();
        List<FacadeGenerator.Entry> entries = new ArrayList<>();
        LossCompiler compiler = new LossCompiler();
        for (Request request : requests) {
            LossCompiler.MethodLoss loss = compiler.compileMethod(request.sourceText(), request.fileName(),
                    request.methodName(), request.wrt(), request.shapes());
            String lossClass = lossClassName(facade, request.methodName());
            if (classes.containsKey(lossClass)) {
                throw new IllegalArgumentException("loss method '" + request.methodName() + "' is configured twice for "
                        + facadeName);
            }
            classes.put(lossClass, loss.generateClass(lossClass, request.fileName(), request.sourceText(),
                    Backend.SCALAR));
            for (String note : loss.notes()) {
                notes.accept(request.methodName(), note);
            }
            entries.add(new FacadeGenerator.Entry(request.methodName(), lossClass, facadeArguments(loss.source())));
        }
        classes.put(facade, FacadeGenerator.generate(facade, entries));
        return classes;
    }

    /**
     * The method's parameters in declaration order for the facade, each with its shape and its offset in
     * the loss's flat parameters or inputs, as the parser laid them out.
     */
    private static List<FacadeGenerator.Argument> facadeArguments(SourceLoss source) {
        Map<String, FacadeGenerator.Argument> byName = new LinkedHashMap<>();
        List<Node> declared = new ArrayList<>(source.parameterNodes());
        declared.addAll(source.inputNodes());
        for (Node node : declared) {
            if (node instanceof ArrayVariable array) {
                byName.put(array.name(), new FacadeGenerator.Argument(array.name(), array.isParameter(), array.shape(),
                        array.offset()));
            } else if (node instanceof Variable scalar) {
                byName.put(scalar.name(), new FacadeGenerator.Argument(scalar.name(), scalar.isParameter(), List.of(),
                        scalar.index()));
            } else {
                throw new IllegalStateException("a declared parameter is a Variable or an ArrayVariable: " + node);
            }
        }
        return source.declarationOrder().stream().map(byName::get).toList();
    }

    /**
     * The shapes of array parameters as the plugin's {@code <lengths>} and the CLI's {@code --lengths}
     * write them: {@code w=30,V=32x64} (blank: none), the extents of a {@code double[][]} joined by
     * {@code x}. The compiler checks that they fit the method (the number of dimensions, the limits).
     *
     * @throws IllegalArgumentException if the text is not a comma-separated list of {@code name=N} or
     *                                  {@code name=NxM}, or gives a name twice
     */
    public static Map<String, List<Integer>> parseShapes(String text) {
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return shapes;
        }
        for (String item : text.split(",", -1)) {
            int equals = item.indexOf('=');
            String name = equals < 0 ? "" : item.substring(0, equals).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("lengths must look like w=30,V=32x64; got '" + text.strip() + "'");
            }
            String value = item.substring(equals + 1).strip();
            List<Integer> shape = new ArrayList<>();
            for (String extent : value.split("x", -1)) {
                try {
                    shape.add(Integer.parseInt(extent.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the length of '" + name + "' must be a whole number, or whole"
                            + " numbers joined by x for a double[][] (like 32x64), got '" + value + "'");
                }
            }
            if (shapes.put(name, List.copyOf(shape)) != null) {
                throw new IllegalArgumentException("the length of '" + name + "' is given twice");
            }
        }
        return shapes;
    }

    /** {@code com/example/LossesGradients$Logistic} for method {@code logistic}. */
    public static String lossClassName(String facadeInternalName, String methodName) {
        return facadeInternalName + "$" + Character.toUpperCase(methodName.charAt(0)) + methodName.substring(1);
    }
}
