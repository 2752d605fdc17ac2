package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.PrimitiveType;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.IndexTerm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers the body of a static {@code double} method to one expression, by symbolic execution: each
 * local variable maps to the expression of its current value. An {@code if} whose branches only
 * assign merges the two states with conditionals ({@code z = c ? z1 : z2}); an {@code if} with a
 * {@code return} inside becomes {@code c ? (then-branch, rest) : (else-branch, rest)}. Calls to
 * helper methods of the file are inlined with their parameters bound to the argument expressions.
 * {@code int} locals are compile-time constants. A {@code for} loop becomes an index loop where its body
 * allows ({@link IndexLoops}: sums and whole local arrays over an index, lowered once whatever the bound)
 * and is unrolled otherwise ({@link ForLoops}). Local arrays ({@code double[] h = new double[32]}) hold
 * what is written to them ({@link LocalArray}).
 */
final class StatementLowering {

    /** Helpers inlined inside each other deeper than this are reported (it also stops recursion). */
    private static final int MAX_INLINE_DEPTH = 64;

    private final ExprFactory factory;
    private final String fileName;
    private final String source;
    private final Map<String, List<MethodDeclaration>> methods;
    private final Deque<String> inlining = new ArrayDeque<>();
    private final ForLoops loops;
    /** Null where every loop is unrolled: the unrolled form, and methods without array parameters. */
    private final IndexLoops indexLoops;
    private final ArrayElements elements;

    /**
     * @param indexLoops true to lower loops whose bodies allow it as index loops; false to unroll every
     *                   loop, the form of methods without arrays and the reference form
     */
    StatementLowering(ExprFactory factory, String fileName, String source, Map<String, List<MethodDeclaration>> methods,
                      boolean indexLoops) {
        this.factory = factory;
        this.fileName = fileName;
        this.source = source;
        this.methods = methods;
        this.loops = new ForLoops(factory, fileName, source, this::expression,
                (body, locals) -> lowerSequence(List.of(body), locals, null));
        this.indexLoops = indexLoops ? new IndexLoops(factory, loops, this::expression,
                (body, locals) -> lowerSequence(List.of(body), locals, null)) : null;
        this.elements = new ArrayElements(factory, fileName, source);
    }

    /**
     * Checks {@code static double name(double...)}, the shape of a helper; a loss method may also take
     * {@code double[]} and {@code double[][]} parameters ({@code arraysAllowed}).
     */
    static void checkSignature(MethodDeclaration method, String fileName, String source, boolean arraysAllowed) {
        if (!MethodParser.isDouble(method.getType())) {
            throw ExpressionLowering.errorAt(fileName, source, method.getType(),
                    "method '" + method.getNameAsString() + "' must return double");
        }
        for (Parameter parameter : method.getParameters()) {
            boolean array = ArrayShapes.rank(parameter.getType()) > 0 && !parameter.isVarArgs();
            if (array && !arraysAllowed) {
                throw ExpressionLowering.errorAt(fileName, source, parameter, "parameter '" + parameter.getNameAsString()
                        + "' of helper '" + method.getNameAsString() + "' must be a double; only the loss method takes"
                        + " array parameters");
            }
            if (!MethodParser.isDouble(parameter.getType()) && !array || parameter.isVarArgs()) {
                throw ExpressionLowering.errorAt(fileName, source, parameter,
                        "parameter '" + parameter.getNameAsString() + "' must be a double"
                                + (arraysAllowed ? ", a double[] or a double[][]" : ""));
            }
        }
        if (method.getBody().isEmpty()) {
            throw ExpressionLowering.errorAt(fileName, source, method, "method '" + method.getNameAsString()
                    + "' has no body");
        }
    }

