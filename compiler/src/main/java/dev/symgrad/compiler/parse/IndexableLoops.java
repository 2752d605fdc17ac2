package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.PrimitiveType;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from the syntax and the variables in scope, whether a {@code for} loop can be lowered once
 * over an index instead of unrolled: the subset whose meaning is a sum or an array over the index, bit
 * for bit. The loop is {@code for (int j = 0; j < N; j++)} (or {@code ++j}, {@code j += 1}) and its body
 * holds only
 * <ul>
 *   <li>{@code double} locals, declared and assigned in any way;</li>
 *   <li>accumulations {@code acc += e}, {@code acc -= e} or {@code acc = acc + e} into a double declared
 *       just outside the loop (outside the whole nest, or in the body of the enclosing loop), at most one
 *       per variable, with acc read nowhere else in the body: after the loop, {@code acc} is
 *       {@code Sum(j, acc, e)}, the same additions in the same order;</li>
 *   <li>writes {@code h[j] = e}, {@code H[k][m] = e} to a local array declared outside, at the variables of
 *       the nest's loops, once per array, which is not read in the nest;</li>
 *   <li>blocks and nested loops of the same kind.</li>
 * </ul>
 * The loop variables appear only as array positions, and a local array written element by element is
 * not read at them. Anything else (an {@code if}, a loop variable used as a number, {@code x[j + 1]}, an
 * accumulator read inside) keeps the loop unrolled, with its errors reported as before. Whether the bound
 * is a positive constant is decided by the caller, which can lower it.
 */
final class IndexableLoops {

    /** {@code for (int variable = 0; variable < bound; variable++)}. */
    record Header(String variable, Expression bound) {
    }

    /** An index loop: its header and the doubles declared outside that it accumulates into. */
    record Plan(Header header, Set<String> accumulators) {
    }

    private IndexableLoops() {
    }

    /** The plan for {@code loop}, or null to unroll it. */
    static Plan plan(ForStmt loop, Locals locals) {
        Header header = header(loop);
        if (header == null || locals.isDefined(header.variable())) {
            return null;
        }
        Nest nest = new Nest(locals);
        Map<String, AssignExpr> accumulators = nest.loop(loop, header, null);
        if (accumulators == null || !Collections.disjoint(nest.writtenArrays, nest.readArrays)) {
            return null;
        }
        return new Plan(header, accumulators.keySet());
    }

    /** The term an accumulation adds: {@code e} in {@code acc += e}, {@code acc -= e} and {@code acc = acc + e}. */
    static Expression accumulatedTerm(AssignExpr assignment) {
        return assignment.getOperator() == AssignExpr.Operator.ASSIGN
                ? ((BinaryExpr) assignment.getValue()).getRight() : assignment.getValue();
    }

    /** The header of an index loop, or null. */
    static Header header(ForStmt loop) {
        if (loop.getInitialization().size() != 1
                || !(loop.getInitialization().get(0) instanceof VariableDeclarationExpr declaration)
                || declaration.getVariables().size() != 1) {
            return null;
        }
        VariableDeclarator variable = declaration.getVariable(0);
        String name = variable.getNameAsString();
        boolean startsAtZero = variable.getType() instanceof PrimitiveType primitive
                && primitive.getType() == PrimitiveType.Primitive.INT
                && variable.getInitializer().map(start -> isLiteral(start, 0)).orElse(false);
        if (!startsAtZero || !(loop.getCompare().orElse(null) instanceof BinaryExpr compare)
                || compare.getOperator() != BinaryExpr.Operator.LESS || !isName(compare.getLeft(), name)
                || mentions(compare.getRight(), name) || loop.getUpdate().size() != 1) {
            return null;
        }
        Expression update = loop.getUpdate().get(0);
        boolean unitStep = update instanceof UnaryExpr unary && isName(unary.getExpression(), name)
                && (unary.getOperator() == UnaryExpr.Operator.POSTFIX_INCREMENT
                || unary.getOperator() == UnaryExpr.Operator.PREFIX_INCREMENT)
                || update instanceof AssignExpr assignment && isName(assignment.getTarget(), name)
                && assignment.getOperator() == AssignExpr.Operator.PLUS && isLiteral(assignment.getValue(), 1);
        return unitStep ? new Header(name, compare.getRight()) : null;
    }

