package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;

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
 */
final class StatementLowering {

    /** Helpers inlined inside each other deeper than this are reported (it also stops recursion). */
    private static final int MAX_INLINE_DEPTH = 64;

    private final ExprFactory factory;
    private final String fileName;
    private final String source;
    private final Map<String, List<MethodDeclaration>> methods;
    private final Deque<String> inlining = new ArrayDeque<>();

    StatementLowering(ExprFactory factory, String fileName, String source, Map<String, List<MethodDeclaration>> methods) {
        this.factory = factory;
        this.fileName = fileName;
        this.source = source;
        this.methods = methods;
    }

    /** Checks {@code static double name(double...)}: the only shape a loss or helper may have. */
    static void checkSignature(MethodDeclaration method, String fileName, String source) {
        if (!MethodParser.isDouble(method.getType())) {
            throw ExpressionLowering.errorAt(fileName, source, method.getType(),
                    "method '" + method.getNameAsString() + "' must return double");
        }
        for (Parameter parameter : method.getParameters()) {
            if (!MethodParser.isDouble(parameter.getType()) || parameter.isVarArgs()) {
                throw ExpressionLowering.errorAt(fileName, source, parameter,
                        "parameter '" + parameter.getNameAsString() + "' must be a double");
            }
        }
        if (method.getBody().isEmpty()) {
            throw ExpressionLowering.errorAt(fileName, source, method, "method '" + method.getNameAsString()
                    + "' has no body");
        }
    }

    Expr lowerMethod(MethodDeclaration method, Map<String, Expr> arguments) {
        inlining.push(method.getNameAsString());
        try {
            List<Statement> body = method.getBody().orElseThrow().getStatements();
            Expr result = lowerSequence(body, new LinkedHashMap<>(arguments), null);
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
     * Lowers statements in order, updating {@code state}, then the {@code after} statements; returns
     * the returned expression, or null if everything completes normally (falls off the end).
     */
    private Expr lowerSequence(List<Statement> statements, Map<String, Expr> state, Continuation after) {
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            Continuation rest = new Continuation(statements.subList(i + 1, statements.size()), after);
            if (statement instanceof BlockStmt block) {
                if (containsReturn(block)) {
                    return lowerSequence(block.getStatements(), state, rest);
                }
                // Java scoping: locals declared in the block disappear after it.
                Map<String, Expr> inner = new LinkedHashMap<>(state);
                lowerSequence(block.getStatements(), inner, null);
                keepOuter(state, inner);
            } else if (statement instanceof ExpressionStmt expressionStatement) {
                lowerExpressionStatement(expressionStatement.getExpression(), state);
            } else if (statement instanceof ReturnStmt returnStatement) {
                checkNothingAfter(statements, i);
                Expression value = returnStatement.getExpression().orElseThrow(
                        () -> ExpressionLowering.errorAt(fileName, source, returnStatement, "missing return value"));
                return expression(state).lowerNumber(value);
            } else if (statement instanceof IfStmt ifStatement) {
                if (containsReturn(ifStatement)) {
                    return lowerReturningIf(ifStatement, state, rest);
                }
                lowerAssigningIf(ifStatement, state);
            } else if (!(statement instanceof EmptyStmt)) {
                throw ExpressionLowering.errorAt(fileName, source, statement, describe(statement)
                        + " not allowed in a loss method; use double locals, if/else and return");
            }
        }
        return after == null ? null : lowerSequence(after.statements(), state, after.next());
    }

    /** An if that only assigns: both branches run on copies of the state, which merge with conditionals. */
    private void lowerAssigningIf(IfStmt ifStatement, Map<String, Expr> state) {
        Condition test = expression(state).lowerCondition(ifStatement.getCondition());
        Map<String, Expr> thenState = new LinkedHashMap<>(state);
        Map<String, Expr> elseState = new LinkedHashMap<>(state);
        lowerSequence(List.of(ifStatement.getThenStmt()), thenState, null);
        ifStatement.getElseStmt().ifPresent(otherwise -> lowerSequence(List.of(otherwise), elseState, null));
        for (Map.Entry<String, Expr> variable : state.entrySet()) {
            Expr whenTrue = thenState.get(variable.getKey());
            Expr whenFalse = elseState.get(variable.getKey());
            variable.setValue(whenTrue == null || whenFalse == null ? null
                    : whenTrue == whenFalse ? whenTrue : factory.conditional(test, whenTrue, whenFalse));
        }
    }

    /** An if with a return inside: each branch continues with what follows the if, to its own return. */
    private Expr lowerReturningIf(IfStmt ifStatement, Map<String, Expr> state, Continuation rest) {
        Condition test = expression(state).lowerCondition(ifStatement.getCondition());
        Expr whenTrue = lowerSequence(List.of(ifStatement.getThenStmt()), new LinkedHashMap<>(state), rest);
        Expr whenFalse = lowerSequence(ifStatement.getElseStmt().map(List::of).orElse(List.of()),
                new LinkedHashMap<>(state), rest);
        if (whenTrue == null || whenFalse == null) {
            throw ExpressionLowering.errorAt(fileName, source, ifStatement, "missing return statement");
        }
        return factory.conditional(test, whenTrue, whenFalse);
    }

    private void lowerExpressionStatement(Expression expression, Map<String, Expr> state) {
        if (expression instanceof VariableDeclarationExpr declaration) {
            for (VariableDeclarator variable : declaration.getVariables()) {
                String name = variable.getNameAsString();
                if (!MethodParser.isDouble(variable.getType())) {
                    throw ExpressionLowering.errorAt(fileName, source, variable, "local variable '" + name
                            + "' must be declared double");
                }
                if (state.containsKey(name)) {
                    throw ExpressionLowering.errorAt(fileName, source, variable, "variable '" + name
                            + "' is already defined");
                }
                Expr value = variable.getInitializer().map(init -> expression(state).lowerNumber(init)).orElse(null);
                state.put(name, value);
            }
            return;
        }
        if (expression instanceof AssignExpr assignment && assignment.getTarget() instanceof NameExpr target) {
            String name = target.getNameAsString();
            if (!state.containsKey(name)) {
                throw ExpressionLowering.errorAt(fileName, source, target, "unknown variable '" + name + "'");
            }
            Expr value = expression(state).lowerNumber(assignment.getValue());
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
                Expr current = state.get(name);
                if (current == null) {
                    throw ExpressionLowering.errorAt(fileName, source, target,
                            "variable '" + name + "' might not have been initialized");
                }
                value = factory.binary(compound, current, value);
            }
            state.put(name, value);
            return;
        }
        throw ExpressionLowering.errorAt(fileName, source, expression,
                "only declarations and assignments of double variables can be statements in a loss method");
    }

