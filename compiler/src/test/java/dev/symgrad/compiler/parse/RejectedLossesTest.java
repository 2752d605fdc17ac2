package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.diagnostic.CompileError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.symgrad.compiler.diagnostic.ErrorAssertions.INPUTS;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.PARAMETERS;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.assertError;
import static dev.symgrad.compiler.diagnostic.ErrorAssertions.assertRendering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every kind of text outside the loss language is refused with one positioned error. Each fixture is
 * the input and the exact headline; the caret line is checked too. All fixtures declare parameters
 * {@code w, b} and inputs {@code x, y}.
 */
class RejectedLossesTest {

    private static final String SUPPORTED = "exp, log, log1p, expm1, sqrt, cbrt, sin, cos, tan, asin, acos, atan,"
            + " sinh, cosh, tanh, abs, pow, max, min, hypot, StableMath.sigmoid, StableMath.logaddexp";

    @Nested
    class UnknownNames {

        @Test
        void rejectsAnUndeclaredVariableAtItsColumn() {
            assertError("w * x + q", "<expression>:1:9: error: unknown identifier 'q'");
        }

        @Test
        void rejectsTheClassNameMathUsedAsAValue() {
            assertError("Math * w", "<expression>:1:1: error: unknown identifier 'Math'");
        }

        @Test
        void reportsNonAsciiNamesAsWritten() {
            assertError("w * é", "<expression>:1:5: error: unknown identifier 'é'");
        }
    }

    @Nested
    class CallsOutsideMath {

        @Test
        void rejectsSystemExit() {
            assertError("System.exit(0)",
                    "<expression>:1:1: error: unsupported call 'System.exit'; only Math functions can be called");
        }

        @Test
        void rejectsRuntimeExecReportingTheWholeChain() {
            assertError("w + Runtime.getRuntime().exec(\"x\")", "<expression>:1:24: error: calls and fields on a value are not allowed in a loss");
        }

        @Test
        void rejectsReflection() {
            assertError("Class.forName(\"x\")",
                    "<expression>:1:1: error: unsupported call 'Class.forName'; only Math functions can be called");
        }

        @Test
        void rejectsUnqualifiedCalls() {
            assertError("x * foo(w)",
                    "<expression>:1:5: error: unsupported call 'foo'; only Math functions can be called");
        }

        @Test
        void rejectsFullyQualifiedMath() {
            // Only the simple names Math and StrictMath are trusted; a qualified name could be shadowed.
            assertError("java.lang.Math.exp(w)", "<expression>:1:10: error: only Math.NAME and StrictMath.NAME can be qualified; this name has more"
                    + " than one '.'");
        }

        @Test
        void rejectsTypeArguments() {
            assertError("Math.<Double>exp(w)", "<expression>:1:5: error: type arguments are not allowed in a loss");
        }

        @Test
        void rejectsMethodReferences() {
            assertError("Math::exp", "<expression>:1:1: error: method references are not allowed in a loss");
        }
    }

    @Nested
    class UnsupportedMathFunctions {

        @Test
        void rejectsFloorListingTheSupportedFunctions() {
            assertError("w * Math.floor(x)",
                    "<expression>:1:5: error: unsupported call 'Math.floor'; supported: " + SUPPORTED);
        }

        @Test
        void rejectsRandom() {
            assertError("Math.random()", "<expression>:1:1: error: unsupported call 'Math.random'; supported: " + SUPPORTED);
        }

        @Test
        void rejectsStrictMathFunctionsOutsideTheList() {
            assertThrows(CompileError.class, () -> Symgrad.compile("StrictMath.floor(w)", PARAMETERS, INPUTS));
        }

        @Test
        void namesStrictMathAsWritten() {
            assertError("StrictMath.floor(w)",
                    "<expression>:1:1: error: unsupported call 'StrictMath.floor'; supported: " + SUPPORTED);
        }
    }

    @Nested
    class WrongArity {

        @Test
        void rejectsTwoArgumentsToExp() {
            assertError("Math.exp(w, x)", "<expression>:1:1: error: Math.exp takes 1 argument but 2 given");
        }

        @Test
        void rejectsOneArgumentToPow() {
            assertError("1 + Math.pow(w)", "<expression>:1:5: error: Math.pow takes 2 arguments but 1 given");
        }

        @Test
        void rejectsThreeArgumentsToMax() {
            assertError("Math.max(w, x, y)", "<expression>:1:1: error: Math.max takes 2 arguments but 3 given");
        }

        @Test
        void rejectsNoArguments() {
            assertError("Math.sin()", "<expression>:1:1: error: Math.sin takes 1 argument but 0 given");
        }
    }