    /** The checks of one loop nest, with what its loops write and read. */
    private static final class Nest {

        private final Locals locals;
        /** The variables of the index loops that enclose the statement being checked. */
        private final Set<String> indexNames = new HashSet<>();
        private final Set<String> writtenArrays = new HashSet<>();
        private final Set<String> readArrays = new HashSet<>();

        Nest(Locals locals) {
            this.locals = locals;
            // A loop nested in an index loop is planned on its own when it is lowered; its body may index
            // at the enclosing loops' variables too.
            indexNames.addAll(locals.indices().keySet());
        }

        /**
         * The accumulators of {@code loop}, or null if it is outside the subset.
         *
         * @param enclosing the doubles declared in the enclosing loop's body, which this loop may accumulate
         *                  into; null for the outermost loop, which accumulates into doubles in scope
         */
        Map<String, AssignExpr> loop(ForStmt loop, Header header, Set<String> enclosing) {
            if (!reads(header.bound())) {
                return null;
            }
            indexNames.add(header.variable());
            Body body = new Body(enclosing);
            boolean inSubset = body.statement(loop.getBody());
            indexNames.remove(header.variable());
            if (!inSubset) {
                return null;
            }
            for (String accumulator : body.accumulators.keySet()) {
                boolean readElsewhere = loop.getBody().findFirst(NameExpr.class, use -> use.getNameAsString()
                        .equals(accumulator) && !body.accumulationNames.containsKey(use)).isPresent();
                if (readElsewhere) {
                    return null;
                }
            }
            return body.accumulators;
        }

