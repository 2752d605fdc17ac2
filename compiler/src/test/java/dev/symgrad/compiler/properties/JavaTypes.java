package dev.symgrad.compiler.properties;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;

/** Java's static typing of loss-language expressions (JLS 5.6, 15.25, 15.29), decided without evaluating them. */
final class JavaTypes {

    private JavaTypes() {
    }

    /** The static types of Java expressions that matter here. */
    enum JavaType {
        INT, LONG, DOUBLE, BOOLEAN;

        /** Binary numeric promotion (JLS 5.6). */
        static JavaType promote(JavaType a, JavaType b) {
            if (a == DOUBLE || b == DOUBLE) {
                return DOUBLE;
            }
            return a == LONG || b == LONG ? LONG : INT;
        }
    }

    /** The Java type of a loss-language expression, decided without evaluating it. */
    static JavaType typeOf(Expression e) {
        if (e instanceof EnclosedExpr enclosed) {
            return typeOf(enclosed.getInner());
        }
        if (e instanceof IntegerLiteralExpr) {
            return JavaType.INT;
        }
        if (e instanceof LongLiteralExpr) {
            return JavaType.LONG;
        }
        if (e instanceof BooleanLiteralExpr) {
            return JavaType.BOOLEAN;
        }
        if (e instanceof UnaryExpr unary) {
            return unary.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT
                    ? JavaType.BOOLEAN : typeOf(unary.getExpression());
        }
        if (e instanceof BinaryExpr binary) {
            return switch (binary.getOperator()) {
                case PLUS, MINUS, MULTIPLY, DIVIDE -> JavaType.promote(typeOf(binary.getLeft()), typeOf(binary.getRight()));
                default -> JavaType.BOOLEAN;
            };
        }
        if (e instanceof ConditionalExpr conditional) {
            return JavaType.promote(typeOf(conditional.getThenExpr()), typeOf(conditional.getElseExpr()));
        }
        if (e instanceof MethodCallExpr call) {
            String name = call.getNameAsString();
            boolean integerOverload = name.equals("abs") || name.equals("max") || name.equals("min");
            JavaType type = typeOf(call.getArgument(0));
            for (Expression argument : call.getArguments()) {
                type = JavaType.promote(type, typeOf(argument));
            }
            return integerOverload ? type : JavaType.DOUBLE;
        }
        return JavaType.DOUBLE;
    }

    /**
     * A compile-time constant in the sense symgrad folds: literals and operators on them, including
     * {@code Math.abs/max/min} of integers (which javac would leave to run time).
     */
    static boolean isConstantExpression(Expression e) {
        if (e instanceof NameExpr) {
            return false;
        }
        return e.getChildNodes().stream()
                .filter(Expression.class::isInstance)
                .filter(child -> !(e instanceof MethodCallExpr call && call.getScope().filter(child::equals).isPresent()))
                .allMatch(child -> isConstantExpression((Expression) child));
    }

    /** True if {@code e} contains an integer division ({@code int} or {@code long} typed) that javac cannot fold. */
    static boolean hasRunTimeIntegerDivision(Expression e) {
        return e.findFirst(BinaryExpr.class, division -> division.getOperator() == BinaryExpr.Operator.DIVIDE
                && (typeOf(division) == JavaType.INT || typeOf(division) == JavaType.LONG)
                && !(isConstantExpression(division.getLeft()) && isConstantExpression(division.getRight())))
                .isPresent();
    }

    /** True if {@code e} contains a conditional with two integer branches, an {@code int} or {@code long}. */
    static boolean hasIntegerConditional(Expression e) {
        return e.findFirst(ConditionalExpr.class, conditional -> typeOf(conditional) != JavaType.DOUBLE).isPresent();
    }
}