    @Nested
    class FieldAccess {

        @Test
        void rejectsSystemOut() {
            assertError("System.out",
                    "<expression>:1:1: error: unsupported field 'System.out'; only Math.PI and Math.E can be used");
        }

        @Test
        void rejectsMathFieldsOtherThanPiAndE() {
            assertError("w * Math.TAU",
                    "<expression>:1:5: error: unsupported field 'Math.TAU'; only Math.PI and Math.E can be used");
        }

        @Test
        void rejectsIntegerMinValue() {
            assertError("Integer.MIN_VALUE", "<expression>:1:1: error: unsupported field 'Integer.MIN_VALUE';"
                    + " only Math.PI and Math.E can be used");
        }

        @Test
        void rejectsFieldsOfVariables() {
            assertError("x.y", "<expression>:1:1: error: unsupported field 'x.y'; only Math.PI and Math.E can be used");
        }
    }

    @Nested
    class ObjectsAndArrays {

        @Test
        void rejectsObjectCreationInsideACallChain() {
            // The outer call is seen first; either way nothing is constructed.
            assertError("new java.io.File(\"x\").delete()", "<expression>:1:12: error: only Math.NAME and StrictMath.NAME can be qualified; this name has more"
                    + " than one '.'");
        }

        @Test
        void rejectsObjectCreation() {
            assertError("w + new Double(1)", "<expression>:1:5: error: object creation ('new') is not allowed in a loss");
        }

        @Test
        void rejectsArrays() {
            assertError("new double[] {1}",
                    "<expression>:1:11: error: arrays are not allowed in a loss; only an element of a declared vector, like w[0]");
            assertError("w[0][1]",
                    "<expression>:1:2: error: arrays are not allowed in a loss; only an element of a declared vector, like w[0]");
            assertError("w[0]", "<expression>:1:1: error: 'w' is not a vector; declare it with a length, like w[3], to index it");
        }

        @Test
        void rejectsNullThisAndClassLiterals() {
            assertError("null", "<expression>:1:1: error: 'null' is not allowed in a loss");
            assertError("this", "<expression>:1:1: error: 'this' and 'super' are not allowed in a loss");
            assertError("double.class", "<expression>:1:1: error: class literals are not allowed in a loss");
        }

        @Test
        void rejectsInstanceofAndSwitch() {
            assertError("w instanceof Double", "<expression>:1:1: error: 'instanceof' is not allowed in a loss");
            assertError("switch (1) { default -> w; }",
                    "<expression>:1:12: error: braces are not allowed in a loss expression");
        }
    }

    @Nested
    class Assignment {

        @Test
        void rejectsAssignment() {
            assertError("w = 1", "<expression>:1:3: error: assignment is not allowed in a loss");
        }

        @Test
        void rejectsCompoundAssignment() {
            assertError("x * (w += 1)", "<expression>:1:9: error: assignment is not allowed in a loss");
        }

        @Test
        void rejectsPostfixIncrement() {
            assertError("w++", "<expression>:1:1: error: increment and decrement operators are not allowed:"
                    + " a loss cannot assign");
        }

        @Test
        void rejectsPrefixDecrementAtItsColumn() {
            assertError("x + --w", "<expression>:1:5: error: increment and decrement operators are not allowed:"
                    + " a loss cannot assign");
        }
    }

    @Nested
    class Lambdas {

        @Test
        void rejectsLambdaWithoutParameters() {
            assertError("() -> w", "<expression>:1:4: error: lambda expressions are not allowed in a loss");
        }

        @Test
        void rejectsLambdaWithParameter() {
            assertError("a -> w * a", "<expression>:1:3: error: lambda expressions are not allowed in a loss");
        }
    }

    @Nested
    class StringsAndCharacters {

        @Test
        void rejectsStrings() {
            assertError("w + \"1\"", "<expression>:1:5: error: strings are not allowed in a loss");
        }

        @Test
        void rejectsCharacters() {
            assertError("w * 'c'", "<expression>:1:5: error: character literals are not allowed in a loss");
        }
    }

    @Nested
    class Casts {

        @Test
        void rejectsACastToDouble() {
            assertError("(double) w", "<expression>:1:1: error: casts are not allowed in a loss");
        }

        @Test
        void rejectsAnIntCastInsideAnExpression() {
            assertError("x * (int) w", "<expression>:1:5: error: casts are not allowed in a loss");
        }
    }

    @Nested
    class Operators {