        /** True if the expression reads loop variables only as positions, and arrays as the loop may. */
        boolean reads(Expression expression) {
            for (NameExpr name : expression.findAll(NameExpr.class)) {
                String variable = name.getNameAsString();
                if (indexNames.contains(variable) && !isPosition(name)) {
                    return false;
                }
                if (locals.arrays().get(variable) instanceof LocalArray array && isIndexed(name)) {
                    readArrays.add(variable);
                    if (array.isWrittenElementwise() && readsAtLoopVariable(name)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** True if a position of the access whose array is {@code base} mentions a loop variable. */
        private boolean readsAtLoopVariable(NameExpr base) {
            Node indexed = base;
            while (indexed.getParentNode().orElse(null) instanceof ArrayAccessExpr access && access.getName() == indexed) {
                if (access.getIndex().findFirst(NameExpr.class, n -> indexNames.contains(n.getNameAsString())).isPresent()) {
                    return true;
                }
                indexed = access;
            }
            return false;
        }

        /** The statements of one loop body. */
        private final class Body {

            private final Set<String> enclosing;
            private final Set<String> declared = new HashSet<>();
            private final Map<String, AssignExpr> accumulators = new LinkedHashMap<>();
            /** The occurrences of accumulators that are the accumulations themselves, not reads. */
            private final Map<NameExpr, Boolean> accumulationNames = new IdentityHashMap<>();

            Body(Set<String> enclosing) {
                this.enclosing = enclosing;
            }

            boolean statement(Statement statement) {
                if (statement instanceof EmptyStmt) {
                    return true;
                }
                if (statement instanceof BlockStmt block) {
                    for (Statement inner : block.getStatements()) {
                        if (!statement(inner)) {
                            return false;
                        }
                    }
                    return true;
                }
                if (statement instanceof ForStmt inner) {
                    Header header = header(inner);
                    return header != null && !locals.isDefined(header.variable()) && !declared.contains(header.variable())
                            && !indexNames.contains(header.variable()) && loop(inner, header, declared) != null;
                }
                if (statement instanceof ExpressionStmt expression) {
                    if (expression.getExpression() instanceof VariableDeclarationExpr declaration) {
                        return declaration(declaration);
                    }
                    if (expression.getExpression() instanceof AssignExpr assignment) {
                        return assignment.getTarget() instanceof ArrayAccessExpr element
                                ? elementWrite(assignment, element) : assignment(assignment);
                    }
                }
                return false;
            }

            /** {@code double a = e, b;}: body locals. */
            private boolean declaration(VariableDeclarationExpr declaration) {
                for (VariableDeclarator variable : declaration.getVariables()) {
                    if (!MethodParser.isDouble(variable.getType()) || locals.isDefined(variable.getNameAsString())
                            || variable.getInitializer().isPresent() && !reads(variable.getInitializer().get())) {
                        return false;
                    }
                    declared.add(variable.getNameAsString());
                }
                return true;
            }

            /** An assignment to a body local, or an accumulation into a double declared outside. */
            private boolean assignment(AssignExpr assignment) {
                if (!(assignment.getTarget() instanceof NameExpr target)) {
                    return false;
                }
                String name = target.getNameAsString();
                if (declared.contains(name)) {
                    return switch (assignment.getOperator()) {
                        case ASSIGN, PLUS, MINUS, MULTIPLY, DIVIDE -> reads(assignment.getValue());
                        default -> false;
                    };
                }
                boolean visible = enclosing == null ? locals.doubles().containsKey(name) : enclosing.contains(name);
                boolean accumulation = switch (assignment.getOperator()) {
                    case PLUS, MINUS -> true;
                    case ASSIGN -> assignment.getValue() instanceof BinaryExpr sum
                            && sum.getOperator() == BinaryExpr.Operator.PLUS && isName(sum.getLeft(), name);
                    default -> false;
                };
                if (!visible || !accumulation || accumulators.containsKey(name)) {
                    return false;
                }
                accumulators.put(name, assignment);
                accumulationNames.put(target, true);
                if (assignment.getValue() instanceof BinaryExpr sum && assignment.getOperator() == AssignExpr.Operator.ASSIGN) {
                    accumulationNames.put((NameExpr) sum.getLeft(), true);
                }
                return reads(accumulatedTerm(assignment));
            }

            /** {@code h[j] = e}: a local array declared outside, at loop variables, written once in the nest. */
            private boolean elementWrite(AssignExpr assignment, ArrayAccessExpr element) {
                if (!(ArrayElements.base(element) instanceof NameExpr base)
                        || !(locals.arrays().get(base.getNameAsString()) instanceof LocalArray)
                        || assignment.getOperator() != AssignExpr.Operator.ASSIGN) {
                    return false;
                }
                for (Expression position : ArrayElements.positions(element)) {
                    if (!(position instanceof NameExpr name) || !indexNames.contains(name.getNameAsString())) {
                        return false;
                    }
                }
                return writtenArrays.add(base.getNameAsString()) && reads(assignment.getValue());
            }
        }
    }

    private static boolean isPosition(NameExpr name) {
        return name.getParentNode().orElse(null) instanceof ArrayAccessExpr access && access.getIndex() == name;
    }

    /** True for the array of an access, {@code h} in {@code h[m]}, not for {@code h.length}. */
    private static boolean isIndexed(NameExpr name) {
        return name.getParentNode().orElse(null) instanceof ArrayAccessExpr access && access.getName() == name;
    }

    private static boolean isName(Expression expression, String name) {
        return expression instanceof NameExpr simple && simple.getNameAsString().equals(name);
    }

    private static boolean mentions(Expression expression, String name) {
        return expression.findFirst(NameExpr.class, simple -> simple.getNameAsString().equals(name)).isPresent();
    }

    private static boolean isLiteral(Expression expression, long value) {
        if (!(expression instanceof IntegerLiteralExpr literal)) {
            return false;
        }
        try {
            return Literals.parseInteger(literal.getValue(), false) == value;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
