package dev.symgrad.compiler;

import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.IndexedLossProgram;
import dev.symgrad.compiler.codegen.LazyKernelClasses;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.codegen.LossTooLargeException;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;
import dev.symgrad.compiler.diff.GhostNorms;
import dev.symgrad.compiler.diff.InvariantArrays;
import dev.symgrad.compiler.diff.ReverseMode;
import dev.symgrad.compiler.diff.Substitution;
import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.JavaPrinter;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.NodeLimitExceededException;
import dev.symgrad.compiler.ir.UnaryOp;
import dev.symgrad.compiler.ir.Variable;
import dev.symgrad.compiler.parse.ExpressionParser;
import dev.symgrad.compiler.parse.Limits;
import dev.symgrad.compiler.parse.MethodParser;
import dev.symgrad.compiler.parse.SourceLoss;
import dev.symgrad.compiler.simplify.OverflowNotes;
import dev.symgrad.compiler.simplify.Simplifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the stages from source text to a {@link LossProgram}: parse, simplify the loss, differentiate,
 * simplify the gradient, and build both batch routes. Shared by {@link Symgrad} (run time), the CLI
 * and the build plugin, so they all generate the same code.
 */
public final class LossCompiler {

    private static final Set<String> RESERVED = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var",
            "yield", "record", "sealed", "permits", "_", "Math", "StrictMath");

    private final Limits limits;
    private final int maxNodes;
    private final long maxUnrolledNodes;

    public LossCompiler() {
        this(Limits.DEFAULT, ExprFactory.DEFAULT_MAX_NODES);
    }

    public LossCompiler(Limits limits, int maxNodes) {
        this(limits, maxNodes, MAX_UNROLLED_NODES);
    }

    /**
     * @param maxUnrolledNodes methods with arrays whose loops, written out, have at most this many nodes
     *                         are compiled unrolled (see {@link #MAX_UNROLLED_NODES}); 0 keeps every
     *                         array method's loops, as benchmarks of the loop form do
     */
    public LossCompiler(Limits limits, int maxNodes, long maxUnrolledNodes) {
        this.limits = limits;
        this.maxNodes = maxNodes;
        this.maxUnrolledNodes = maxUnrolledNodes;
    }

    /**
     * Compiles an expression string.
     *
     * @throws CompileError             if the expression is not a valid loss
     * @throws IllegalArgumentException if the parameter or input names are not distinct Java identifiers
     */
    public LossProgram compile(String expression, List<String> parameters, List<String> inputs) {
        return compile(expression, ExpressionParser.EXPRESSION_SOURCE, parameters, inputs);
    }

    /** As {@link #compile(String, List, List)}, naming the source in error messages. */
    public LossProgram compile(String expression, String sourceName, List<String> parameters, List<String> inputs) {
        return expressionStages(expression, sourceName, parameters, inputs, FIRST_ORDER,
                (factory, parsed) -> build(factory, parsed.loss(), parsed.parameters(), parsed.inputs()));
    }

    /**
     * The auxiliary loss whose gradient gives Hessian-vector products of an expression loss f:
     * {@code s(w, v; x) = Σ_p v_p·∂f/∂w_p(w; x)}, with parameters {@code w} and then {@code v} (one per
     * parameter, named {@link #directionName}). Its gradient with respect to w is {@code ∇²f(w; x)·v}
     * (second derivatives commute), and with respect to v the gradient of f; its route (b) over a batch is
     * the Hessian-vector product of the summed loss. Reverse mode over the simplified gradient: the
     * second-order code reuses what the gradient computes, as reverse-over-reverse does.
     *
     * @throws CompileError             if the expression is not a valid loss
     * @throws IllegalArgumentException if the names are not distinct Java identifiers
     */
    public LossProgram compileHessianVectorProduct(String expression, List<String> parameters, List<String> inputs) {
        return compileHessianVectorProduct(expression, ExpressionParser.EXPRESSION_SOURCE, parameters, inputs);
    }

    /** As {@link #compileHessianVectorProduct(String, List, List)}, naming the source in error messages. */
    public LossProgram compileHessianVectorProduct(String expression, String source, List<String> parameters,
                                                   List<String> inputs) {
        return expressionStages(expression, source, parameters, inputs, SECOND_ORDER, (factory, parsed) -> {
            List<String> parameterNames = parsed.parameters();
            List<String> inputNames = parsed.inputs();
            List<Expr> gradient = parsed.gradient(factory, new Simplifier(factory));
            List<String> names = new ArrayList<>(parameterNames);
            Expr directional = factory.constant(0);
            for (int p = 0; p < gradient.size(); p++) {
                String name = directionName(parameterNames, inputNames, p);
                names.add(name);
                Variable v = factory.variable(name, Variable.Kind.PARAMETER, parameterNames.size() + p);
                directional = factory.add(directional, factory.mul(v, gradient.get(p)));
            }
            return build(factory, directional, names, inputNames);
        });
    }

    /**
     * The diagonal of an expression loss's Hessian as a program: its loss is f and its "derivatives" are
     * {@code ∂²f/∂w_p²}, each the reverse-mode derivative of the simplified {@code ∂f/∂w_p} with respect to
     * {@code w_p} alone, simplified. So the class's gradient of one example is that example's Hessian
     * diagonal and its route (b) the diagonal of the summed loss's Hessian, in one pass over the batch. Only
     * {@link SecondOrderLoss} sees this class: what it calls a gradient is not f's.
     *
     * @throws CompileError             if the expression is not a valid loss
     * @throws IllegalArgumentException if the names are not distinct Java identifiers
     */
    public LossProgram compileHessianDiagonal(String expression, String source, List<String> parameters,
                                              List<String> inputs) {
        return expressionStages(expression, source, parameters, inputs, SECOND_ORDER, (factory, parsed) -> {
            Simplifier simplifier = new Simplifier(factory);
            List<Expr> gradient = parsed.gradient(factory, simplifier);
            List<Variable> w = parsed.parameterVariables(factory);
            ReverseMode reverse = new ReverseMode(factory);
            List<Expr> diagonal = new ArrayList<>();
            for (int p = 0; p < w.size(); p++) {
                diagonal.add(reverse.gradient(gradient.get(p), List.of(w.get(p))).get(0));
            }
            return assemble(factory, simplifier, simplifier.simplify(parsed.loss()), simplifier.simplify(diagonal),
                    parsed.parameters(), parsed.inputs());
        });
    }

    /**
     * The per-example derivatives of a loss with respect to its margins, the inputs a gradient-boosting
     * library predicts for each example: {@code g_k = ∂f/∂m_k} and {@code h_k = ∂²f/∂m_k²} (the Hessian's
     * diagonal, which is what such libraries take), each simplified, {@code h_k} the reverse-mode derivative
     * of the simplified {@code g_k}. The program's inputs are the margins, then {@code inputs}; it has no
     * parameters of its own, so its "gradient" is {@code [g_1..g_K, h_1..h_K]} under the names of
     * {@link #marginDerivativeNames}, and its per-example gradients kernel computes every {@code g} and
     * {@code h} of a batch in one pass. Only {@link MarginDerivatives} sees this class.
     *
     * @throws CompileError             if the expression is not a valid loss or does not use a margin
     * @throws IllegalArgumentException if the names are not distinct Java identifiers, or no margin is named
     */
    public LossProgram compileMarginDerivatives(String expression, String source, List<String> margins,
                                                List<String> inputs) {
        if (margins == null || margins.isEmpty()) {
            throw new IllegalArgumentException("at least one margin must be named");
        }
        return expressionStages(expression, source, margins, inputs, SECOND_ORDER, (factory, parsed) -> {
            // Differentiated as parameters (reverse mode follows only what depends on parameters), then each
            // margin becomes the input column it is: margins first, then the other inputs.
            List<Variable> m = parsed.parameterVariables(factory);
            List<String> columns = new ArrayList<>(parsed.parameters());
            columns.addAll(parsed.inputs());
            Map<Variable, Expr> asInputs = new IdentityHashMap<>();
            for (Variable margin : m) {
                asInputs.put(margin, factory.variable(margin.name(), Variable.Kind.INPUT, margin.index()));
            }
            for (Variable input : inputVariables(factory, parsed.inputs())) {
                asInputs.put(input, factory.variable(input.name(), Variable.Kind.INPUT, m.size() + input.index()));
            }
            Simplifier simplifier = new Simplifier(factory);
            Expr loss = simplifier.simplify(parsed.loss());
            Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());
            used.addAll(Graph.topologicalOrder(List.of(loss)));
            for (Variable margin : m) {
                if (!used.contains(margin)) {
                    throw new CompileError(source, expression, SourcePosition.START, "the loss does not depend on"
                            + " the margin '" + margin.name() + "', so its derivatives with respect to it are 0");
                }
            }
            ReverseMode reverse = new ReverseMode(factory);
            List<Expr> gradient = simplifier.simplify(reverse.gradient(loss, m));
            List<Expr> roots = new ArrayList<>(gradient);
            for (int k = 0; k < m.size(); k++) {
                roots.add(reverse.gradient(gradient.get(k), List.of(m.get(k))).get(0));
            }
            roots = simplifier.simplify(roots);
            roots.add(0, loss);
            roots = Substitution.replacingVariables(factory, roots, asInputs);
            return assemble(factory, simplifier, roots.get(0), roots.subList(1, roots.size()),
                    marginDerivativeNames(parsed.parameters(), columns), columns);
        });
    }

    private static List<Variable> inputVariables(ExprFactory factory, List<String> inputs) {
        List<Variable> variables = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            variables.add(factory.variable(inputs.get(i), Variable.Kind.INPUT, i));
        }
        return variables;
    }

    /**
     * The names of {@link #compileMarginDerivatives}'s outputs: {@code d$m} for each margin m, then
     * {@code dd$m}, with more $ where a declared name starts so.
     */
    static List<String> marginDerivativeNames(List<String> margins, List<String> columns) {
        String first = "d$";
        while (startsAny(columns, first) || startsAny(columns, "d" + first)) {
            first += "$";
        }
        List<String> names = new ArrayList<>();
        for (String margin : margins) {
            names.add(first + identifierPart(margin));
        }
        for (String margin : margins) {
            names.add("d" + first + identifierPart(margin));
        }
        return names;
    }

    /** {@code m[2]} as {@code m$2}: an element of a declared vector as part of an identifier. */
    private static String identifierPart(String name) {
        return name.replace("[", "$").replace("]", "");
    }

    /**
     * The loss weighted by one more input, {@code u·f(w; x)}, with u (named {@link #weightName}) after the
     * inputs: its route (b) over a batch with the column u is {@code Σ_i u_i·∇f(w; x_i)}, the
     * vector-Jacobian product of the per-example losses (JAX's {@code vjp} of {@code vmap(f)}), in one pass
     * and without the N×P matrix of per-example gradients.
     *
     * @throws CompileError             if the expression is not a valid loss
     * @throws IllegalArgumentException if the names are not distinct Java identifiers
     */
    public LossProgram compileWeighted(String expression, String source, List<String> parameters,
                                       List<String> inputs) {
        return expressionStages(expression, source, parameters, inputs, FIRST_ORDER, (factory, parsed) -> {
            List<String> names = new ArrayList<>(parsed.inputs());
            String weight = weightName(parsed.parameters(), parsed.inputs());
            names.add(weight);
            Variable u = factory.variable(weight, Variable.Kind.INPUT, parsed.inputs().size());
            return build(factory, factory.mul(u, parsed.loss()), parsed.parameters(), names);
        });
    }

    /**
     * As {@link #compileWeighted(String, String, List, List)} for a static Java method: the scalar input u
     * after the method's inputs, loops kept or written out as {@link #compileMethod} would.
     *
     * @throws CompileError as {@link #compileMethod(String, String, String, List, Map)}
     */
    public MethodLoss compileMethodWeighted(String source, String fileName, String methodName, List<String> wrt,
                                            Map<String, List<Integer>> shapes) {
        return compileMethod(source, fileName, methodName, wrt, shapes, true);
    }

    /**
     * As {@link #compileHessianVectorProduct(String, List, List)} for a static Java method, arrays and loops
     * kept: the auxiliary loss {@code Σ_p Σ_idx V_p[idx]·∂f/∂w_p[idx]}, one direction array {@code v$name}
     * per parameter array (of its shape) and one scalar per scalar parameter, laid out after all the
     * parameters, as an indexed program. Its route (b) in the parameters is the Hessian-vector product of
     * the summed loss.
     *
     * @throws CompileError as {@link #compileMethod(String, String, String, List, Map)}
     */
    public IndexedLossProgram compileMethodHessianVectorProduct(String source, String fileName, String methodName,
                                                                List<String> wrt, Map<String, List<Integer>> shapes) {
        ExprFactory factory = new ExprFactory(maxNodes);
        try {
            SourceLoss loss = new MethodParser(limits).parse(source, fileName, methodName, wrt, shapes, factory);
            List<Node> parameters = loss.parameterNodes();
            List<Node> blocks = new ReverseMode(factory).gradientBlocks(new Simplifier(factory).simplify(loss.loss()),
                    parameters);
            int total = loss.parameters().size();
            List<Node> all = new ArrayList<>(parameters);
            Expr directional = factory.constant(0);
            for (int p = 0; p < parameters.size(); p++) {
                if (parameters.get(p) instanceof ArrayVariable array) {
                    ArrayVariable direction = factory.arrayVariable("v$" + array.name(), Variable.Kind.PARAMETER,
                            array.shape(), total + array.offset());
                    all.add(direction);
                    Comprehension gradient = (Comprehension) blocks.get(p);
                    Expr term = factory.mul(factory.element(direction, gradient.indices()), gradient.body());
                    for (int k = gradient.indices().size() - 1; k >= 0; k--) {
                        term = factory.sum(gradient.indices().get(k), factory.constant(0), term);
                    }
                    directional = factory.add(directional, term);
                } else {
                    Variable scalar = (Variable) parameters.get(p);
                    Variable direction = factory.variable("v$" + scalar.name(), Variable.Kind.PARAMETER,
                            total + scalar.index());
                    all.add(direction);
                    directional = factory.add(directional, factory.mul(direction, (Expr) blocks.get(p)));
                }
            }
            return buildIndexed(factory, directional, all, loss.inputNodes());
        } catch (NodeLimitExceededException e) {
            throw new CompileError(fileName, source, SourcePosition.START, "loss '" + methodName
                    + "' too large: its second derivatives need more than " + e.limit() + " expression nodes");
        }
    }

    /**
     * The simplified second partial derivatives of an expression loss, printed in Java syntax:
     * {@code result[p][q] = ∂²f/∂w_p∂w_q} for {@code q ≥ p} (the upper triangle; the Hessian is symmetric),
     * each the reverse-mode derivative of the simplified {@code ∂f/∂w_p}.
     *
     * @throws CompileError if the expression is not a valid loss
     */
    public List<List<String>> printedHessian(String expression, String source, List<String> parameters,
                                             List<String> inputs) {
        return expressionStages(expression, source, parameters, inputs, SECOND_ORDER, (factory, parsed) -> {
            Simplifier simplifier = new Simplifier(factory);
            List<Expr> gradient = parsed.gradient(factory, simplifier);
            List<Variable> w = parsed.parameterVariables(factory);
            ReverseMode reverse = new ReverseMode(factory);
            List<List<String>> rows = new ArrayList<>();
            for (int p = 0; p < w.size(); p++) {
                List<Expr> row = simplifier.simplify(reverse.gradient(gradient.get(p), w));
                List<String> printed = new ArrayList<>();
                for (int q = p; q < w.size(); q++) {
                    printed.add(JavaPrinter.print(row.get(q)));
                }
                rows.add(printed);
            }
            return rows;
        });
    }

    private static final String FIRST_ORDER = "the loss and its derivatives need";
    private static final String SECOND_ORDER = "its second derivatives need";

    /**
     * Checks the names, parses {@code expression} into a new factory and hands both to {@code stages}; a loss
     * past the node limit ({@code needs} says what needed the nodes) or the class-file limits becomes a
     * {@link CompileError} on the expression.
     */
    private <T> T expressionStages(String expression, String source, List<String> parameters, List<String> inputs,
                                    String needs, java.util.function.BiFunction<ExprFactory, Parsed, T> stages) {
        checkNames(expression, parameters, inputs);
        // About one node per 8 characters of source, once the gradient and its simplification are built.
        ExprFactory factory = new ExprFactory(maxNodes, expression.length() / 8);
        try {
            return stages.apply(factory, parse(factory, expression, source, parameters, inputs));
        } catch (NodeLimitExceededException e) {
            throw new CompileError(source, expression, SourcePosition.START,
                    "loss too large: " + needs + " more than " + e.limit() + " expression nodes");
        } catch (LossTooLargeException e) {
            throw new CompileError(source, expression, SourcePosition.START, "loss too large: " + e.getMessage());
        }
    }

    private static void checkNames(String expression, List<String> parameters, List<String> inputs) {
        if (expression == null) {
            throw new IllegalArgumentException("expression is null");
        }
        checkNames(parameters, inputs);
    }

    /** An expression loss as parsed, with its flat parameter and input names. */
    private record Parsed(Expr loss, List<String> parameters, List<String> inputs) {

        /** The parameters as the variables the parser made (the factory gives the same nodes again). */
        List<Variable> parameterVariables(ExprFactory factory) {
            List<Variable> variables = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                variables.add(factory.variable(parameters.get(i), Variable.Kind.PARAMETER, i));
            }
            return variables;
        }

        /** The simplified gradient of the simplified loss, by reverse mode. */
        List<Expr> gradient(ExprFactory factory, Simplifier simplifier) {
            return simplifier.simplify(new ReverseMode(factory).gradient(simplifier.simplify(loss),
                    parameterVariables(factory)));
        }
    }

    private Parsed parse(ExprFactory factory, String expression, String source, List<String> parameters,
                         List<String> inputs) {
        List<String> parameterNames = elements(parameters);
        List<String> inputNames = elements(inputs);
        return new Parsed(new ExpressionParser(limits).parse(expression, source, parameterNames, inputNames, factory),
                parameterNames, inputNames);
    }

    /** The name of direction entry {@code p} in {@link #compileHessianVectorProduct}: {@code v$p}, or with more $ if taken. */
    static String directionName(List<String> parameters, List<String> inputs, int p) {
        String prefix = "v$";
        while (startsAny(parameters, prefix) || startsAny(inputs, prefix)) {
            prefix += "$";
        }
        return prefix + p;
    }

    /** The name of the weight input of {@link #compileWeighted}: {@code u$}, or with more $ if taken. */
    static String weightName(List<String> parameters, List<String> inputs) {
        String name = "u$";
        while (startsAny(parameters, name) || startsAny(inputs, name)) {
            name += "$";
        }
        return name;
    }

    private static boolean startsAny(List<String> names, String prefix) {
        return names.stream().anyMatch(name -> name.startsWith(prefix));
    }

    /**
     * The class file for a compiled loss, with the scalar batch loops that run on every JVM; a loss too
     * large for the JVM's class-file limits is reported as a {@link CompileError} on its source.
     */
    public static byte[] generateClass(LossProgram program, String internalName, String sourceName, String source) {
        return generateClass(program, internalName, sourceName, source, Backend.SCALAR);
    }

    /** The class file for a compiled loss with the batch loops of {@code backend}. */
    public static byte[] generateClass(LossProgram program, String internalName, String sourceName, String source,
                                       Backend backend) {
        try {
            return ClassGenerator.generate(program, internalName, backend);
        } catch (LossTooLargeException e) {
            throw new CompileError(sourceName, source, SourcePosition.START, "loss too large: " + e.getMessage());
        }
    }

    /**
     * {@link #generateClass(LossProgram, String, String, String, Backend)} for a class defined at run time,
     * whose constructor takes the printed forms as functions ({@link ClassGenerator#generatePrintingLater}).
     */
    static byte[] generateClassPrintingLater(LossProgram program, String internalName, String sourceName,
                                             String source, Backend backend) {
        try {
            return ClassGenerator.generatePrintingLater(program, internalName, backend);
        } catch (LossTooLargeException e) {
            throw new CompileError(sourceName, source, SourcePosition.START, "loss too large: " + e.getMessage());
        }
    }

    /**
     * A loss compiled from a static Java method, with where it came from. A method with array parameters
     * keeps its arrays and loops: {@code indexedProgram} holds it and {@code program} is null; any other
     * method has a {@code program} as a loss string does.
     */
    public record MethodLoss(SourceLoss source, LossProgram program, IndexedLossProgram indexedProgram) {

        public MethodLoss {
            if ((program == null) == (indexedProgram == null)) {
                throw new IllegalArgumentException("a method loss has exactly one of the two programs");
            }
        }

        public boolean isIndexed() {
            return indexedProgram != null;
        }

        /**
         * The compiler's notes on the loss ({@code CompiledLoss.notes()}): the exponentials that may
         * overflow where no stable rewrite applies, loops included.
         */
        public List<String> notes() {
            return OverflowNotes.of(isIndexed() ? indexedProgram.loss() : program.loss());
        }

        /**
         * The class file, named {@code internalName}, with the batch loops of {@code backend}; a loop
         * program has scalar loops on every backend for now. A loss too large for the JVM's class-file
         * limits is reported as a {@link CompileError} on the method's file.
         */
        public byte[] generateClass(String internalName, String fileName, String sourceText, Backend backend) {
            if (!isIndexed()) {
                return LossCompiler.generateClass(program, internalName, fileName, sourceText, backend);
            }
            try {
                return ClassGenerator.generate(indexedProgram, internalName);
            } catch (LossTooLargeException e) {
                throw new CompileError(fileName, sourceText, SourcePosition.START, "loss '" + source.methodName()
                        + "' too large: " + e.getMessage());
            }
        }
    }

    /** As {@link #compileMethod(String, String, String, List, Map)} for a method without array parameters. */
    public MethodLoss compileMethod(String source, String fileName, String methodName, List<String> wrt) {
        return compileMethod(source, fileName, methodName, wrt, Map.of());
    }

    /**
     * Compiles the static {@code double} method {@code methodName} of a Java source file.
     *
     * @param wrt    the method parameters to differentiate; empty means the first one
     * @param shapes the shape of each array parameter, by name: {@code w=[30]} for a {@code double[]},
     *               {@code V=[32, 64]} for a {@code double[][]}; the elements are the loss's parameters or
     *               inputs {@code w[0]} ..., {@code V[0][0]} ..., row-major where the array stands
     * @throws CompileError if the method is missing or outside the supported subset, or the shapes do not
     *                      fit its parameters, positioned in the file
     */
    public MethodLoss compileMethod(String source, String fileName, String methodName, List<String> wrt,
                                    Map<String, List<Integer>> shapes) {
        return compileMethod(source, fileName, methodName, wrt, shapes, false);
    }

    private MethodLoss compileMethod(String source, String fileName, String methodName, List<String> wrt,
                                     Map<String, List<Integer>> shapes, boolean weighted) {
        ExprFactory factory = new ExprFactory(maxNodes);
        try {
            SourceLoss loss = new MethodParser(limits).parse(source, fileName, methodName, wrt, shapes, factory);
            if ((hasArrays(loss.parameterNodes()) || hasArrays(loss.inputNodes()))
                    && unrolledSize(factory, loss.loss()) > maxUnrolledNodes) {
                List<Node> inputs = new ArrayList<>(loss.inputNodes());
                Expr value = weighted ? weightedBy(factory, loss, inputs) : loss.loss();
                return new MethodLoss(loss, null, buildIndexed(factory, value, loss.parameterNodes(), inputs));
            }
            if (hasArrays(loss.parameterNodes()) || hasArrays(loss.inputNodes())) {
                // Small enough to write out: today's scalar pipeline (factored route (b), fused and vector
                // kernels) is faster at these widths than loops. The unrolled lowering of the same method.
                factory = new ExprFactory(maxNodes);
                loss = MethodParser.unrolled(limits).parse(source, fileName, methodName, wrt, shapes, factory);
            }
            List<String> inputs = new ArrayList<>(loss.inputs());
            Expr value = loss.loss();
            if (weighted) {
                value = weightedBy(factory, loss, new ArrayList<>());
                inputs.add(weightName(loss.parameters(), loss.inputs()));
            }
            return new MethodLoss(loss, build(factory, value, loss.parameters(), inputs), null);
        } catch (NodeLimitExceededException e) {
            throw new CompileError(fileName, source, SourcePosition.START, "loss '" + methodName
                    + "' too large: it and its derivatives need more than " + e.limit() + " expression nodes");
        } catch (LossTooLargeException e) {
            throw new CompileError(fileName, source, SourcePosition.START, "loss '" + methodName + "' too large: "
                    + e.getMessage());
        }
    }

    /**
     * Methods whose loops, written out, would have at most this many nodes are compiled unrolled. Measured
     * on the logistic loss (3 nodes per feature written out; WideModelBenchmark and WideModelReport, JDK
     * 17): route (b) of the unrolled form ran at 1.15 and 1.83 times the hand-written loop at 8 and 32
     * features (issue 14's table) and the loop form at about 1.5 and 3; at 128 features the unrolled form
     * ran at 3.98 times, compiled in 81 ms into a 633 KB class, and the loop form is as fast from a 5 KB
     * class. The breast-cancer loss (30 features) is about 100 nodes written out, the 64→32→10 network
     * over 2,000. Issue 15's loop schedules moved the crossing down (JDK 17, route (b), N = 1,000, µs per
     * call, loops / unrolled): 41.1 / 37.9 at 32 features, 55.8 / 99.0 at 48, 69.4 / 117.7 at 64; from 256
     * nodes (about 85 features) to 128 (about 42). Feature-major batch sums in blocks of examples moved it
     * again (same benchmark, JMH, loops / unrolled): 13.0 / 10.4 at 8 features, 17.5 / 14.9 at 16, 20.1 /
     * 19.2 at 20, 22.0 / 28.5 at 24, 25.2 / 37.7 at 32; to 64 nodes (about 21 features).
     */
    public static final long MAX_UNROLLED_NODES = 64;

    /**
     * How many nodes the loss would have written out: each node once per value of its free indices,
     * which overcounts nothing and ignores what sharing would save.
     */
    private static long unrolledSize(ExprFactory factory, Expr loss) {
        long size = 0;
        for (Node node : Graph.topologicalOrder(List.of(loss))) {
            long copies = 1;
            for (Index index : factory.freeIndices(node)) {
                copies = Math.min(Long.MAX_VALUE / 4, copies * index.extent());
            }
            size = Math.min(Long.MAX_VALUE / 4, size + copies);
        }
        return size;
    }

    private static boolean hasArrays(List<Node> declared) {
        return declared.stream().anyMatch(node -> node instanceof ArrayVariable);
    }

    /**
     * {@code u·f} for {@link #compileMethodWeighted}, u the input entry after the method's; {@code inputNodes}
     * gets u's node appended.
     */
    private static Expr weightedBy(ExprFactory factory, SourceLoss loss, List<Node> inputNodes) {
        Variable u = factory.variable(weightName(loss.parameters(), loss.inputs()), Variable.Kind.INPUT,
                loss.inputs().size());
        inputNodes.add(u);
        return factory.mul(u, loss.loss());
    }

    /** The stages after parsing, for a loss already lowered to IR by {@code factory}. */
    static LossProgram build(ExprFactory factory, Expr parsedLoss, List<String> parameters, List<String> inputs) {
        Simplifier simplifier = new Simplifier(factory);
        Expr loss = simplifier.simplify(parsedLoss);
        List<Variable> parameterVariables = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            parameterVariables.add(factory.variable(parameters.get(i), Variable.Kind.PARAMETER, i));
        }
        List<Expr> gradient = simplifier.simplify(new ReverseMode(factory).gradient(loss, parameterVariables));
        return assemble(factory, simplifier, loss, gradient, parameters, inputs);
    }

    /**
     * The program of a simplified loss and its simplified derivatives. Its batch forms (the routes' sums and
     * DP-SGD's) are built when first used: at once for a loss that will be one class (so that a loss too
     * large is refused here), on the first call of a batch kernel for one whose kernels come later
     * ({@link LazyKernelClasses#apply}, small losses, whose batch forms cannot come near the node
     * limit).
     */
    private static LossProgram assemble(ExprFactory factory, Simplifier simplifier, Expr loss, List<Expr> gradient,
                                        List<String> parameters, List<String> inputs) {
        LossProgram program = new LossProgram(parameters, inputs, loss, gradient, new LossProgram.BatchForms() {
            @Override
            public Expr totalLoss() {
                return simplifier.simplify(factory.batchSum(loss));
            }

            /** Route (a) summed adds the per-example gradients as they are. */
            @Override
            public List<Expr> sumOfPerExampleGradients() {
                List<Expr> sums = new ArrayList<>();
                for (Expr partial : gradient) {
                    sums.add(factory.batchSum(partial));
                }
                return sums;
            }

            /**
             * Route (b) differentiates the batch sum: d/dp Σ f = Σ ∂f/∂p (the derivative rule of a sum), then
             * simplification factors out of each sum what does not change between examples.
             */
            @Override
            public List<Expr> gradientOfSum() {
                return simplifier.simplify(sumOfPerExampleGradients());
            }

            @Override
            public List<Expr> clippedGradientSum() {
                return LossCompiler.clippedGradientSum(factory, gradient);
            }

            @Override
            public Expr gradientNorm() {
                return LossCompiler.gradientNorm(factory, gradient);
            }
        });
        if (!LazyKernelClasses.apply(program)) {
            program.buildBatchForms();
        }
        return program;
    }

    /**
     * The stages after parsing for a loss over arrays: simplify, differentiate into one gradient block per
     * declared parameter (an expression for a scalar, a comprehension for an array), simplify the blocks
     * together so that what they share stays shared.
     */
    public static IndexedLossProgram buildIndexed(ExprFactory factory, Expr parsedLoss, List<Node> parameters,
                                                  List<Node> inputs) {
        Simplifier simplifier = new Simplifier(factory);
        Expr loss = simplifier.simplify(parsedLoss);
        List<Node> blocks = new ReverseMode(factory).gradientBlocks(loss, parameters);
        // A comprehension is simplified as its element at its own indices, which is its body.
        List<Expr> roots = new ArrayList<>();
        for (Node block : blocks) {
            roots.add(block instanceof Comprehension c ? factory.element(c, c.indices()) : (Expr) block);
        }
        List<Expr> simplified = simplifier.simplify(roots);
        List<Node> blocksAndLoss = new ArrayList<>();
        for (int p = 0; p < blocks.size(); p++) {
            Expr value = simplified.get(p);
            if (blocks.get(p) instanceof Comprehension c) {
                boolean unchanged = value instanceof Element e && e.array() instanceof Comprehension
                        && e.at().equals(c.indices());
                blocksAndLoss.add(unchanged ? ((Element) value).array() : factory.comprehension(c.indices(), value));
            } else {
                blocksAndLoss.add(value);
            }
        }
        // Terms a sum would recompute in every iteration of a loop around it become arrays, computed once.
        blocksAndLoss.add(loss);
        blocksAndLoss = InvariantArrays.apply(factory, blocksAndLoss);
        loss = (Expr) blocksAndLoss.get(blocks.size());
        List<Node> gradient = new ArrayList<>();
        List<String> printed = new ArrayList<>();
        List<List<String>> indexNames = new ArrayList<>();
        for (int p = 0; p < blocks.size(); p++) {
            Node block = blocksAndLoss.get(p);
            if (block instanceof Comprehension array) {
                gradient.add(array);
                printed.add(JavaPrinter.print(array.body()));
                List<String> names = new ArrayList<>();
                for (Index index : array.indices()) {
                    names.add(index.name());
                }
                indexNames.add(names);
            } else {
                gradient.add(block);
                printed.add(JavaPrinter.print((Expr) block));
                indexNames.add(List.of());
            }
        }
        return new IndexedLossProgram(parameters, inputs, loss, gradient, JavaPrinter.print(loss), printed, indexNames,
                GhostNorms.squaredNorm(factory, gradient));
    }

    /** Largest M of {@link #gradientNorm}: above it, r = 1/M would be subnormal and lose bits. */
    private static final double LARGEST_SCALE = 0x1p1022;

    /**
     * The Euclidean norm of one example's gradient, for the norms kernel, computed without overflow or
     * underflow in between: with {@code m = max_k |g_k|}, {@code M = m} clamped to [MIN_NORMAL, 2^1022]
     * and {@code r = 1/M} (a normal number), {@code s = sqrt(Σ (g_k·r)²)} lies in [0, 4√P] and the norm
     * is {@code M·s}: infinite only where the norm itself exceeds {@code Double.MAX_VALUE}, NaN if a
     * component is, and ∞ if one is infinite. The plain {@code sqrt(Σ g_k²)} gives 0 for
     * (3e-200, 4e-200) and ∞ for (3e200, 4e200). Max and sum are trees of depth log2(P), not chains.
     */
    private static Expr gradientNorm(ExprFactory factory, List<Expr> gradient) {
        if (gradient.isEmpty()) {
            return factory.constant(0.0);
        }
        List<Expr> magnitudes = new ArrayList<>();
        for (Expr partial : gradient) {
            magnitudes.add(factory.unary(UnaryOp.ABS, partial));
        }
        Expr largest = pairwise(factory, BinaryOp.MAX, magnitudes);
        Expr scale = factory.binary(BinaryOp.MIN, factory.binary(BinaryOp.MAX, largest,
                factory.constant(Double.MIN_NORMAL)), factory.constant(LARGEST_SCALE));
        Expr reciprocal = factory.div(factory.constant(1.0), scale);
        List<Expr> squares = new ArrayList<>();
        for (Expr partial : gradient) {
            Expr scaledPartial = factory.mul(partial, reciprocal);
            squares.add(factory.mul(scaledPartial, scaledPartial));
        }
        Expr scaled = factory.unary(UnaryOp.SQRT, pairwise(factory, BinaryOp.ADD, squares));
        Condition finite = factory.compare(CompareOp.LT, largest, factory.constant(Double.POSITIVE_INFINITY));
        return factory.conditional(finite, factory.mul(scale, scaled), largest);
    }

    /** {@code ((t0 op t1) op (t2 op t3)) ...}: a tree of depth log2(P) rather than a chain of P - 1. */
    private static Expr pairwise(ExprFactory factory, BinaryOp op, List<Expr> terms) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        int half = terms.size() / 2;
        return factory.binary(op, pairwise(factory, op, terms.subList(0, half)),
                pairwise(factory, op, terms.subList(half, terms.size())));
    }

    /** Below this sum of squares, with C below {@link #TINY_CLIP_NORM}, an example may escape clipping. */
    private static final double TINY_SQUARES = 0x1p-969;

    private static final double TINY_CLIP_NORM = 0x1p-400;

    /**
     * DP-SGD's fused clipped sum {@code Σ_i g_i·min(1, C/‖g_i‖₂)} per parameter with the norm formed the
     * fast way, {@code sqrt(Σ g²)}, then the number of examples for which that norm cannot be trusted:
     * P + 1 batch sums. The clip norm C is one more parameter-like variable after the loss's parameters,
     * so the kernel finds it in the parameter array and hoists it out of the loop.
     *
     * <p>An example is counted where its sum of squares overflowed or is NaN (a huge or non-finite
     * gradient), or is below 2^-969 while C is below 2^-400 (squares of tiny components vanish, and the
     * example could escape clipping). Where any is counted, the runtime clips that batch by its exact
     * reference arithmetic instead ({@code dev.symgrad.runtime.Clipping}), which rescales such norms and
     * skips non-finite gradients. With neither, the plain norm is within an ulp or two of the exact one
     * and C/‖g‖ underflows only where ‖g‖/C exceeds 10^323. Doing the rescaling inside the kernel (a
     * scaled norm for every example and a select per parameter) ran at 2.2 times this kernel's time for
     * 31 parameters and pushed C2 into "failed spill-split-recycle sanity check" (ClippingBenchmark, JDK 17).
     */
    private static List<Expr> clippedGradientSum(ExprFactory factory, List<Expr> gradient) {
        Expr clipNorm = factory.variable("clipNorm", Variable.Kind.PARAMETER, gradient.size());
        Expr squares = factory.constant(0.0);
        for (int k = 0; k < gradient.size(); k++) {
            Expr square = factory.mul(gradient.get(k), gradient.get(k));
            squares = k == 0 ? square : factory.add(squares, square);
        }
        Expr factor = factory.binary(BinaryOp.MIN, factory.constant(1.0),
                factory.div(clipNorm, factory.unary(UnaryOp.SQRT, squares)));
        List<Expr> sums = new ArrayList<>();
        for (Expr partial : gradient) {
            sums.add(factory.batchSum(factory.mul(partial, factor)));
        }
        Condition trusted = factory.logical(Logical.Operator.AND,
                factory.compare(CompareOp.LT, squares, factory.constant(Double.POSITIVE_INFINITY)),
                factory.logical(Logical.Operator.OR,
                        factory.compare(CompareOp.GE, squares, factory.constant(TINY_SQUARES)),
                        factory.compare(CompareOp.GE, clipNorm, factory.constant(TINY_CLIP_NORM))));
        sums.add(factory.batchSum(factory.conditional(trusted, factory.constant(0.0), factory.constant(1.0))));
        return sums;
    }

    /** Longest vector a parameter or input may be declared as. */
    public static final int MAX_VECTOR_LENGTH = MethodParser.MAX_VECTOR_LENGTH;

    private static final Pattern VECTOR = Pattern.compile("(.+)\\[([0-9]{1,9})\\]");

    /**
     * The scalar names of declared names: {@code "w[3]"} declares a vector, whose elements are the
     * parameters (or inputs) {@code w[0], w[1], w[2]}, in that order, where it stands in the list.
     */
    static List<String> elements(List<String> declared) {
        List<String> names = new ArrayList<>();
        for (String name : declared) {
            Matcher vector = VECTOR.matcher(name);
            if (vector.matches()) {
                int length = Integer.parseInt(vector.group(2));
                for (int k = 0; k < length; k++) {
                    names.add(vector.group(1) + "[" + k + "]");
                }
            } else {
                names.add(name);
            }
            if (names.size() > MAX_VECTOR_LENGTH) {
                throw new IllegalArgumentException("more than " + MAX_VECTOR_LENGTH + " parameters or inputs declared");
            }
        }
        return names;
    }

    private static void checkNames(List<String> parameters, List<String> inputs) {
        if (parameters == null || inputs == null) {
            throw new IllegalArgumentException("parameter and input lists must not be null");
        }
        Set<String> seen = new HashSet<>();
        for (List<String> names : List.of(parameters, inputs)) {
            for (String name : names) {
                Matcher vector = name == null ? null : VECTOR.matcher(name);
                String base = vector != null && vector.matches() ? vector.group(1) : name;
                if (!isIdentifier(base)) {
                    throw new IllegalArgumentException("'" + name + "' is not a valid name for a parameter or input");
                }
                if (vector != null && vector.matches()) {
                    long length = Long.parseLong(vector.group(2));
                    if (length < 1 || length > MAX_VECTOR_LENGTH) {
                        throw new IllegalArgumentException("'" + name + "': a vector's length must be 1 to "
                                + MAX_VECTOR_LENGTH);
                    }
                }
                if (!seen.add(base)) {
                    throw new IllegalArgumentException("'" + base + "' is declared twice");
                }
            }
        }
    }

    private static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || RESERVED.contains(name)
                || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(c -> Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
    }
}