        @Test
        void rejectsRemainderAtTheStartOfItsExpression() {
            assertError("w % x", "<expression>:1:1: error: operator '%' is not supported");
            assertError("b + w % x", "<expression>:1:5: error: operator '%' is not supported");
        }

        @ParameterizedTest
        @ValueSource(strings = {"&", "|", "^"})
        void rejectsBitwiseOperators(String operator) {
            assertError("w " + operator + " x", "<expression>:1:1: error: operator '" + operator + "' is not supported");
        }

        @ParameterizedTest
        @ValueSource(strings = {"<<", ">>", ">>>"})
        void rejectsShiftOperatorsAtTheOperator(String operator) {
            assertError("w " + operator + " x",
                    "<expression>:1:3: error: shift operators are not supported; a loss computes with doubles");
        }

        @Test
        void rejectsBitwiseComplement() {
            assertError("~w", "<expression>:1:1: error: operator '~' is not supported; a loss computes with doubles");
        }
    }

    @Nested
    class ConditionsAndNumbers {

        @Test
        void rejectsAComparisonUsedAsANumber() {
            assertError("(w > x) + 1", "<expression>:1:1: error: expected a number but found a condition");
        }

        @Test
        void rejectsALossThatIsACondition() {
            assertError("w > x", "<expression>:1:1: error: expected a number but found a condition");
        }

        @Test
        void rejectsNegatingACondition() {
            assertError("-(w > 0)", "<expression>:1:2: error: expected a number but found a condition");
            assertError("+(w > 0)", "<expression>:1:1: error: operator '+' needs a number, not a condition");
        }

        @Test
        void rejectsANumberUsedAsATest() {
            assertError("w ? 1 : 2", "<expression>:1:1: error: expected a condition (a comparison such as 'x > 0')"
                    + " but found a number");
        }

        @Test
        void rejectsNumbersAsLogicalOperands() {
            assertError("x > 0 && w ? w : b", "<expression>:1:10: error: expected a condition (a comparison such as"
                    + " 'x > 0') but found a number");
            assertError("!w ? 1 : 2", "<expression>:1:2: error: expected a condition (a comparison such as 'x > 0')"
                    + " but found a number");
        }

        @Test
        void rejectsAConditionAsABranch() {
            assertError("x > 0 ? w > 0 : w", "<expression>:1:9: error: expected a number but found a condition");
        }
    }

    @Nested
    class SyntaxErrors {

        @ParameterizedTest
        @ValueSource(strings = {"(w * x", "w * x)", "", "   ", "w * x; System.exit(0)", "w x", "w +", "w # x", "w @ x",
                "1.0.0", "0b2", "1e"})
        void rejectsMalformedTextAsACompileError(String source) {
            assertThrows(CompileError.class, () -> Symgrad.compile(source, PARAMETERS, INPUTS));
        }

        @Test
        void pointsAtTheOffendingToken() {
            assertError("w * x; System.exit(0)", "<expression>:1:6: error: unexpected ';'");
            assertError("w * x)", "<expression>:1:6: error: unexpected ')'");
            assertError("w x", "<expression>:1:3: error: unexpected 'x'");
        }

        @Test
        void pointsJustPastTheEndWhenInputStopsEarly() {
            assertError("(w * x", "<expression>:1:7: error: unexpected end of input");
            assertError("w +", "<expression>:1:4: error: unexpected end of input");
            assertError("", "<expression>:1:1: error: unexpected end of input");
        }

        @Test
        void pointsAtAnUnexpectedCharacter() {
            assertError("w # x", "<expression>:1:3: error: unexpected character");
        }
    }

    @Nested
    class IntegerArithmetic {

        @Test
        void rejectsIntegerDivisionByZero() {
            assertError("1/0", "<expression>:1:1: error: integer division by zero");
            assertError("w + 1 / 0L", "<expression>:1:5: error: integer division by zero");
        }

        @Test
        void rejectsIntegerLiteralsThatDoNotFitTheirType() {
            assertError("99999999999", "<expression>:1:1: error: integer number too large: 99999999999");
            assertError("w * 0x1FFFFFFFF", "<expression>:1:5: error: integer number too large: 0x1FFFFFFFF");
            assertError("08", "<expression>:1:1: error: integer number too large: 08");
        }

        @Test
        void rejectsTwoToTheThirtyOneWithoutUnaryMinus() {
            assertError("2147483648", "<expression>:1:1: error: integer number too large: 2147483648");
            assertError("-(2147483648)", "<expression>:1:3: error: integer number too large: 2147483648");
        }

        @Test
        void rejectsTwoToTheSixtyThreeWithoutUnaryMinus() {
            assertError("9223372036854775808L", "<expression>:1:1: error: long number too large: 9223372036854775808L");
        }

