package dev.symgrad.compiler.properties;

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
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;

import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation of a loss syntax tree with Java's semantics on Hipparchus {@link DerivativeStructure}s,
 * recording on the way what {@link DerivativeOracle} reports: finiteness, the size of intermediates, and
 * the kinks passed with the side taken.
 */
final class JavaEvaluation {

    /** A value of the Java expression: a double with derivatives, an int/long, or a boolean. */
    sealed interface Value permits Real, Whole, Truth {
    }

    /** A {@code double}, with the largest intermediate magnitude that went into it. */
    record Real(DerivativeStructure ds, double magnitude) implements Value {
    }

    /** An {@code int} or {@code long}; {@code constant} if symgrad folds it at compile time. */
    record Whole(long value, boolean isLong, boolean constant) implements Value {
    }

    record Truth(boolean value, boolean constant) implements Value {
    }

    /** Java would throw: an integer division by zero. */
    static final class NotEvaluable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotEvaluable() {
            super(null, null, false, false);
        }
    }

    private final DSFactory factory;
    private final List<String> parameters;
    private final List<String> inputs;
    private final double[] params;
    private final double[] example;
    private final List<DerivativeOracle.Kink> kinks = new ArrayList<>();
    private final StringBuilder path = new StringBuilder();
    private boolean finite = true;
    private boolean wrappedAtRunTime;
    private double magnitude;

    JavaEvaluation(DSFactory factory, List<String> parameters, List<String> inputs, double[] params, double[] example) {
        this.factory = factory;
        this.parameters = parameters;
        this.inputs = inputs;
        this.params = params;
        this.example = example;
    }

    /** True if an {@code int} computed at run time (not folded by the compiler) overflowed and wrapped. */
    boolean wrappedAtRunTime() {
        return wrappedAtRunTime;
    }

    /** True if every double computed so far, with all its derivatives, was finite. */
    boolean finite() {
        return finite;
    }

    /** The largest absolute value or first derivative computed so far. */
    double magnitude() {
        return magnitude;
    }

    List<DerivativeOracle.Kink> kinks() {
        return List.copyOf(kinks);
    }

    /** One character per kink passed, saying which side was taken. */
    String path() {
        return path.toString();
    }

    static boolean isFinite(DerivativeStructure ds) {
        for (double d : ds.getAllDerivatives()) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code e}; only the taken branch of a conditional and of {@code && ||} is evaluated. */
    Value eval(Expression e) {
        if (e instanceof EnclosedExpr enclosed) {
            return eval(enclosed.getInner());
        }
        if (e instanceof IntegerLiteralExpr literal) {
            return new Whole(literal.asNumber().longValue(), false, true);
        }
        if (e instanceof LongLiteralExpr literal) {
            return new Whole(literal.asNumber().longValue(), true, true);
        }
        if (e instanceof DoubleLiteralExpr literal) {
            return seen(factory.constant(literal.asDouble()), 0);
        }
        if (e instanceof BooleanLiteralExpr literal) {
            return new Truth(literal.getValue(), true);
        }
        if (e instanceof NameExpr name) {
            return variable(name.getNameAsString());
        }
        if (e instanceof FieldAccessExpr field) {
            return switch (field.toString()) {
                case "Math.PI" -> seen(factory.constant(Math.PI), 0);
                case "Math.E" -> seen(factory.constant(Math.E), 0);
                default -> throw new IllegalArgumentException("not in the loss language: " + field);
            };
        }
        if (e instanceof UnaryExpr unary) {
            return unary(unary);
        }
        if (e instanceof BinaryExpr binary) {
            return binary(binary);
        }
        if (e instanceof ConditionalExpr conditional) {
            return conditional(conditional);
        }
        if (e instanceof MethodCallExpr call) {
            return call(call);
        }
        throw new IllegalArgumentException("not in the loss language: " + e);
    }

    private Value variable(String name) {
        int p = parameters.indexOf(name);
        if (p >= 0) {
            return seen(factory.variable(p, params[p]), 0);
        }
        int i = inputs.indexOf(name);
        if (i >= 0) {
            return seen(factory.constant(example[i]), 0);
        }
        throw new IllegalArgumentException("unknown name " + name);
    }

    private Value unary(UnaryExpr unary) {
        Value operand = eval(unary.getExpression());
        return switch (unary.getOperator()) {
            case PLUS -> operand;
            case MINUS -> operand instanceof Whole w
                    ? whole(-w.value, w.isLong, w.constant)
                    : seen(real(operand).ds.negate(), real(operand).magnitude);
            case LOGICAL_COMPLEMENT -> {
                Truth t = (Truth) operand;
                yield new Truth(!t.value, t.constant);
            }
            default -> throw new IllegalArgumentException("not in the loss language: " + unary);
        };
    }

    private Value binary(BinaryExpr binary) {
        BinaryExpr.Operator op = binary.getOperator();
        if (op == BinaryExpr.Operator.AND || op == BinaryExpr.Operator.OR) {
            Truth left = (Truth) eval(binary.getLeft());
            boolean decided = op == BinaryExpr.Operator.AND ? !left.value : left.value;
            if (decided) {
                return left;
            }
            Truth right = (Truth) eval(binary.getRight());
            return new Truth(right.value, left.constant && right.constant);
        }
        Value left = eval(binary.getLeft());
        Value right = eval(binary.getRight());
        return switch (op) {
            case LESS, LESS_EQUALS, GREATER, GREATER_EQUALS, EQUALS, NOT_EQUALS -> compare(binary, left, right);
            case PLUS, MINUS, MULTIPLY, DIVIDE -> left instanceof Whole a && right instanceof Whole b
                    ? integerArithmetic(op, a, b)
                    : arithmetic(op, real(left), real(right));
            default -> throw new IllegalArgumentException("not in the loss language: " + binary);
        };
    }

    private Value compare(BinaryExpr binary, Value leftValue, Value rightValue) {
        Real left = real(leftValue);
        Real right = real(rightValue);
        double l = left.ds.getValue();
        double r = right.ds.getValue();
        boolean result = switch (binary.getOperator()) {
            case LESS -> l < r;
            case LESS_EQUALS -> l <= r;
            case GREATER -> l > r;
            case GREATER_EQUALS -> l >= r;
            case EQUALS -> l == r;
            case NOT_EQUALS -> l != r;
            default -> throw new IllegalStateException();
        };
        kink("comparison " + binary, left.ds.subtract(right.ds), Math.max(left.magnitude, right.magnitude));
        path.append(result ? 'T' : 'F');
        boolean constant = leftValue instanceof Whole a && a.constant && rightValue instanceof Whole b && b.constant;
        return new Truth(result, constant);
    }

    private Value integerArithmetic(BinaryExpr.Operator op, Whole a, Whole b) {
        boolean isLong = a.isLong || b.isLong;
        boolean constant = a.constant && b.constant;
        long x = a.value;
        long y = b.value;
        return switch (op) {
            case PLUS -> whole(x + y, isLong, constant);
            case MINUS -> whole(x - y, isLong, constant);
            case MULTIPLY -> whole(x * y, isLong, constant);
            case DIVIDE -> {
                if (y == 0) {
                    throw new NotEvaluable();
                }
                yield whole(isLong ? x / y : (int) x / (int) y, isLong, constant);
            }
            default -> throw new IllegalStateException();
        };
    }

    private Value arithmetic(BinaryExpr.Operator op, Real a, Real b) {
        double scale = Math.max(a.magnitude, b.magnitude);
        return switch (op) {
            case PLUS -> seen(a.ds.add(b.ds), scale);
            case MINUS -> seen(a.ds.subtract(b.ds), scale);
            case MULTIPLY -> seen(a.ds.multiply(b.ds), scale);
            case DIVIDE -> seen(a.ds.divide(b.ds), scale);
            default -> throw new IllegalStateException();
        };
    }

    private Value conditional(ConditionalExpr conditional) {
        Truth test = (Truth) eval(conditional.getCondition());
        Expression other = test.value ? conditional.getElseExpr() : conditional.getThenExpr();
        Value taken = eval(test.value ? conditional.getThenExpr() : conditional.getElseExpr());
        // JLS 15.25: the type of c ? a : b is the promoted type of both branches, so an int branch
        // stays an int only if the other one is an int or a long too.
        JavaTypes.JavaType type = JavaTypes.typeOf(conditional);
        if (taken instanceof Whole w && (type == JavaTypes.JavaType.INT || type == JavaTypes.JavaType.LONG)) {
            boolean constant = test.constant && w.constant && JavaTypes.isConstantExpression(other);
            return whole(w.value, type == JavaTypes.JavaType.LONG, constant);
        }
        return real(taken);
    }

    private Value call(MethodCallExpr call) {
        String name = call.getNameAsString();
        List<Value> arguments = new ArrayList<>();
        for (Expression argument : call.getArguments()) {
            arguments.add(eval(argument));
        }
        boolean allWhole = arguments.stream().allMatch(Whole.class::isInstance);
        if (allWhole && (name.equals("abs") || name.equals("max") || name.equals("min"))) {
            return integerFunction(name, arguments);
        }
        Real a = real(arguments.get(0));
        DerivativeStructure x = a.ds;
        double scale = a.magnitude;
        if (arguments.size() == 2) {
            Real b = real(arguments.get(1));
            return twoArgumentFunction(name, a, b, mentionsParameter(call.getArgument(1)));
        }
        return switch (name) {
            case "exp" -> seen(x.exp(), scale);
            case "log" -> seen(x.log(), scale);
            case "log1p" -> seen(x.log1p(), scale);
            case "expm1" -> seen(x.expm1(), scale);
            case "sqrt" -> seen(x.sqrt(), scale);
            case "cbrt" -> seen(x.cbrt(), scale);
            case "sin" -> seen(x.sin(), scale);
            case "cos" -> seen(x.cos(), scale);
            case "tan" -> seen(x.tan(), scale);
            case "asin" -> seen(x.asin(), scale);
            case "acos" -> seen(x.acos(), scale);
            case "atan" -> seen(x.atan(), scale);
            case "sinh" -> seen(x.sinh(), scale);
            case "cosh" -> seen(x.cosh(), scale);
            case "tanh" -> seen(x.tanh(), scale);
            case "abs" -> {
                kink("abs", x, scale);
                // JAX: the derivative of abs is 1 at 0 (select(x >= 0, g, -g)).
                boolean nonNegative = x.getValue() >= 0;
                path.append(nonNegative ? '+' : '-');
                yield seen(withValue(nonNegative ? x : x.negate(), Math.abs(x.getValue())), scale);
            }
            default -> throw new IllegalArgumentException("not in the loss language: Math." + name);
        };
    }

    /**
     * {@code exponentMayVary}: the second argument mentions a parameter. Reverse mode then needs
     * ∂pow/∂exponent = log(base)·pow, NaN for a negative base even where the exponent's own
     * derivative is 0 (as in JAX), so such a pow is differentiated as a function of both operands.
     */
    private Value twoArgumentFunction(String name, Real a, Real b, boolean exponentMayVary) {
        DerivativeStructure x = a.ds;
        DerivativeStructure y = b.ds;
        double scale = Math.max(a.magnitude, b.magnitude);
        return switch (name) {
            case "max", "min" -> {
                kink(name, x.subtract(y), scale);
                double vx = x.getValue();
                double vy = y.getValue();
                boolean firstWins = name.equals("max") ? vx > vy : vx < vy;
                boolean secondWins = name.equals("max") ? vy > vx : vy < vx;
                path.append(firstWins ? '<' : secondWins ? '>' : '=');
                if (firstWins) {
                    yield seen(x, scale);
                }
                if (secondWins) {
                    yield seen(y, scale);
                }
                // A tie (or NaN): JAX splits the derivative evenly; the value is Math's.
                DerivativeStructure half = x.add(y).multiply(0.5);
                yield seen(withValue(half, name.equals("max") ? Math.max(vx, vy) : Math.min(vx, vy)), scale);
            }
            case "hypot" -> {
                // Hipparchus' hypot returns |y| when x is 2^27 times smaller, dropping x's derivatives: its
                // first derivative in x is ~0 there anyway, but its second is 1/|y| (HessianOracleTest). So
                // the full formula, scaled against overflow, with Java's value.
                double m = Math.max(Math.abs(x.getValue()), Math.abs(y.getValue()));
                DerivativeStructure h = m > 0 && Double.isFinite(m)
                        ? withValue(x.divide(m).multiply(x.divide(m)).add(y.divide(m).multiply(y.divide(m))).sqrt()
                                .multiply(m), Math.hypot(x.getValue(), y.getValue()))
                        : x.hypot(y);
                kink("hypot at the origin", h, scale);
                yield seen(h, scale);
            }
            case "pow" -> {
                // At base 0 the derivative is 0·∞ for exponent 0 and infinite for exponents below 1;
                // whether 0, NaN or ∞ comes out is a convention (JAX has changed its own), so it is a kink.
                kink("pow base", x, scale);
                if (exponentMayVary) {
                    // ∂pow/∂base is taken as 0 where the exponent is exactly 0 (README; jnp.where in JAX), so
                    // the second derivatives through the exponent jump there: at w = 0 in pow(h, tanh(w / b))
                    // symgrad gave ∂²/∂w² = -22.48 where the limit is -22.76 (a HessianOracleTest seed).
                    kink("pow exponent", y, scale);
                }
                yield seen(exponentMayVary ? x.pow(y) : powConstant(x, y.getValue()), scale);
            }
            default -> throw new IllegalArgumentException("not in the loss language: Math." + name);
        };
    }

    private Value integerFunction(String name, List<Value> arguments) {
        Whole a = (Whole) arguments.get(0);
        if (name.equals("abs")) {
            return whole(Math.abs(a.value), a.isLong, a.constant);
        }
        Whole b = (Whole) arguments.get(1);
        long value = name.equals("max") ? Math.max(a.value, b.value) : Math.min(a.value, b.value);
        return whole(value, a.isLong || b.isLong, a.constant && b.constant);
    }

    /**
     * {@code x^p} for a constant p through its Taylor coefficients; Hipparchus's own {@code pow(double)}
     * returns 0 with zero derivatives at x = 0 even for negative p, where Java gives infinity.
     */
    private DerivativeStructure powConstant(DerivativeStructure x, double p) {
        double base = x.getValue();
        double[] derivatives = new double[x.getOrder() + 1];
        double coefficient = 1;
        for (int k = 0; k < derivatives.length; k++) {
            derivatives[k] = coefficient == 0 ? 0 : coefficient * Math.pow(base, p - k);
            coefficient *= p - k;
        }
        return x.compose(derivatives);
    }

    /** {@code ds} with its value replaced, derivatives kept: where Java's value differs in sign of zero. */
    private DerivativeStructure withValue(DerivativeStructure ds, double value) {
        double[] all = ds.getAllDerivatives();
        all[0] = value;
        return factory.build(all);
    }

    private boolean mentionsParameter(Expression e) {
        return e.findFirst(NameExpr.class, name -> parameters.contains(name.getNameAsString())).isPresent();
    }

    /** Java's widening of int and long to double. */
    Real real(Value value) {
        if (value instanceof Real r) {
            return r;
        }
        if (value instanceof Whole w) {
            return (Real) seen(factory.constant((double) w.value), 0);
        }
        throw new IllegalArgumentException("a condition where a number is needed");
    }

    private Value whole(long value, boolean isLong, boolean constant) {
        long wrapped = isLong ? value : (int) value;
        wrappedAtRunTime |= wrapped != value && !constant;
        return new Whole(wrapped, isLong, constant);
    }

    private void kink(String what, DerivativeStructure gap, double scale) {
        kinks.add(new DerivativeOracle.Kink(what, gap, scale));
    }

    /** Records a computed double and returns it with the magnitude of everything that went into it. */
    private Value seen(DerivativeStructure ds, double operandMagnitude) {
        double own = Math.abs(ds.getValue());
        for (int p = 0; p < parameters.size(); p++) {
            int[] orders = new int[parameters.size()];
            orders[p] = 1;
            own = Math.max(own, Math.abs(ds.getPartialDerivative(orders)));
        }
        finite &= isFinite(ds);
        double total = Math.max(own, operandMagnitude);
        magnitude = Math.max(magnitude, total);
        return new Real(ds, total);
    }
}
