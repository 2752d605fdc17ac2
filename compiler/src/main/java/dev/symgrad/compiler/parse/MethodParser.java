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
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parse stage for losses kept as ordinary static Java methods, as the build plugin and
 * {@code symgrad compile --source} read them. In: a Java source file, a method name, the names of the
 * parameters to differentiate and the shapes of its array parameters. Out: a {@link SourceLoss}, or a
 * {@link CompileError} pointing into the file.
 *
 * <p>The method must be {@code static double} with {@code double}, {@code double[]} and {@code double[][]}
 * parameters, each array of a configured shape. Its body may declare and reassign {@code double} locals,
 * declare {@code int} constants and local arrays of constant sizes ({@code new double[32]}), branch with
 * {@code if}/{@code else}, run {@code for} loops with constant bounds, index arrays with constant
 * {@code int} expressions and loop variables, return, and call other static {@code double} methods of the
 * same file, which are inlined; expressions are the loss language. The file is only parsed, never compiled
 * or run.
 *
 * <p>Two forms. The indexed form (the default, for methods with array parameters) reads arrays as
 * elements of {@code ArrayVariable}s and lowers a loop whose body is a sum or an array over its index
 * once ({@link IndexLoops}), so a loop over 100,000 features costs what a loop over 8 does; other loops
 * are unrolled with constant positions. The unrolled form ({@link #unrolled()}) unrolls every loop and
 * makes every element a scalar {@code Variable} ({@code w[0]}, {@code V[1][2]}, numbered as in the flat
 * layout): the meaning the indexed form is tested against, bit for bit. A method without array
 * parameters lowers the same in both, to scalar variables.
 */
public final class MethodParser {

    /** Most elements of one array parameter, all its dimensions together. */
    public static final int MAX_VECTOR_LENGTH = ArrayShapes.MAX_ELEMENTS;

    private final Limits limits;
    private final boolean indexed;

    public MethodParser(Limits limits) {
        this(limits, true);
    }

    public MethodParser() {
        this(Limits.DEFAULT);
    }

    private MethodParser(Limits limits, boolean indexed) {
        this.limits = limits;
        this.indexed = indexed;
    }

    /** A parser of the unrolled form: every loop unrolled, every array element a scalar variable. */
    public static MethodParser unrolled(Limits limits) {
        return new MethodParser(limits, false);
    }

    /** {@link #unrolled(Limits)} with the default limits. */
    public static MethodParser unrolled() {
        return unrolled(Limits.DEFAULT);
    }

    /** As {@link #parse(String, String, String, List, Map, ExprFactory)} for a method without array parameters. */
    public SourceLoss parse(String source, String fileName, String methodName, List<String> wrt, ExprFactory factory) {
        return parse(source, fileName, methodName, wrt, Map.of(), factory);
    }

    /**
     * @param wrt    the parameters to differentiate; empty means the first method parameter, like
     *               {@code jax.grad}'s default {@code argnums=0}
     * @param shapes the shape of every array parameter, by name: one extent for a {@code double[]}
     *               ({@code w=[30]}), two for a {@code double[][]} ({@code V=[32, 64]}); a {@code double}
     *               has no entry
     */
    public SourceLoss parse(String source, String fileName, String methodName, List<String> wrt,
                            Map<String, List<Integer>> shapes, ExprFactory factory) {
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
        Map<String, List<Integer>> arrayShapes = ArrayShapes.check(method, shapes, fileName, source);

        // Each parameter takes its slots in its layout where it stands, an array its elements row-major.
        List<Node> parameterNodes = new ArrayList<>();
        List<Node> inputNodes = new ArrayList<>();
        int[] slots = new int[2];
        Map<String, Expr> scalars = new LinkedHashMap<>();
        Map<String, ParameterArray> arrays = new LinkedHashMap<>();
        for (String name : declared) {
            boolean isParameter = differentiated.contains(name);
            Variable.Kind kind = isParameter ? Variable.Kind.PARAMETER : Variable.Kind.INPUT;
            List<Node> nodes = isParameter ? parameterNodes : inputNodes;
            int layout = isParameter ? 0 : 1;
            List<Integer> shape = arrayShapes.get(name);
            if (shape == null) {
                Variable variable = factory.variable(name, kind, slots[layout]++);
                scalars.put(name, variable);
                nodes.add(variable);
                continue;
            }
            ArrayVariable array = factory.arrayVariable(name, kind, shape, slots[layout]);
            slots[layout] += array.size();
            arrays.put(name, new ParameterArray(array, indexed ? null : elementVariables(array, factory)));
            nodes.add(array);
        }
        boolean indexLoops = indexed && !arrays.isEmpty();
        Expr loss = new StatementLowering(factory, fileName, source, methods, indexLoops).lowerMethod(method,
                new Locals(scalars, arrays));
        String packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        String className = method.findAncestor(TypeDeclaration.class).map(t -> t.getNameAsString()).orElse("");
        return new SourceLoss(packageName, className, methodName, declared, parameterNodes, inputNodes, loss);
    }

    /** The unrolled form's scalar variable for each element of an array, row-major, numbered in the layout. */
    private static List<Expr> elementVariables(ArrayVariable array, ExprFactory factory) {
        List<Expr> elements = new ArrayList<>(array.size());
        for (int k = 0; k < array.size(); k++) {
            elements.add(factory.variable(ElementNames.elementName(array.name(), array.shape(), k), array.kind(),
                    array.offset() + k));
        }
        return List.copyOf(elements);
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
