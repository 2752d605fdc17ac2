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
 * <p>The method must be {@code static double} with {@code double} and {@code double[]} parameters, each
 * array of a configured length; its elements are numbered as in loss strings ({@code w[0]} ...). Its
 * body may declare and reassign {@code double} locals, declare {@code int} constants, branch with
 * {@code if}/{@code else}, run {@code for} loops with constant bounds (unrolled), index arrays with
 * constant {@code int} expressions, return, and call other static {@code double} methods of the same
 * file, which are inlined; expressions are the loss language. The file is only parsed, never compiled
 * or run.
 */
public final class MethodParser {

    /** Longest vector a parameter or input may be declared as, and the most elements of all vectors together. */
    public static final int MAX_VECTOR_LENGTH = 100_000;

    private final Limits limits;

    public MethodParser(Limits limits) {
        this.limits = limits;
    }

    public MethodParser() {
        this(Limits.DEFAULT);
    }

    /** As {@link #parse(String, String, String, List, Map, ExprFactory)} for a method without double[] parameters. */
    public SourceLoss parse(String source, String fileName, String methodName, List<String> wrt, ExprFactory factory) {
        return parse(source, fileName, methodName, wrt, Map.of(), factory);
    }

    /**
     * @param wrt     the parameters to differentiate; empty means the first method parameter, like
     *                {@code jax.grad}'s default {@code argnums=0}
     * @param lengths the length of every {@code double[]} parameter, by name; its elements become the
     *                parameters (or inputs) {@code w[0]}, {@code w[1]} ..., where it stands in the list
     */
    public SourceLoss parse(String source, String fileName, String methodName, List<String> wrt,
                            Map<String, Integer> lengths, ExprFactory factory) {
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
        StatementLowering.checkSignature(method, fileName, source, true);
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
        Map<String, Integer> arrayLengths = checkLengths(method, lengths, fileName, source);

        // Elements of a double[] parameter are numbered where the array stands, as w[30] in a loss string.
        List<String> parameters = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        Map<String, Expr> scalars = new LinkedHashMap<>();
        Map<String, List<Expr>> arrays = new LinkedHashMap<>();
        for (String name : declared) {
            boolean isParameter = differentiated.contains(name);
            List<String> names = isParameter ? parameters : inputs;
            Variable.Kind kind = isParameter ? Variable.Kind.PARAMETER : Variable.Kind.INPUT;
            Integer length = arrayLengths.get(name);
            if (length == null) {
                scalars.put(name, factory.variable(name, kind, names.size()));
                names.add(name);
                continue;
            }
            List<Expr> elements = new ArrayList<>(length);
            for (int k = 0; k < length; k++) {
                String element = name + "[" + k + "]";
                elements.add(factory.variable(element, kind, names.size()));
                names.add(element);
            }
            arrays.put(name, List.copyOf(elements));
        }
        Expr loss = new StatementLowering(factory, fileName, source, methods).lowerMethod(method,
                new Locals(scalars, arrays));
        String packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        String className = method.findAncestor(TypeDeclaration.class).map(t -> t.getNameAsString()).orElse("");
        return new SourceLoss(packageName, className, methodName, parameters, inputs, declared, arrayLengths, loss);
    }

    /**
     * The length of each {@code double[]} parameter, in declaration order: every array has one, from 1 to
     * {@link #MAX_VECTOR_LENGTH}, and every length names an array.
     */
    private static Map<String, Integer> checkLengths(MethodDeclaration method, Map<String, Integer> lengths,
                                                     String fileName, String source) {
        Map<String, Integer> arrayLengths = new LinkedHashMap<>();
        long total = 0;
        for (Parameter parameter : method.getParameters()) {
            String name = parameter.getNameAsString();
            boolean isArray = StatementLowering.isDoubleArray(parameter.getType());
            Integer length = lengths.get(name);
            if (isArray && length == null) {
                throw ExpressionLowering.errorAt(fileName, source, parameter, "double[] parameter '" + name
                        + "' needs a length; configure it like " + name + "=30");
            }
            if (!isArray && length != null) {
                throw ExpressionLowering.errorAt(fileName, source, parameter, "a length is configured for '" + name
                        + "', but it is a double, not a double[]");
            }
            if (isArray) {
                if (length < 1 || length > MAX_VECTOR_LENGTH) {
                    throw ExpressionLowering.errorAt(fileName, source, parameter, "the length of '" + name
                            + "' must be 1 to " + MAX_VECTOR_LENGTH + ", not " + length);
                }
                total += length;
                arrayLengths.put(name, length);
            }
        }
        for (String name : lengths.keySet()) {
            if (method.getParameters().stream().noneMatch(parameter -> parameter.getNameAsString().equals(name))) {
                throw ExpressionLowering.errorAt(fileName, source, method, "method '" + method.getNameAsString()
                        + "' has no parameter '" + name + "' to give a length to");
            }
        }
        if (total > MAX_VECTOR_LENGTH) {
            throw ExpressionLowering.errorAt(fileName, source, method, "the double[] parameters of '"
                    + method.getNameAsString() + "' have " + total + " elements in all; the limit is " + MAX_VECTOR_LENGTH);
        }
        return arrayLengths;
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
