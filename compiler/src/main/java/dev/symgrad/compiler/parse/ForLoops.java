package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.PrimitiveType;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.FixedIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Unrolls the loops of a method body. A {@code for} loop declares {@code int} variables with constant
 * starts, tests a condition that must be constant in every iteration ({@code j < 30}, {@code j < w.length})
 * and changes its variables by constants ({@code j++}, {@code --j}, {@code j += 2}); its body is lowered
 * once per iteration with the variables bound to their values, as compile-time {@code int} constants. A
 * for-each loop over a {@code double[]} binds its {@code double} variable to each element in turn. The
 * iterations of all loops of a loss together are bounded, so no loop can run forever; a loop lowered
 * over an index instead ({@link IndexLoops}) counts as one.
 */
final class ForLoops {

    /** Iterations of all loops of one loss together, nested loops and inlined helpers included. */
    static final int MAX_ITERATIONS = 100_000;

    private static final String SHAPE = "for (int j = 0; j < 30; j++)";

    private final String fileName;
    private final String source;
    private final Function<Locals, ExpressionLowering> expressions;
    private final BiConsumer<Statement, Locals> bodies;
    private final ArrayElements elements;
    private int iterations;

    /**
     * @param expressions lowers expressions over the given variables
     * @param bodies      lowers one statement (a loop's body) over the given variables, updating them
     */
    ForLoops(ExprFactory factory, String fileName, String source, Function<Locals, ExpressionLowering> expressions,
             BiConsumer<Statement, Locals> bodies) {
        this.fileName = fileName;
        this.source = source;
        this.expressions = expressions;
        this.bodies = bodies;
        this.elements = new ArrayElements(factory, fileName, source);
    }

    /** Unrolls {@code for (init; condition; update) body}; assignments to outer doubles stick. */
    void lowerFor(ForStmt loop, Locals outer) {
        Locals locals = outer.copy();
        List<String> variables = declareVariables(loop, locals);
        Expression condition = loop.getCompare().orElseThrow(() -> error(loop,
                "a for loop in a loss needs a condition with a constant bound, like " + SHAPE));
        checkBody(loop.getBody(), variables);
        checkUpdates(loop, variables);
        while (isTrue(condition, locals)) {
            countIteration(loop);
            bodies.accept(loop.getBody(), locals);
            for (Expression update : loop.getUpdate()) {
                update(update, locals);
            }
        }
        outer.keepOuter(locals);
    }

    /** Unrolls {@code for (double v : w) body} over the elements of the {@code double[]} parameter w. */
    void lowerForEach(ForEachStmt loop, Locals outer) {
        VariableDeclarationExpr declaration = loop.getVariable();
        VariableDeclarator variable = declaration.getVariables().get(0);
        String name = variable.getNameAsString();
        if (!MethodParser.isDouble(variable.getType())) {
            throw error(variable, "the variable of a for-each loop over a double[] must be a double, like"
                    + " for (double v : w)");
        }
        if (outer.isDefined(name)) {
            throw error(variable, "variable '" + name + "' is already defined");
        }
        MethodArray array = loop.getIterable() instanceof NameExpr iterable
                ? outer.arrays().get(iterable.getNameAsString()) : null;
        if (array == null) {
            throw error(loop.getIterable(), "a for-each loop in a loss runs over a double[], like"
                    + " for (double v : w)");
        }
        if (array.rank() != 1) {
            throw error(loop.getIterable(), "a for-each loop in a loss runs over a double[], not the "
                    + array.typeName() + " '" + array.name() + "'; index it in for loops");
        }
        checkBody(loop.getBody(), List.of());
        Locals locals = outer.copy();
        for (int k = 0; k < array.shape().get(0); k++) {
            countIteration(loop);
            locals.doubles().put(name, elements.read(array, List.of(new FixedIndex(k)), loop.getIterable()));
            bodies.accept(loop.getBody(), locals);
        }
        outer.keepOuter(locals);
    }

    private List<String> declareVariables(ForStmt loop, Locals locals) {
        if (loop.getInitialization().size() != 1
                || !(loop.getInitialization().get(0) instanceof VariableDeclarationExpr declaration)) {
            throw error(loop, "a for loop in a loss declares its int variable, like " + SHAPE);
        }
        List<String> names = new ArrayList<>();
        for (VariableDeclarator variable : declaration.getVariables()) {
            String name = variable.getNameAsString();
            if (!(variable.getType() instanceof PrimitiveType primitive)
                    || primitive.getType() != PrimitiveType.Primitive.INT) {
                throw error(variable, "the variable of a for loop must be an int, like " + SHAPE);
            }
            if (locals.isDefined(name)) {
                throw error(variable, "variable '" + name + "' is already defined");
            }
            Expression start = variable.getInitializer().orElseThrow(() -> error(variable,
                    "loop variable '" + name + "' needs a constant start, like int " + name + " = 0"));
            Integer value = expressions.apply(locals).lowerConstantInt(start);
            if (value == null) {
                throw error(start, "the start of loop variable '" + name + "' must be a constant int expression");
            }
            locals.setInteger(name, value);
            names.add(name);
        }
        return names;
    }

