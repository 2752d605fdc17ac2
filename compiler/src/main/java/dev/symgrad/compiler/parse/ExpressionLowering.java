package dev.symgrad.compiler.parse;

import com.github.javaparser.Position;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.diagnostic.SourcePosition;
import dev.symgrad.compiler.ir.BinaryOp;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.CompareOp;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexTerm;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a JavaParser expression into IR, accepting exactly the loss language and rejecting everything
 * else with a positioned error. Nothing is resolved reflectively: names are looked up in the given
 * scope and {@code Math.*} in a fixed table.
 *
 * <p>Types follow Java: integer literals and arithmetic on them stay {@code int}/{@code long} and are
 * folded at compile time exactly as javac would ({@code 1/2} is {@code 0}), everything else is
 * {@code double}. The walk is iterative (post-order with an explicit stack) because a long sum is a
 * left-leaning chain as deep as it has terms.
 */
final class ExpressionLowering {

    /** A lowered subexpression: a compile-time integer, a double expression or a condition. */
    private sealed interface Value permits IntegerValue, FloatValue, IntegerExpression, NumberValue, ConditionValue,
            IndexValue {
    }

    /** The variable of an index loop: a position in an array, {@code x[j]}, and nothing else. */
    private record IndexValue(String variable, Index index) implements Value {
    }

    /**
     * An {@code int} that is not a compile-time constant, such as {@code x > 0 ? 1 : 2}. Its values are
     * whole numbers held exactly in a double; Java's integer division on it has no double equivalent,
     * so that one operation is refused rather than silently computed as a double division.
     */
    private record IntegerExpression(Expr expr) implements Value {
    }

    private record IntegerValue(long value, boolean isLong) implements Value {
    }

    /** A compile-time {@code float}: Java computes {@code 0.1f + 0.2f} in float, not in double. */
    private record FloatValue(float value) implements Value {
    }

    private record NumberValue(Expr expr) implements Value {
    }

    private record ConditionValue(Condition condition) implements Value {
    }

    /**
     * Calls to static helper methods of the same source file, which are inlined; absent for loss strings.
     */
    interface HelperCalls {

        /** The number of parameters of helper {@code name}, or -1 if there is no such helper. */
        int arity(MethodCallExpr call);

        /** The helper's body with its parameters bound to {@code arguments}. */
        Expr inline(MethodCallExpr call, List<Expr> arguments);
    }

    private final ExprFactory factory;
    private final Map<String, Expr> scope;
    private final String sourceName;
    private final String source;
    private final HelperCalls helpers;
    /**
     * A method body's arrays by name (parameters and local arrays); null for loss strings, which declare
     * vectors by element name ({@code "w[0]"} ...) in {@code scope} instead.
     */
    private final Map<String, MethodArray> arrays;
    /** A method body's {@code int} locals and unrolled loop variables, compile-time constants; empty for strings. */
    private final Map<String, Integer> integers;
    /** The variables of the enclosing index loops; empty for strings. */
    private final Map<String, Index> indices;
    private final ArrayElements elements;

    ExpressionLowering(ExprFactory factory, Map<String, Expr> scope, String sourceName, String source) {
        this.factory = factory;
        this.scope = scope;
        this.arrays = null;
        this.integers = Map.of();
        this.indices = Map.of();
        this.sourceName = sourceName;
        this.source = source;
        this.helpers = null;
        this.elements = null;
    }

    /** For a method body: the variables of {@code locals}, helpers inlined by {@code helpers}. */
    ExpressionLowering(ExprFactory factory, Locals locals, String sourceName, String source, HelperCalls helpers) {
        this.factory = factory;
        this.scope = locals.doubles();
        this.arrays = locals.arrays();
        this.integers = locals.integers();
        this.indices = locals.indices();
        this.sourceName = sourceName;
        this.source = source;
        this.helpers = helpers;
        this.elements = new ArrayElements(factory, sourceName, source);
    }

