package dev.symgrad.compiler.parse;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parse stage for losses kept as ordinary static Java methods, as the build plugin and
 * {@code symgrad compile --source} read them. In: a Java source file, a method name and the names of
 * the parameters to differentiate. Out: a {@link SourceLoss}, or a {@link CompileError} pointing into
 * the file.
 *
 * <p>The method must be {@code static double} with {@code double} parameters. Its body may declare
 * and reassign {@code double} locals, branch with {@code if}/{@code else}, return, and call other
 * static {@code double} methods of the same file, which are inlined; expressions are the loss
 * language. The file is only parsed, never compiled or run.
 */
public final class MethodParser {

    private final Limits limits;

    public MethodParser(Limits limits) {
        this.limits = limits;
    }

    public MethodParser() {
        this(Limits.DEFAULT);
    }

    /**
     * @param wrt the parameters to differentiate; empty means the first method parameter, like
     *            {@code jax.grad}'s default {@code argnums=0}
     */
    public SourceLoss parse(String source, String fileName, String methodName, List<String> wrt, ExprFactory factory) {
        InputScanner.check(source, fileName, limits, true);
        CompilationUnit unit = parseUnit(source, fileName);
        Map<String, List<MethodDeclaration>> methods = staticMethods(unit);
        List<MethodDeclaration> candidates = methods.getOrDefault(methodName, List.of());
        if (candidates.isEmpty()) {
            throw new CompileError(fileName, source, SourcePosition.START,
                    "no static method '" + methodName + "' in " + fileName);
        }
        MethodDeclaration method = candidates.get(0);
        if (candidates.size() > 1) {
            throw ExpressionLowering.errorAt(fileName, source, candidates.get(1),
                    "method '" + methodName + "' is overloaded; a loss method must have a unique name");
        }
        StatementLowering.checkSignature(method, fileName, source);
        List<String> declared = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            declared.add(parameter.getNameAsString());
        }
        List<String> differentiated = wrt.isEmpty() ? declared.subList(0, Math.min(1, declared.size())) : wrt;
        for (String name : differentiated) {
            if (!declared.contains(name)) {
                throw ExpressionLowering.errorAt(fileName, source, method,
                        "method '" + methodName + "' has no parameter '" + name + "' to differentiate; its parameters are "
                                + declared);
            }
        }
        List<String> parameters = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (String name : declared) {
            (differentiated.contains(name) ? parameters : inputs).add(name);
        }
        Map<String, Expr> scope = new LinkedHashMap<>();
        for (String name : declared) {
            int index = parameters.indexOf(name);
            scope.put(name, index >= 0
                    ? factory.variable(name, Variable.Kind.PARAMETER, index)
                    : factory.variable(name, Variable.Kind.INPUT, inputs.indexOf(name)));
        }
        Expr loss = new StatementLowering(factory, fileName, source, methods).lowerMethod(method, scope);
        String packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        String className = method.findAncestor(TypeDeclaration.class).map(t -> t.getNameAsString()).orElse("");
        return new SourceLoss(packageName, className, methodName, parameters, inputs, declared, loss);
    }

    private static CompilationUnit parseUnit(String source, String fileName) {
        DeepStack.Outcome<ParseResult<CompilationUnit>> outcome =
                DeepStack.call(() -> ExpressionParser.newJavaParser().parse(source));
        if (outcome.overflowed()) {
            throw new CompileError(fileName, source, SourcePosition.START, "source nested too deeply to parse");
        }
        return ExpressionParser.resultOrError(outcome.value(), source, fileName);
    }

    /** Static methods of the file's top-level types, by name (overloads kept to be reported). */
    private static Map<String, List<MethodDeclaration>> staticMethods(CompilationUnit unit) {
        Map<String, List<MethodDeclaration>> methods = new HashMap<>();
        for (TypeDeclaration<?> type : unit.getTypes()) {
            for (BodyDeclaration<?> member : type.getMembers()) {
                if (member instanceof MethodDeclaration method && method.hasModifier(Modifier.Keyword.STATIC)) {
                    methods.computeIfAbsent(method.getNameAsString(), name -> new ArrayList<>()).add(method);
                }
            }
        }
        return methods;
    }

    static boolean isDouble(Type type) {
        return type instanceof PrimitiveType primitive && primitive.getType() == PrimitiveType.Primitive.DOUBLE;
    }
}