    Expr lowerMethod(MethodDeclaration method, Locals arguments) {
        inlining.push(method.getNameAsString());
        try {
            List<Statement> body = method.getBody().orElseThrow().getStatements();
            Expr result = lowerSequence(body, arguments.copy(), null);
            if (result == null) {
                throw ExpressionLowering.errorAt(fileName, source, method.getBody().get(), "missing return statement");
            }
            return result;
        } finally {
            inlining.pop();
        }
    }

    /** Statements still to run after the current list, innermost first: a persistent stack. */
    private record Continuation(List<Statement> statements, Continuation next) {
    }

    /**
     * Lowers statements in order, updating {@code locals}, then the {@code after} statements; returns
     * the returned expression, or null if everything completes normally (falls off the end).
     */
    private Expr lowerSequence(List<Statement> statements, Locals locals, Continuation after) {
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            Continuation rest = new Continuation(statements.subList(i + 1, statements.size()), after);
            if (statement instanceof BlockStmt block) {
                if (containsReturn(block)) {
                    return lowerSequence(block.getStatements(), locals, rest);
                }
                // Java scoping: locals declared in the block disappear after it.
                Locals inner = locals.copy();
                lowerSequence(block.getStatements(), inner, null);
                locals.keepOuter(inner);
            } else if (statement instanceof ExpressionStmt expressionStatement) {
                lowerExpressionStatement(expressionStatement.getExpression(), locals);
            } else if (statement instanceof ReturnStmt returnStatement) {
                checkNothingAfter(statements, i);
                Expression value = returnStatement.getExpression().orElseThrow(
                        () -> ExpressionLowering.errorAt(fileName, source, returnStatement, "missing return value"));
                return expression(locals).lowerNumber(value);
            } else if (statement instanceof IfStmt ifStatement) {
                if (containsReturn(ifStatement)) {
                    return lowerReturningIf(ifStatement, locals, rest);
                }
                checkNoElementWrites(ifStatement, locals);
                lowerAssigningIf(ifStatement, locals);
            } else if (statement instanceof ForStmt loop) {
                if (indexLoops == null || !indexLoops.lower(loop, locals)) {
                    loops.lowerFor(loop, locals);
                }
            } else if (statement instanceof ForEachStmt loop) {
                loops.lowerForEach(loop, locals);
            } else if (!(statement instanceof EmptyStmt)) {
                throw ExpressionLowering.errorAt(fileName, source, statement, describe(statement));
            }
        }
        return after == null ? null : lowerSequence(after.statements(), locals, after.next());
    }

    /** An if that only assigns: both branches run on copies of the locals, which merge with conditionals. */
    private void lowerAssigningIf(IfStmt ifStatement, Locals locals) {
        Condition test = expression(locals).lowerCondition(ifStatement.getCondition());
        Locals thenLocals = locals.copy();
        Locals elseLocals = locals.copy();
        lowerSequence(List.of(ifStatement.getThenStmt()), thenLocals, null);
        ifStatement.getElseStmt().ifPresent(otherwise -> lowerSequence(List.of(otherwise), elseLocals, null));
        for (Map.Entry<String, Expr> variable : locals.doubles().entrySet()) {
            Expr whenTrue = thenLocals.doubles().get(variable.getKey());
            Expr whenFalse = elseLocals.doubles().get(variable.getKey());
            variable.setValue(whenTrue == null || whenFalse == null ? null
                    : whenTrue == whenFalse ? whenTrue : factory.conditional(test, whenTrue, whenFalse));
        }
    }

    /**
     * The two branches of an if that only assigns run on copies of the locals and merge their doubles with
     * conditionals; local arrays are shared by the copies and cannot merge, so such an if writes no element
     * of a local array declared before it (the value can be chosen by the if and written after it).
     */
    private void checkNoElementWrites(IfStmt ifStatement, Locals locals) {
        ifStatement.findFirst(AssignExpr.class, assignment -> assignment.getTarget() instanceof ArrayAccessExpr access
                && ArrayElements.base(access) instanceof NameExpr name
                && locals.arrays().get(name.getNameAsString()) instanceof LocalArray).ifPresent(assignment -> {
                    throw ExpressionLowering.errorAt(fileName, source, assignment, "an if statement cannot write an"
                            + " element of local array '" + ((NameExpr) ArrayElements.base((ArrayAccessExpr)
                            assignment.getTarget())).getNameAsString() + "'; choose the value with the if (or ?:),"
                            + " then write it after the if");
                });
    }

    /** An if with a return inside: each branch continues with what follows the if, to its own return. */
    private Expr lowerReturningIf(IfStmt ifStatement, Locals locals, Continuation rest) {
        Condition test = expression(locals).lowerCondition(ifStatement.getCondition());
        Expr whenTrue = lowerSequence(List.of(ifStatement.getThenStmt()), locals.fork(), rest);
        Expr whenFalse = lowerSequence(ifStatement.getElseStmt().map(List::of).orElse(List.of()),
                locals.fork(), rest);
        if (whenTrue == null || whenFalse == null) {
            throw ExpressionLowering.errorAt(fileName, source, ifStatement, "missing return statement");
        }
        return factory.conditional(test, whenTrue, whenFalse);
    }

    private void lowerExpressionStatement(Expression expression, Locals locals) {
        if (expression instanceof VariableDeclarationExpr declaration) {
            for (VariableDeclarator variable : declaration.getVariables()) {
                declare(variable, locals);
            }
            return;
        }
        if (expression instanceof AssignExpr assignment && assignment.getTarget() instanceof ArrayAccessExpr element) {
            writeElement(assignment, element, locals);
            return;
        }
        if (expression instanceof AssignExpr assignment && assignment.getTarget() instanceof NameExpr target
                && locals.accumulates(target.getNameAsString())) {
            accumulate(assignment, target.getNameAsString(), locals);
            return;
        }
        if (expression instanceof AssignExpr assignment) {
            String name = writableDouble(assignment.getTarget(), locals);
            Expr value = expression(locals).lowerNumber(assignment.getValue());
            BinaryOp compound = switch (assignment.getOperator()) {
                case ASSIGN -> null;
                case PLUS -> BinaryOp.ADD;
                case MINUS -> BinaryOp.SUB;
                case MULTIPLY -> BinaryOp.MUL;
                case DIVIDE -> BinaryOp.DIV;
                default -> throw ExpressionLowering.errorAt(fileName, source, assignment,
                        "operator '" + assignment.getOperator().asString() + "' is not supported");
            };
            if (compound != null) {
                Expr current = locals.doubles().get(name);
                if (current == null) {
                    throw ExpressionLowering.errorAt(fileName, source, assignment.getTarget(),
                            "variable '" + name + "' might not have been initialized");
                }
                value = factory.binary(compound, current, value);
            }
            locals.doubles().put(name, value);
            return;
        }
        if (expression instanceof UnaryExpr unary && ForLoops.isIncrementOrDecrement(unary.getOperator())) {
            // Not supported on doubles either, but an int, a loop variable or an array has its own message.
            writableDouble(unary.getExpression(), locals);
        }
        throw ExpressionLowering.errorAt(fileName, source, expression,
                "only declarations and assignments of double variables can be statements in a loss method");
    }

    /**
     * {@code h[m] = e;}: writes an element of a local array, or in an index loop the whole array; the
     * parameter arrays are read-only.
     */
    private void writeElement(AssignExpr assignment, ArrayAccessExpr element, Locals locals) {
        ExpressionLowering expressions = expression(locals);
        MethodArray array = elements.array(ArrayElements.base(element), locals.arrays(), locals::isDefined);
        if (array instanceof ParameterArray) {
            throw ExpressionLowering.errorAt(fileName, source, assignment.getTarget(), "cannot assign to an element of '"
                    + array.name() + "': " + array.typeName() + " parameters are read-only");
        }
        if (assignment.getOperator() != AssignExpr.Operator.ASSIGN) {
            throw ExpressionLowering.errorAt(fileName, source, assignment, "an element of local array '" + array.name()
                    + "' is written once, with '='; operator '" + assignment.getOperator().asString()
                    + "' would read it first");
        }
        List<IndexTerm> at = expressions.lowerPositions(element, array);
        Expr value = expressions.lowerNumber(assignment.getValue());
        elements.write((LocalArray) array, at, value, locals.activeIndices(), assignment.getTarget());
    }

    /**
     * {@code acc += e}, {@code acc -= e} or {@code acc = acc + e} in an index loop: the term the loop adds
     * to {@code acc} in each iteration ({@code -e} for {@code -=}); after the loop, acc is their sum.
     */
    private void accumulate(AssignExpr assignment, String name, Locals locals) {
        Expression term = IndexableLoops.accumulatedTerm(assignment);
        if (locals.doubles().get(name) == null) {
            // Where an unrolled loop reports it: the target of a compound assignment, else the read of acc.
            Node read = assignment.getOperator() == AssignExpr.Operator.ASSIGN
                    ? ((BinaryExpr) assignment.getValue()).getLeft() : assignment.getTarget();
            throw ExpressionLowering.errorAt(fileName, source, read, "variable '" + name
                    + "' might not have been initialized");
        }
        Expr value = expression(locals).lowerNumber(term);
        locals.accumulate(name, assignment.getOperator() == AssignExpr.Operator.MINUS ? factory.neg(value) : value);
    }

    /**
     * {@code double z = ...;}, {@code int n = 30;} (an int local is a compile-time constant) or
     * {@code double[] h = new double[32];} (a local array).
     */
    private void declare(VariableDeclarator variable, Locals locals) {
        String name = variable.getNameAsString();
        boolean isInt = variable.getType() instanceof PrimitiveType primitive
                && primitive.getType() == PrimitiveType.Primitive.INT;
        int rank = ArrayShapes.rank(variable.getType());
        if (!MethodParser.isDouble(variable.getType()) && !isInt && rank == 0) {
            throw ExpressionLowering.errorAt(fileName, source, variable, "local variable '" + name
                    + "' must be declared double" + (variable.getType() instanceof ArrayType
                    ? "[] or double[][]" : " (or int, for a constant)"));
        }
        if (locals.isDefined(name)) {
            throw ExpressionLowering.errorAt(fileName, source, variable, "variable '" + name + "' is already defined");
        }
        if (rank > 0) {
            locals.declareArray(new LocalArray(name, ArrayShapes.ofLocalArray(variable, rank, expression(locals), fileName,
                    source)));
        } else if (isInt) {
            Integer value = variable.getInitializer().map(init -> expression(locals).lowerConstantInt(init)).orElse(null);
            if (value == null) {
                throw ExpressionLowering.errorAt(fileName, source, variable.getInitializer().map(init -> (Node) init)
                        .orElse(variable), "int variable '" + name + "' must be initialized with a constant int"
                        + " expression, like int " + name + " = 30; int locals are loop bounds and indices");
            }
            locals.setInteger(name, value);
        } else {
            locals.doubles().put(name, variable.getInitializer().map(init -> expression(locals).lowerNumber(init))
                    .orElse(null));
        }
    }

    /** The name of the double variable an assignment or increment targets; anything else is an error. */
    private String writableDouble(Expression target, Locals locals) {
        if (target instanceof ArrayAccessExpr element) {
            MethodArray array = elements.array(ArrayElements.base(element), locals.arrays(), locals::isDefined);
            throw ExpressionLowering.errorAt(fileName, source, target, array instanceof ParameterArray
                    ? "cannot assign to an element of '" + array.name() + "': " + array.typeName()
                            + " parameters are read-only"
                    : "an element of local array '" + array.name() + "' is written once, with '='");
        }
        if (!(target instanceof NameExpr variable)) {
            throw ExpressionLowering.errorAt(fileName, source, target, "only double variables can be assigned");
        }
        String name = variable.getNameAsString();
        if (locals.integers().containsKey(name)) {
            throw ExpressionLowering.errorAt(fileName, source, target, "int variable '" + name + "' cannot be"
                    + " assigned; int locals are constants (loop bounds and indices)");
        }
        MethodArray array = locals.arrays().get(name);
        if (array instanceof ParameterArray) {
            throw ExpressionLowering.errorAt(fileName, source, target, "cannot assign to '" + name
                    + "': " + array.typeName() + " parameters are read-only");
        }
        if (array != null) {
            throw ExpressionLowering.errorAt(fileName, source, target, "cannot assign to local array '" + name
                    + "' as a whole; write its elements, like " + array.firstElement() + " = ...");
        }
        if (locals.indices().containsKey(name)) {
            throw ExpressionLowering.errorAt(fileName, source, target, "loop variable '" + name + "' cannot be assigned"
                    + " in the loop body; it changes only in the for update");
        }
        if (!locals.doubles().containsKey(name)) {
            throw ExpressionLowering.errorAt(fileName, source, target, "unknown variable '" + name + "'");
        }
        return name;
    }

    private ExpressionLowering expression(Locals locals) {
        return new ExpressionLowering(factory, locals, fileName, source, new Helpers());
    }

    /** Inlines calls to the file's static double methods. */
    private final class Helpers implements ExpressionLowering.HelperCalls {
        @Override
        public int arity(MethodCallExpr call) {
            List<MethodDeclaration> candidates = methods.get(call.getNameAsString());
            if (candidates == null) {
                return -1;
            }
            if (candidates.size() > 1) {
                throw ExpressionLowering.errorAt(fileName, source, call,
                        "helper '" + call.getNameAsString() + "' is overloaded; give each helper a unique name");
            }
            return candidates.get(0).getParameters().size();
        }

        @Override
        public Expr inline(MethodCallExpr call, List<Expr> arguments) {
            MethodDeclaration helper = methods.get(call.getNameAsString()).get(0);
            if (inlining.contains(helper.getNameAsString())) {
                throw ExpressionLowering.errorAt(fileName, source, call,
                        "recursive call to '" + helper.getNameAsString() + "' cannot be inlined");
            }
            if (inlining.size() >= MAX_INLINE_DEPTH) {
                throw ExpressionLowering.errorAt(fileName, source, call, "helpers nested more than "
                        + MAX_INLINE_DEPTH + " calls deep");
            }
            checkSignature(helper, fileName, source, false);
            Map<String, Expr> bound = new LinkedHashMap<>();
            NodeList<Parameter> parameters = helper.getParameters();
            for (int i = 0; i < parameters.size(); i++) {
                bound.put(parameters.get(i).getNameAsString(), arguments.get(i));
            }
            return lowerMethod(helper, new Locals(bound, Map.of()));
        }
    }

    private void checkNothingAfter(List<Statement> statements, int index) {
        for (int next = index + 1; next < statements.size(); next++) {
            if (!(statements.get(next) instanceof EmptyStmt)) {
                throw ExpressionLowering.errorAt(fileName, source, statements.get(next), "unreachable statement");
            }
        }
    }

    private static boolean containsReturn(Statement statement) {
        return statement.findFirst(ReturnStmt.class).isPresent();
    }

    /** The error for a statement outside the method language. */
    private static String describe(Statement statement) {
        String kind = statement.getClass().getSimpleName().replace("Stmt", "").toLowerCase(java.util.Locale.ROOT);
        String what = switch (kind) {
            case "while", "do" -> "'" + kind + "' loops are";
            case "break", "continue" -> "'" + kind + "' is";
            case "throw" -> "'throw' is";
            case "try" -> "'try' is";
            case "switch" -> "'switch' is";
            default -> "'" + kind + "' statements are";
        };
        return what + " not allowed in a loss method; use double and int locals, if/else, for loops with constant"
                + " bounds and return";
    }
}