        @Test
        void rejectsFloatingPointLiteralsOutOfRange() {
            assertThrows(CompileError.class, () -> Symgrad.compile("w * 1e400", PARAMETERS, INPUTS));
            assertThrows(CompileError.class, () -> Symgrad.compile("w * 1e-400", PARAMETERS, INPUTS));
            assertThrows(CompileError.class, () -> Symgrad.compile("w * 3.5e38f", PARAMETERS, INPUTS));
        }
    }

    @Nested
    class Escapes {

        @Test
        void rejectsAUnicodeEscapeAtTheBackslash() {
            assertError("w \\u002a x", "<expression>:1:3: error: backslashes (Unicode escapes) are not allowed in a loss");
        }

        @Test
        void rejectsAnyBackslash() {
            assertError("w * x \\", "<expression>:1:7: error: backslashes (Unicode escapes) are not allowed in a loss");
        }
    }

    /** Java white space is space, tab, form feed, CR and LF (JLS §3.6); javac refuses any other space. */
    @Nested
    class Whitespace {

        private static final String ONLY_JAVA_WHITESPACE =
                "Java whitespace is space, tab, form feed and line terminators";

        @Test
        void rejectsANoBreakSpaceInAPlainExpression() {
            // Without the U+00A0 this is the fast path's subset.
            assertError("w\u00a0*\u00a0x",
                    "<expression>:1:2: error: illegal character '\\u00a0' (NO-BREAK SPACE): " + ONLY_JAVA_WHITESPACE);
        }

        @Test
        void rejectsAnEmSpaceInAnExpressionForJavaParser() {
            // The hex literal and the tab send this to JavaParser.
            assertError("0x1F *\tw\u2003* x",
                    "<expression>:1:9: error: illegal character '\\u2003' (EM SPACE): " + ONLY_JAVA_WHITESPACE);
        }

        @Test
        void rejectsAnIdeographicSpaceOnALaterLine() {
            assertError("w *\r\n\u3000x",
                    "<expression>:2:1: error: illegal character '\\u3000' (IDEOGRAPHIC SPACE): " + ONLY_JAVA_WHITESPACE);
        }

        @Test
        void rejectsAVerticalTabBeforeACast() {
            assertError("(\u000bdouble) w",
                    "<expression>:1:2: error: illegal character '\\u000b' (LINE TABULATION): " + ONLY_JAVA_WHITESPACE);
        }

        @Test
        void rejectsEverySpaceCharacterThatIsNotJavaWhitespace() {
            int refused = 0;
            for (char c = 0; c < 0xffff; c++) {
                if ((Character.isWhitespace(c) || Character.isSpaceChar(c)) && " \t\f\r\n".indexOf(c) < 0) {
                    assertError("w + x *" + c + "w", String.format("<expression>:1:8: error: illegal character"
                            + " '\\u%04x' (%s): %s", (int) c, Character.getName(c), ONLY_JAVA_WHITESPACE));
                    refused++;
                }
            }
            assertEquals(23, refused, "U+000B, U+001C-U+001F, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,"
                    + " U+202F, U+205F, U+3000");
        }

        @Test
        void acceptsJavaWhitespaceAndOtherSpacesInsideComments() {
            assertEquals("w * x", Symgrad.compile("w\t*\f\r\nx /*\u00a0\u3000*/", PARAMETERS, INPUTS)
                    .expression());
        }

        @Test
        void rejectsANoBreakSpaceInAJavaMethod() {
            String source = "class Losses {\n    static double loss(double w, double x) {\n"
                    + "        return w\u00a0* x;\n    }\n}\n";
            CompileError error = assertThrows(CompileError.class,
                    () -> new LossCompiler().compileMethod(source, "Losses.java", "loss", List.of()));
            assertEquals("Losses.java:3:17: error: illegal character '\\u00a0' (NO-BREAK SPACE): "
                    + ONLY_JAVA_WHITESPACE, error.headline());
            assertRendering(error);
        }

        @Test
        void acceptsOtherSpacesInCommentsAndStringsOfAJavaMethod() {
            // javac accepts these: the characters are in a comment or a string literal.
            String source = "class Losses {\n    // a\u00a0comment\n    static String note = \"a\u2003b\";\n"
                    + "    static double loss(double w, double x) {\n        return w /*\u3000*/ * x;\n    }\n}\n";
            assertEquals("w * x",
                    new LossCompiler().compileMethod(source, "Losses.java", "loss", List.of()).program().printedLoss());
        }
    }
}