    private boolean isTrue(Expression condition, Locals locals) {
        Condition test = expressions.apply(locals).lowerCondition(condition);
        if (test instanceof BooleanConstant constant) {
            return constant.value();
        }
        throw error(condition, "the condition of a for loop must have a constant bound, like j < 30 or"
                + " j < w.length; it is unrolled at compile time");
    }

    /** {@code j++}, {@code ++j}, {@code j--}, {@code --j}, {@code j = c}, {@code j += c} ... with a constant int c. */
    private void update(Expression update, Locals locals) {
        long next;
        String name;
        if (update instanceof UnaryExpr unary) {
            name = ((NameExpr) unary.getExpression()).getNameAsString();
            boolean increment = unary.getOperator() == UnaryExpr.Operator.POSTFIX_INCREMENT
                    || unary.getOperator() == UnaryExpr.Operator.PREFIX_INCREMENT;
            next = (long) locals.integers().get(name) + (increment ? 1 : -1);
        } else {
            AssignExpr assignment = (AssignExpr) update;
            name = ((NameExpr) assignment.getTarget()).getNameAsString();
            Integer step = expressions.apply(locals).lowerConstantInt(assignment.getValue());
            if (step == null) {
                throw error(assignment.getValue(), "the step of a for loop must be a constant int expression,"
                        + " like j += 2");
            }
            long current = locals.integers().get(name);
            next = switch (assignment.getOperator()) {
                case ASSIGN -> step;
                case PLUS -> current + step;
                case MINUS -> current - step;
                case MULTIPLY -> current * step;
                default -> throw new IllegalStateException("checked before unrolling: " + assignment.getOperator());
            };
        }
        // Java's int arithmetic wraps; the iteration bound stops a loop that wraps around forever.
        locals.setInteger(name, (int) next);
    }

    /** Every update changes a loop variable in one of the supported ways, checked once before unrolling. */
    private void checkUpdates(ForStmt loop, List<String> variables) {
        for (Expression update : loop.getUpdate()) {
            boolean supported;
            if (update instanceof UnaryExpr unary) {
                supported = isIncrementOrDecrement(unary.getOperator()) && unary.getExpression() instanceof NameExpr target
                        && variables.contains(target.getNameAsString());
            } else if (update instanceof AssignExpr assignment) {
                supported = assignment.getTarget() instanceof NameExpr target && variables.contains(target.getNameAsString())
                        && switch (assignment.getOperator()) {
                            case ASSIGN, PLUS, MINUS, MULTIPLY -> true;
                            default -> false;
                        };
            } else {
                supported = false;
            }
            if (!supported) {
                throw error(update, "the update of a for loop must change its variable by a constant, like j++,"
                        + " j-- or j += 2");
            }
        }
    }

    /**
     * Checked before the first iteration, so that a loop that runs zero times is checked too: the body
     * neither returns nor jumps out (each iteration is a straight copy of it), nor assigns a loop variable.
     */
    private void checkBody(Statement body, List<String> variables) {
        Optional<Node> jump = body.findFirst(Node.class,
                node -> node instanceof ReturnStmt || node instanceof BreakStmt || node instanceof ContinueStmt);
        if (jump.isPresent()) {
            String keyword = jump.get() instanceof ReturnStmt ? "return" : jump.get() instanceof BreakStmt
                    ? "break" : "continue";
            throw error(jump.get(), "'" + keyword + "' inside a loop is not supported in a loss; loops run to their"
                    + " bound (assign a variable and return after the loop)");
        }
        for (Node node : body.findAll(Node.class, node -> assignedName(node) != null)) {
            String name = assignedName(node);
            if (variables.contains(name)) {
                throw error(node, "loop variable '" + name + "' cannot be assigned in the loop body; it changes"
                        + " only in the for update");
            }
        }
    }

    /** The variable an assignment or increment changes, or null. */
    private static String assignedName(Node node) {
        if (node instanceof AssignExpr assignment && assignment.getTarget() instanceof NameExpr target) {
            return target.getNameAsString();
        }
        if (node instanceof UnaryExpr unary && unary.getExpression() instanceof NameExpr target
                && isIncrementOrDecrement(unary.getOperator())) {
            return target.getNameAsString();
        }
        return null;
    }

    static boolean isIncrementOrDecrement(UnaryExpr.Operator operator) {
        return operator == UnaryExpr.Operator.PREFIX_INCREMENT || operator == UnaryExpr.Operator.PREFIX_DECREMENT
                || operator == UnaryExpr.Operator.POSTFIX_INCREMENT || operator == UnaryExpr.Operator.POSTFIX_DECREMENT;
    }

    /** Counts one iteration of a loop against the bound of all loops together. */
    void countIteration(Statement loop) {
        if (++iterations > MAX_ITERATIONS) {
            throw error(loop, "loops unroll to more than " + MAX_ITERATIONS + " iterations in all; the limit is "
                    + MAX_ITERATIONS);
        }
    }

    private CompileError error(Node node, String reason) {
        return ExpressionLowering.errorAt(fileName, source, node, reason);
    }
}
