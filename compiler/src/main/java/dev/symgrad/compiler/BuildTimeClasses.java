package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.FacadeGenerator;
import dev.symgrad.compiler.diagnostic.CompileError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build-time generation, as the Maven plugin does it: loss methods of Java source files become one
 * class each (the same bytes {@link Symgrad#compile} would load, under another name) plus one facade
 * class with typed static methods for all of them (see {@link FacadeGenerator}).
 */
public final class BuildTimeClasses {

    /** One loss to generate: a static double method of a source file and the parameters to differentiate. */
    public record Request(String sourceText, String fileName, String methodName, List<String> wrt) {

        public Request {
            wrt = List.copyOf(wrt);
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
        String facade = facadeName.replace('.', '/');
        Map<String, byte[]> classes = new LinkedHashMap<>();
        List<FacadeGenerator.Entry> entries = new ArrayList<>();
        LossCompiler compiler = new LossCompiler();
        for (Request request : requests) {
            LossCompiler.MethodLoss loss = compiler.compileMethod(request.sourceText(), request.fileName(),
                    request.methodName(), request.wrt());
            String lossClass = lossClassName(facade, request.methodName());
            if (classes.containsKey(lossClass)) {
                throw new IllegalArgumentException("loss method '" + request.methodName() + "' is configured twice for "
                        + facadeName);
            }
            classes.put(lossClass, LossCompiler.generateClass(loss.program(), lossClass, request.fileName(),
                    request.sourceText()));
            entries.add(new FacadeGenerator.Entry(request.methodName(), lossClass, loss.source().declarationOrder(),
                    loss.program().parameters(), loss.program().inputs()));
        }
        classes.put(facade, FacadeGenerator.generate(facade, entries));
        return classes;
    }

    /** {@code com/example/LossesGradients$Logistic} for method {@code logistic}. */
    public static String lossClassName(String facadeInternalName, String methodName) {
        return facadeInternalName + "$" + Character.toUpperCase(methodName.charAt(0)) + methodName.substring(1);
    }
}