    /** Lowers an expression that must be a number. */
    Expr lowerNumber(Expression root) {
        return asNumber(lower(root), root);
    }

    /** Lowers an expression that must be a condition. */
    Condition lowerCondition(Expression root) {
        return asCondition(lower(root), root);
    }

    /** The value of a constant {@code int} expression ({@code 30}, {@code n - 1}, {@code w.length}), or null. */
    Integer lowerConstantInt(Expression root) {
        return lower(root) instanceof IntegerValue integer && !integer.isLong() ? (int) integer.value() : null;
    }

    /** The positions of {@code array[i]...} in a method body, the target of a write; checked as for a read. */
    List<IndexTerm> lowerPositions(ArrayAccessExpr access, MethodArray array) {
        List<Expression> positions = ArrayElements.positions(access);
        elements.checkRank(access, array, positions.size());
        List<IndexTerm> at = new ArrayList<>();
        for (int d = 0; d < positions.size(); d++) {
            at.add(position(array, d, positions.get(d), lower(positions.get(d))));
        }
        return at;
    }

    private Value lower(Expression root) {
        Map<Expression, Value> done = new IdentityHashMap<>();
        Deque<Expression> stack = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        stack.push(root);
        expanded.push(false);
        while (!stack.isEmpty()) {
            Expression node = stack.pop();
            boolean childrenDone = expanded.pop();
            if (childrenDone) {
                done.put(node, combine(node, done));
                continue;
            }
            List<Expression> children = operandsOf(node);
            stack.push(node);
            expanded.push(true);
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
                expanded.push(false);
            }
        }
        return take(done, root);
    }

    /**
     * An operand's value, removed as it is read: each is read once, by its parent, so the map holds only
     * the values still pending rather than the whole tree (growing to W5's 268,000-character tree rehashed
     * it a dozen times, 5% of that compile).
     */
    private static Value take(Map<Expression, Value> done, Expression operand) {
        return done.remove(operand);
    }

    /** Checks that the node is part of the language and returns the operands to lower first. */
    private List<Expression> operandsOf(Expression node) {
        if (node instanceof EnclosedExpr enclosed) {
            return List.of(enclosed.getInner());
        }
        if (node instanceof BinaryExpr binary) {
            checkBinaryOperator(binary);
            return List.of(binary.getLeft(), binary.getRight());
        }
        if (node instanceof UnaryExpr unary) {
            switch (unary.getOperator()) {
                case PLUS, MINUS, LOGICAL_COMPLEMENT -> {
                }
                case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
                        throw error(node, "increment and decrement operators are not allowed: a loss cannot assign");
                case BITWISE_COMPLEMENT -> throw error(node, "operator '~' is not supported; a loss computes with doubles");
            }
            return List.of(unary.getExpression());
        }
        if (node instanceof ConditionalExpr conditional) {
            return List.of(conditional.getCondition(), conditional.getThenExpr(), conditional.getElseExpr());
        }
        if (node instanceof MethodCallExpr call) {
            checkCall(call);
            return call.getArguments();
        }
        if (node instanceof ArrayAccessExpr access) {
            // The array's name is not a value; only the positions are lowered first.
            return arrays == null ? List.of(access.getIndex()) : ArrayElements.positions(access);
        }
        if (node instanceof FieldAccessExpr field && arrays != null && field.getScope() instanceof ArrayAccessExpr row) {
            // V[m].length: the position is checked like any other.
            return ArrayElements.positions(row);
        }
        if (node instanceof FieldAccessExpr || node instanceof NameExpr || node instanceof IntegerLiteralExpr
                || node instanceof LongLiteralExpr || node instanceof DoubleLiteralExpr
                || node instanceof BooleanLiteralExpr) {
            return List.of();
        }
        throw error(node, Unsupported.describe(node) + " not allowed in a loss");
    }

    private void checkBinaryOperator(BinaryExpr binary) {
        switch (binary.getOperator()) {
            case PLUS, MINUS, MULTIPLY, DIVIDE, LESS, LESS_EQUALS, GREATER, GREATER_EQUALS, EQUALS, NOT_EQUALS, AND, OR -> {
            }
            default -> throw error(binary, "operator '" + binary.getOperator().asString() + "' is not supported");
        }
    }

    private void checkCall(MethodCallExpr call) {
        String name = call.getNameAsString();
        if (helpers != null && call.getScope().isEmpty()) {
            int arity = helpers.arity(call);
            if (arity >= 0) {
                if (call.getArguments().size() != arity) {
                    throw error(call, "method " + name + " takes " + arity + (arity == 1 ? " argument" : " arguments")
                            + " but " + call.getArguments().size() + " given");
                }
                return;
            }
        }
        if (call.getScope().isEmpty() || !isFunctionClass(call.getScope().get())) {
            throw error(call, "unsupported call '" + qualifiedName(call) + "'; only Math functions can be called");
        }
        if (call.getTypeArguments().isPresent()) {
            throw error(call, "type arguments are not allowed in a loss");
        }
        int arity = Functions.arity(((NameExpr) call.getScope().get()).getNameAsString(), name);
        if (arity < 0) {
            throw error(call, "unsupported call '" + qualifiedName(call) + "'; supported: " + Functions.names());
        }
        if (call.getArguments().size() != arity) {
            throw error(call, qualifiedName(call) + " takes " + arity + (arity == 1 ? " argument" : " arguments")
                    + " but " + call.getArguments().size() + " given");
        }
    }

    /**
     * {@code a.b.name} for a call or field access, built without JavaParser's recursive printer (a
     * chain can be as long as the input); chains longer than four names start with "...".
     */
    static String qualifiedName(Expression expression) {
        StringBuilder name = new StringBuilder();
        Expression current = expression;
        for (int depth = 0; current != null; depth++) {
            String part;
            Expression next;
            if (current instanceof MethodCallExpr call) {
                part = call.getNameAsString();
                next = call.getScope().orElse(null);
            } else if (current instanceof FieldAccessExpr field) {
                part = field.getNameAsString();
                next = field.getScope();
            } else if (current instanceof NameExpr simple) {
                part = simple.getNameAsString();
                next = null;
            } else {
                part = "(...)";
                next = null;
            }
            if (depth == 4 && next != null) {
                name.insert(0, "...");
                break;
            }
            name.insert(0, (name.length() == 0 ? "" : ".")).insert(0, part);
            current = next;
        }
        return name.toString();
    }

    /**
     * {@code w[k]} in a loss string: the variable {@code "w[k]"} of a vector declared as {@code w[n]}. The index must be a
     * constant {@code int} expression (folded as javac folds it) between 0 and n - 1.
     */
    private Expr element(ArrayAccessExpr access, Value index) {
        if (!(access.getName() instanceof NameExpr name)) {
            throw error(access.getName(), "only a declared vector can be indexed, like w[0]");
        }
        String vector = name.getNameAsString();
        // Look the element up directly: counting the vector's length on every access would make a loss
        // with n accesses to a vector of n cost n² lookups. The length is only needed for the message.
        if (!scope.containsKey(vector + "[0]")) {
            throw error(name, scope.containsKey(vector)
                    ? "'" + vector + "' is not a vector; declare it with a length, like " + vector + "[3], to index it"
                    : "unknown vector '" + vector + "'");
        }
        if (!(index instanceof IntegerValue constant) || constant.isLong()) {
            throw error(access.getIndex(), "the index of " + vector + " must be a constant int expression, like "
                    + vector + "[2] or " + vector + "[1 + 1]");
        }
        Expr element = constant.value() < 0 ? null : scope.get(vector + "[" + constant.value() + "]");
        if (element == null) {
            int length = vectorLength(vector);
            throw error(access.getIndex(), "index " + constant.value() + " is out of range for " + vector + "[" + length
                    + "] (0 to " + (length - 1) + ")");
        }
        return element;
    }

    /** {@code w[k]} or {@code V[m][j]} in a method body: an element of a parameter or local array. */
    private Expr arrayElement(ArrayAccessExpr access, Map<Expression, Value> done) {
        MethodArray array = indexedArray(ArrayElements.base(access));
        List<Expression> positions = ArrayElements.positions(access);
        elements.checkRank(access, array, positions.size());
        List<IndexTerm> at = new ArrayList<>();
        for (int d = 0; d < positions.size(); d++) {
            at.add(position(array, d, positions.get(d), take(done, positions.get(d))));
        }
        return elements.read(array, at, access);
    }

    /** Position {@code dimension} of an access: a constant int or the variable of an index loop. */
    private IndexTerm position(MethodArray array, int dimension, Expression where, Value value) {
        if (value instanceof IntegerValue constant && !constant.isLong()) {
            return elements.fixed(array, dimension, constant.value(), where);
        }
        if (value instanceof IndexValue index) {
            return elements.index(array, dimension, index.variable(), index.index(), where);
        }
        throw error(where, "the index of " + array.name() + " must be a constant int expression, like "
                + array.name() + "[2], " + array.name() + "[n - 1] or " + array.name() + "[j] in a for loop");
    }

    private MethodArray indexedArray(Expression base) {
        return elements.array(base, arrays, name -> scope.containsKey(name) || integers.containsKey(name)
                || indices.containsKey(name));
    }

    /** {@code x.length}, {@code V.length}, {@code V[m].length}: an extent, a constant. */
    private Value arrayLength(FieldAccessExpr field, Map<Expression, Value> done) {
        Expression scopeExpr = field.getScope();
        MethodArray array = indexedArray(scopeExpr instanceof ArrayAccessExpr row ? ArrayElements.base(row) : scopeExpr);
        int dimension = 0;
        if (scopeExpr instanceof ArrayAccessExpr row) {
            List<Expression> positions = ArrayElements.positions(row);
            if (positions.size() >= array.rank()) {
                throw error(field, "an element of '" + array.name() + "' is a double and has no length");
            }
            for (int d = 0; d < positions.size(); d++) {
                position(array, d, positions.get(d), take(done, positions.get(d)));
            }
            dimension = positions.size();
        }
        return new IntegerValue(array.shape().get(dimension), false);
    }

    /** The declared length of vector {@code name} (its elements are {@code name[0]} ...), or 0. */
    private int vectorLength(String name) {
        int length = 0;
        while (scope.containsKey(name + "[" + length + "]")) {
            length++;
        }
        return length;
    }

    private static boolean isMathClass(Expression scopeExpr) {
        return scopeExpr instanceof NameExpr name
                && (name.getNameAsString().equals("Math") || name.getNameAsString().equals("StrictMath"));
    }

    /** {@code Math}, {@code StrictMath}, or {@code StableMath} (whose functions the simplifier introduces). */
    private static boolean isFunctionClass(Expression scopeExpr) {
        return isMathClass(scopeExpr)
                || scopeExpr instanceof NameExpr name && name.getNameAsString().equals(Functions.STABLE_MATH);
    }

    private Value combine(Expression node, Map<Expression, Value> done) {
        if (node instanceof EnclosedExpr enclosed) {
            return take(done, enclosed.getInner());
        }
        if (node instanceof ArrayAccessExpr access) {
            return new NumberValue(arrays == null ? element(access, take(done, access.getIndex()))
                    : arrayElement(access, done));
        }
        if (node instanceof NameExpr name) {
            Integer integer = integers.get(name.getNameAsString());
            if (integer != null) {
                return new IntegerValue(integer, false);
            }
            Index index = indices.get(name.getNameAsString());
            if (index != null) {
                return new IndexValue(name.getNameAsString(), index);
            }
            Expr variable = scope.get(name.getNameAsString());
            if (variable == null && scope.containsKey(name.getNameAsString())) {
                throw error(node, "variable '" + name.getNameAsString() + "' might not have been initialized");
            }
            if (variable == null && arrays != null && arrays.containsKey(name.getNameAsString())) {
                MethodArray array = arrays.get(name.getNameAsString());
                throw error(node, "'" + array.name() + "' is a " + array.typeName() + (array.rank() == 1
                        ? " of length " + array.shape().get(0) : " of shape " + ArrayShapes.spelled(array.shape()))
                        + "; use one element, like " + array.firstElement());
            }
            if (variable == null && scope.containsKey(name.getNameAsString() + "[0]")) {
                throw error(node, "'" + name.getNameAsString() + "' is a vector of " + vectorLength(name.getNameAsString())
                        + "; use one element, like " + name.getNameAsString() + "[0]");
            }
            if (variable == null) {
                throw error(node, "unknown identifier '" + name.getNameAsString() + "'");
            }
            return new NumberValue(variable);
        }
        if (node instanceof IntegerLiteralExpr literal) {
            return integerLiteral(literal, literal.getValue(), false);
        }
        if (node instanceof LongLiteralExpr literal) {
            return integerLiteral(literal, literal.getValue(), true);
        }
        if (node instanceof DoubleLiteralExpr literal) {
            return floatingPointLiteral(literal);
        }
        if (node instanceof BooleanLiteralExpr literal) {
            return new ConditionValue(factory.bool(literal.getValue()));
        }
        if (node instanceof FieldAccessExpr field) {
            if (arrays != null && field.getNameAsString().equals("length") && (field.getScope() instanceof ArrayAccessExpr
                    || field.getScope() instanceof NameExpr array && arrays.containsKey(array.getNameAsString()))) {
                return arrayLength(field, done);
            }
            return new NumberValue(factory.constant(mathConstant(field)));
        }
        if (node instanceof UnaryExpr unary) {
            return unary(unary, take(done, unary.getExpression()));
        }
        if (node instanceof BinaryExpr binary) {
            return binary(binary, take(done, binary.getLeft()), take(done, binary.getRight()));
        }
        if (node instanceof ConditionalExpr conditional) {
            Condition test = asCondition(take(done, conditional.getCondition()), conditional.getCondition());
            Value ifTrue = take(done, conditional.getThenExpr());
            Value ifFalse = take(done, conditional.getElseExpr());
            if (test instanceof BooleanConstant constant && !(ifTrue instanceof ConditionValue)
                    && !(ifFalse instanceof ConditionValue)) {
                // A constant test selects at compile time; the result has the type of the whole
                // conditional, both branches promoted (JLS 15.25): true ? 1 : w is a double.
                Value chosen = constant.value() ? ifTrue : ifFalse;
                Expression chosenSyntax = constant.value() ? conditional.getThenExpr() : conditional.getElseExpr();
                asNumber(constant.value() ? ifFalse : ifTrue, constant.value() ? conditional.getElseExpr()
                        : conditional.getThenExpr());
                if (chosen instanceof IntegerValue && isInteger(ifTrue) && isInteger(ifFalse)
                        && !(ifTrue instanceof IntegerExpression) && !(ifFalse instanceof IntegerExpression)) {
                    return chosen;
                }
                if (isFloatConstant(ifTrue) && isFloatConstant(ifFalse)) {
                    return new FloatValue(floatOf(chosen));
                }
                if (isInteger(ifTrue) && isInteger(ifFalse)) {
                    return new IntegerExpression(asNumber(chosen, chosenSyntax));
                }
                return new NumberValue(asNumber(chosen, chosenSyntax));
            }
            Expr selected = factory.conditional(test, asNumber(ifTrue, conditional.getThenExpr()),
                    asNumber(ifFalse, conditional.getElseExpr()));
            return isInteger(ifTrue) && isInteger(ifFalse) ? new IntegerExpression(selected) : new NumberValue(selected);
        }
        if (node instanceof MethodCallExpr call) {
            List<Value> arguments = new ArrayList<>();
            for (Expression argument : call.getArguments()) {
                arguments.add(take(done, argument));
            }
            return call(call, arguments);
        }
        throw error(node, Unsupported.describe(node) + " not allowed in a loss");
    }

    private Value integerLiteral(Expression node, String text, boolean isLong) {
        long value;
        try {
            value = Literals.parseInteger(text, isLong);
        } catch (NumberFormatException e) {
            throw error(node, (isLong ? "long" : "integer") + " number too large: " + text);
        }
        // 2147483648 and 9223372036854775808L exist only as the operand of unary minus (JLS 3.10.1).
        boolean minValueMagnitude = isLong ? value == Long.MIN_VALUE : value == 1L << 31;
        if (minValueMagnitude && !(node.getParentNode().orElse(null) instanceof UnaryExpr unary
                && unary.getOperator() == UnaryExpr.Operator.MINUS)) {
            throw error(node, (isLong ? "long" : "integer") + " number too large: " + text);
        }
        return new IntegerValue(value, isLong);
    }

    private Value floatingPointLiteral(DoubleLiteralExpr literal) {
        String text = literal.getValue();
        boolean isFloat = text.endsWith("f") || text.endsWith("F");
        double value = Literals.parseFloatingPoint(text);
        if (Double.isInfinite(value)) {
            throw error(literal, "floating-point number too large: " + text);
        }
        if (value == 0.0 && Literals.hasNonZeroDigit(text)) {
            throw error(literal, "floating-point number too small: " + text);
        }
        return isFloat ? new FloatValue((float) value) : new NumberValue(factory.constant(value));
    }

    private double mathConstant(FieldAccessExpr field) {
        String name = field.getNameAsString();
        if (isMathClass(field.getScope()) && field.getTypeArguments().isEmpty()) {
            if (name.equals("PI")) {
                return Math.PI;
            }
            if (name.equals("E")) {
                return Math.E;
            }
        }
        throw error(field, "unsupported field '" + qualifiedName(field) + "'; only Math.PI and Math.E can be used");
    }

    private Value unary(UnaryExpr node, Value operand) {
        return switch (node.getOperator()) {
            case PLUS -> {
                if (operand instanceof ConditionValue) {
                    throw error(node, "operator '+' needs a number, not a condition");
                }
                yield operand;
            }
            case MINUS -> {
                if (operand instanceof IntegerValue integer) {
                    yield new IntegerValue(integer.isLong() ? -integer.value() : (int) -integer.value(), integer.isLong());
                }
                if (operand instanceof FloatValue floating) {
                    yield new FloatValue(-floating.value());
                }
                if (operand instanceof IntegerExpression integer) {
                    yield new IntegerExpression(factory.neg(integer.expr()));
                }
                yield new NumberValue(factory.neg(asNumber(operand, node.getExpression())));
            }
            case LOGICAL_COMPLEMENT -> {
                Condition negated = asCondition(operand, node.getExpression());
                yield new ConditionValue(negated instanceof BooleanConstant constant
                        ? factory.bool(!constant.value()) : factory.not(negated));
            }
            default -> throw new IllegalStateException("checked before lowering: " + node.getOperator());
        };
    }

    private Value binary(BinaryExpr node, Value left, Value right) {
        BinaryExpr.Operator operator = node.getOperator();
        switch (operator) {
            case AND, OR -> {
                Logical.Operator op = operator == BinaryExpr.Operator.AND ? Logical.Operator.AND : Logical.Operator.OR;
                Condition a = asCondition(left, node.getLeft());
                Condition b = asCondition(right, node.getRight());
                if (a instanceof BooleanConstant x && b instanceof BooleanConstant y) {
                    return new ConditionValue(factory.bool(op == Logical.Operator.AND ? x.value() && y.value()
                            : x.value() || y.value()));
                }
                return new ConditionValue(factory.logical(op, a, b));
            }
            case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS, EQUALS, NOT_EQUALS -> {
                CompareOp op = compareOp(operator);
                if (left instanceof IntegerValue a && right instanceof IntegerValue b && !a.isLong() && !b.isLong()) {
                    // The same fold as below, without building constant nodes: an unrolled loop tests its
                    // bound once per iteration.
                    return new ConditionValue(factory.bool(op.test(a.value(), b.value())));
                }
                Expr a = asNumber(left, node.getLeft());
                Expr b = asNumber(right, node.getRight());
                if (a instanceof Constant x && b instanceof Constant y) {
                    // Comparisons of constants are constant expressions in Java (JLS 15.29).
                    return new ConditionValue(factory.bool(op.test(x.value(), y.value())));
                }
                return new ConditionValue(factory.compare(op, a, b));
            }
            default -> {
                if (left instanceof IntegerValue a && right instanceof IntegerValue b) {
                    return integerArithmetic(node, a, b);
                }
                if (isFloatConstant(left) && isFloatConstant(right)
                        && (left instanceof FloatValue || right instanceof FloatValue)) {
                    return floatArithmetic(node, floatOf(left), floatOf(right));
                }
                if (isInteger(left) && isInteger(right)) {
                    if (operator == BinaryExpr.Operator.DIVIDE) {
                        throw error(node, "integer division of a value that is not a compile-time constant is not"
                                + " supported; write a double literal such as 2.0");
                    }
                }
                BinaryOp op = switch (operator) {
                    case PLUS -> BinaryOp.ADD;
                    case MINUS -> BinaryOp.SUB;
                    case MULTIPLY -> BinaryOp.MUL;
                    case DIVIDE -> BinaryOp.DIV;
                    default -> throw new IllegalStateException("checked before lowering: " + operator);
                };
                Expr result = factory.binary(op, asNumber(left, node.getLeft()), asNumber(right, node.getRight()));
                // int + - * int stays int (exact in a double up to 2^53; Java would wrap at 2^31).
                return isInteger(left) && isInteger(right) ? new IntegerExpression(result) : new NumberValue(result);
            }
        }
    }

    /** Java's {@code int}/{@code long} arithmetic, wrapping on overflow, as javac folds constants. */
    private Value integerArithmetic(BinaryExpr node, IntegerValue a, IntegerValue b) {
        boolean isLong = a.isLong() || b.isLong();
        long x = a.value();
        long y = b.value();
        long result = switch (node.getOperator()) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> {
                if (y == 0) {
                    throw error(node, "integer division by zero");
                }
                yield isLong ? x / y : (int) x / (int) y;
            }
            default -> throw new IllegalStateException("checked before lowering: " + node.getOperator());
        };
        return new IntegerValue(isLong ? result : (int) result, isLong);
    }

    private static boolean isInteger(Value value) {
        return value instanceof IntegerValue || value instanceof IntegerExpression;
    }

    private static boolean isFloatConstant(Value value) {
        return value instanceof FloatValue || value instanceof IntegerValue;
    }

    private static float floatOf(Value value) {
        return value instanceof FloatValue floating ? floating.value() : (float) ((IntegerValue) value).value();
    }

    /** Java's {@code float} arithmetic on constants, rounded to float after each operation. */
    private static Value floatArithmetic(BinaryExpr node, float x, float y) {
        return new FloatValue(switch (node.getOperator()) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            default -> throw new IllegalStateException("checked before lowering: " + node.getOperator());
        });
    }

    private Value call(MethodCallExpr call, List<Value> arguments) {
        String name = call.getNameAsString();
        if (helpers != null && call.getScope().isEmpty()) {
            List<Expr> numbers = new ArrayList<>();
            for (int i = 0; i < arguments.size(); i++) {
                numbers.add(asNumber(arguments.get(i), call.getArgument(i)));
            }
            return new NumberValue(helpers.inline(call, numbers));
        }
        boolean allIntegers = arguments.stream().allMatch(IntegerValue.class::isInstance);
        if (allIntegers && Functions.hasIntegerOverload(name)) {
            return integerFunction(name, arguments);
        }
        boolean integerResult = Functions.hasIntegerOverload(name) && arguments.stream().allMatch(v -> isInteger(v));
        // checkCall has made sure the scope is Math, StrictMath or StableMath.
        String owner = ((NameExpr) call.getScope().get()).getNameAsString();
        UnaryOp unary = Functions.unary(owner, name);
        Expr result = unary != null
                ? factory.unary(unary, asNumber(arguments.get(0), call.getArgument(0)))
                : factory.binary(Functions.binary(owner, name), asNumber(arguments.get(0), call.getArgument(0)),
                        asNumber(arguments.get(1), call.getArgument(1)));
        return integerResult ? new IntegerExpression(result) : new NumberValue(result);
    }

    /** {@code Math.abs/max/min} on integers are the integer overloads in Java; fold them the same way. */
    private static Value integerFunction(String name, List<Value> arguments) {
        IntegerValue a = (IntegerValue) arguments.get(0);
        boolean isLong = arguments.stream().anyMatch(v -> ((IntegerValue) v).isLong());
        long result = switch (name) {
            case "abs" -> isLong ? Math.abs(a.value()) : Math.abs((int) a.value());
            case "max" -> Math.max(a.value(), ((IntegerValue) arguments.get(1)).value());
            case "min" -> Math.min(a.value(), ((IntegerValue) arguments.get(1)).value());
            default -> throw new IllegalStateException("no integer overload of Math." + name);
        };
        return new IntegerValue(result, isLong);
    }

    private static CompareOp compareOp(BinaryExpr.Operator operator) {
        return switch (operator) {
            case LESS -> CompareOp.LT;
            case LESS_EQUALS -> CompareOp.LE;
            case GREATER -> CompareOp.GT;
            case GREATER_EQUALS -> CompareOp.GE;
            case EQUALS -> CompareOp.EQ;
            case NOT_EQUALS -> CompareOp.NE;
            default -> throw new IllegalStateException("not a comparison: " + operator);
        };
    }

    private Expr asNumber(Value value, Expression where) {
        if (value instanceof NumberValue number) {
            return number.expr();
        }
        if (value instanceof IntegerValue integer) {
            return factory.constant((double) integer.value());
        }
        if (value instanceof FloatValue floating) {
            return factory.constant((double) floating.value());
        }
        if (value instanceof IntegerExpression integer) {
            return integer.expr();
        }
        if (value instanceof IndexValue index) {
            // Loops that use their variable as a number are unrolled instead; this guards the rule.
            throw error(where, "loop variable '" + index.variable() + "' runs over array positions here; it can only"
                    + " index an array, like x[" + index.variable() + "]");
        }
        throw error(where, "expected a number but found a condition");
    }

    private Condition asCondition(Value value, Expression where) {
        if (value instanceof ConditionValue condition) {
            return condition.condition();
        }
        throw error(where, "expected a condition (a comparison such as 'x > 0') but found a number");
    }

    private CompileError error(Node node, String reason) {
        return errorAt(sourceName, source, node, reason);
    }

    /** A positioned error at the start of a JavaParser node. */
    static CompileError errorAt(String sourceName, String source, Node node, String reason) {
        SourcePosition position = node.getBegin()
                .map(ExpressionLowering::toPosition)
                .orElse(SourcePosition.START);
        return new CompileError(sourceName, source, position, reason);
    }

    static SourcePosition toPosition(Position position) {
        return new SourcePosition(Math.max(1, position.line), Math.max(1, position.column));
    }
}