    private ExpressionLowering expression(Map<String, Expr> state) {
        return new ExpressionLowering(factory, state, fileName, source, new Helpers());
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
            checkSignature(helper, fileName, source);
            Map<String, Expr> bound = new LinkedHashMap<>();
            NodeList<Parameter> parameters = helper.getParameters();
            for (int i = 0; i < parameters.size(); i++) {
                bound.put(parameters.get(i).getNameAsString(), arguments.get(i));
            }
            return lowerMethod(helper, bound);
        }
    }

    private void checkNothingAfter(List<Statement> statements, int index) {
        for (int next = index + 1; next < statements.size(); next++) {
            if (!(statements.get(next) instanceof EmptyStmt)) {
                throw ExpressionLowering.errorAt(fileName, source, statements.get(next), "unreachable statement");
            }
        }
    }

    /** Copies back the values of variables that existed before a block (assignments inside it stick). */
    private static void keepOuter(Map<String, Expr> outer, Map<String, Expr> inner) {
        for (Map.Entry<String, Expr> variable : outer.entrySet()) {
            variable.setValue(inner.get(variable.getKey()));
        }
    }

    private static boolean containsReturn(Statement statement) {
        return statement.findFirst(ReturnStmt.class).isPresent();
    }

    private static String describe(Statement statement) {
        String kind = statement.getClass().getSimpleName().replace("Stmt", "").toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case "for", "foreach", "while", "do" -> "loops are";
            case "throw" -> "'throw' is";
            case "try" -> "'try' is";
            case "switch" -> "'switch' is";
            default -> "'" + kind + "' statements are";
        };
    }
}
