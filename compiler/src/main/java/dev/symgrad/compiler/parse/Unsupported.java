package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;

/** Names Java constructs outside the loss language, for error messages in one voice. */
final class Unsupported {

    private Unsupported() {
    }

    /** A noun phrase with its verb, e.g. {@code "casts are"}, to be followed by "not allowed in a loss". */
    static String describe(Node node) {
        if (node instanceof CastExpr) {
            return "casts are";
        }
        if (node instanceof ObjectCreationExpr) {
            return "object creation ('new') is";
        }
        if (node instanceof AssignExpr) {
            return "assignment is";
        }
        if (node instanceof LambdaExpr) {
            return "lambda expressions are";
        }
        if (node instanceof MethodReferenceExpr) {
            return "method references are";
        }
        if (node instanceof TextBlockLiteralExpr || node instanceof StringLiteralExpr) {
            return "strings are";
        }
        if (node instanceof CharLiteralExpr) {
            return "character literals are";
        }
        if (node instanceof NullLiteralExpr) {
            return "'null' is";
        }
        if (node instanceof ArrayAccessExpr) {
            return "array access is";
        }
        if (node instanceof ArrayCreationExpr || node instanceof ArrayInitializerExpr) {
            return "arrays are";
        }
        if (node instanceof ThisExpr || node instanceof SuperExpr) {
            return "'this' and 'super' are";
        }
        if (node instanceof InstanceOfExpr) {
            return "'instanceof' is";
        }
        if (node instanceof SwitchExpr) {
            return "switch expressions are";
        }
        if (node instanceof ClassExpr) {
            return "class literals are";
        }
        return "this construct (" + node.getClass().getSimpleName().replace("Expr", " expression") + ") is";
    }
}
