package dev.symgrad.compiler.properties;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Random well-formed losses over parameters {@code w, b} and inputs {@code x, y}, drawn from the whole
 * language: literals (int, long and double, so Java's integer arithmetic is exercised), the names,
 * {@code Math.PI/E}, {@code + - * /}, unary minus, every {@code Math} function, comparisons combined
 * with {@code && || !}, and conditionals, nested up to {@link #MAX_DEPTH} deep.
 *
 * <p>Most calls are biased into their domain ({@code Math.log(Math.hypot(a, 0.5))},
 * {@code Math.asin(0.9 * Math.tanh(a))}, a divisor kept away from zero) so that most points give finite
 * values; a share of raw calls stays so that NaN and infinities still occur. The shrinker works on the
 * tree, so a failing loss shrinks to a small one.
 *
 * <p>Every name is used: a name the random tree left out is joined in by a random {@code + - *} term
 * (before that, a review counted 21% single leaves and 35% losses without a parameter). Measured on
 * 2,000 samples of {@link #losses()} compiled with parameters {@code w, b} (2026-12-04): every sample
 * mentions all four names; 4-5% are refused (an int division by a constant zero); of the rest, 0.7-1.2%
 * simplify to a single leaf, 4-5% have a zero gradient (the parameters cancel or sit in a constant
 * subexpression), 78% have a non-zero derivative for both parameters; the simplified loss has 9 nodes
 * at the 10th percentile, 17 at the median, 43-45 at the 90th and up to 110-136; trees nest up to
 * {@link #MAX_DEPTH} deep. {@link #arithmeticLosses()} is alike (median 15 nodes).
 */
public final class RandomLosses {

    public static final List<String> PARAMETERS = List.of("w", "b");
    public static final List<String> INPUTS = List.of("x", "y");
    static final int MAX_DEPTH = 6;

    /** A generated subexpression; {@code integer} if Java types it as {@code int} or {@code long}. */
    private record Source(String text, boolean integer) {
        static Source real(String text) {
            return new Source(text, false);
        }
    }

    private final boolean integerConditionals;
    private final List<String> names;
    private final boolean ieeeOnly;

    private RandomLosses(boolean integerConditionals, List<String> names, boolean ieeeOnly) {
        this.integerConditionals = integerConditionals;
        this.names = names;
        this.ieeeOnly = ieeeOnly;
    }

    private RandomLosses(boolean integerConditionals, List<String> names) {
        this(integerConditionals, names, false);
    }

    private RandomLosses(boolean integerConditionals) {
        this(integerConditionals, List.of("w", "b", "x", "y"));
    }

    /**
     * Losses in which every conditional is {@code double}-typed. Conditionals with two integer branches
     * ({@code (x > 0 ? 1 : 2) * 3}), which Java types as {@code int}, come from
     * {@link #withIntegerConditionals()}: symgrad refuses to divide them and does not wrap them at 2^31.
     */
    public static Arbitrary<String> losses() {
        return losses(MAX_DEPTH);
    }

    /** Like {@link #losses()}, nested at most {@code depth} deep. */
    public static Arbitrary<String> losses(int depth) {
        RandomLosses losses = new RandomLosses(false);
        return losses.usingEveryName(losses.number(depth));
    }

    /**
     * Like {@link #losses()}, built from IEEE operations alone ({@code + - * /}, negation, {@code abs},
     * {@code sqrt}, {@code max}, {@code min}, comparisons, conditionals): the vector backend computes these
     * exactly as the scalar code does.
     */
    public static Arbitrary<String> arithmeticLosses() {
        RandomLosses losses = new RandomLosses(false, List.of("w", "b", "x", "y"), true);
        return losses.usingEveryName(losses.number(MAX_DEPTH));
    }

    /**
     * Joins a term in each name the loss does not mention, so that every parameter and input is used
     * (up to cancellation by the simplifier): {@code (loss) op form(name)}, op one of {@code + - *}.
     */
    private Arbitrary<String> usingEveryName(Arbitrary<Source> losses) {
        List<String> forms = ieeeOnly ? List.of("%s", "(%s - 1.5)", "Math.abs(%s)", "%s * %s")
                : List.of("%s", "(%s - 1.5)", "Math.sin(%s)", "Math.exp(%s)", "%s * %s");
        return losses.flatMap(loss -> {
            Arbitrary<String> joined = Arbitraries.just(loss.text);
            for (String name : names) {
                if (!java.util.regex.Pattern.compile("\\b" + name + "\\b").matcher(loss.text).find()) {
                    joined = Combinators.combine(joined, Arbitraries.of(" + ", " - ", " * "), Arbitraries.of(forms))
                            .as((text, op, form) -> "(" + text + ")" + op + form.replace("%s", name));
                }
            }
            return joined;
        });
    }

    /**
     * Sums of one to three terms {@code P op D} or {@code D op P}, P built from the parameters only and D
     * from the inputs only: the shapes whose batch gradient route (b) factors ({@code Σ(c·g) → c·Σg},
     * {@code Σ(g/c) → Σg/c}, {@code Σ(c + g) → N·c + Σg}), which deep random losses rarely reach.
     */
    static Arbitrary<String> separableLosses() {
        Arbitrary<Source> parameterPart = new RandomLosses(false, PARAMETERS).number(2);
        Arbitrary<Source> inputPart = new RandomLosses(false, INPUTS).number(2);
        Arbitrary<String> term = Combinators.combine(parameterPart, Arbitraries.of("*", "/", "+", "-"), inputPart,
                Arbitraries.of(true, false)).as((p, op, d, parameterFirst) -> parameterFirst
                ? "(" + p.text + " " + op + " " + d.text + ")"
                : "(" + d.text + " " + op + " " + p.text + ")");
        return term.list().ofMinSize(1).ofMaxSize(3).map(terms -> String.join(" + ", terms));
    }

    /**
     * Like {@link #losses()}, plus integer-typed conditionals over a non-constant test, which Java computes
     * as {@code int} at run time (also inside {@code Math.abs/max/min} and integer arithmetic).
     */
    public static Arbitrary<String> withIntegerConditionals() {
        RandomLosses losses = new RandomLosses(true);
        return losses.usingEveryName(losses.number(MAX_DEPTH));
    }

    /** A parameter or input value: mostly in [-2, 2], with a few decimals so that ties and zeros occur. */
    static Arbitrary<Double> values() {
        return Arbitraries.doubles().between(-2.0, 2.0).ofScale(4);
    }

    /**
     * Values over the whole range: 70% as {@link #values()}, 20% of magnitude 10^e with e uniform in
     * [-300, 300] and either sign, 10% the special values of {@link ShapeLosses#value} (±0, ±1, the
     * smallest subnormal, ±MAX_VALUE, the edges of {@code exp}).
     */
    static Arbitrary<Double> wideValues() {
        Arbitrary<Double> magnitudes = Combinators.combine(Arbitraries.doubles().between(1, 10),
                Arbitraries.integers().between(-300, 300), Arbitraries.of(1.0, -1.0))
                .as((mantissa, exponent, sign) -> sign * mantissa * Math.pow(10, exponent));
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, 709.0, 710.0, -745.0);
        return Arbitraries.frequencyOf(Tuple.of(7, values()), Tuple.of(2, magnitudes), Tuple.of(1, special));
    }

    private Arbitrary<Source> number(int depth) {
        if (depth == 0) {
            return leaf();
        }
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(3, leaf()),
                Tuple.of(integerConditionals ? 4 : 1, integer(depth - 1)),
                Tuple.of(6, arithmetic(depth - 1)),
                Tuple.of(1, negation(depth - 1)),
                Tuple.of(5, oneArgumentFunction(depth - 1)),
                Tuple.of(2, twoArgumentFunction(depth - 1)),
                Tuple.of(2, conditional(depth - 1))));
    }

    private Arbitrary<Source> leaf() {
        Arbitrary<Source> variables = Arbitraries.of(names).map(Source::real);
        Arbitrary<Source> doubles = Arbitraries.of("0.5", "2.0", "1.5", "0.0", "3.0", "0.25", "1e-3", "1.0", "Math.PI",
                "Math.E").map(Source::real);
        Arbitrary<Source> integers = Arbitraries.of("0", "1", "2", "3", "7", "2L").map(text -> new Source(text, true));
        return Arbitraries.frequencyOf(Tuple.of(8, variables), Tuple.of(3, doubles), Tuple.of(2, integers));
    }

    /**
     * An int- or long-typed expression: literals, integer arithmetic (so {@code 1 / 2} is 0) and
     * {@code Math.abs/max/min} of integers, and, with {@link #integerConditionals}, conditionals with two
     * integer branches, whose value Java divides as an integer too.
     */
    private Arbitrary<Source> integer(int depth) {
        Arbitrary<Source> literal = Arbitraries.of("0", "1", "2", "3", "7", "2L").map(text -> new Source(text, true));
        if (depth == 0) {
            return literal;
        }
        return Arbitraries.lazy(() -> {
            Arbitrary<Source> arithmetic = Combinators.combine(integer(depth - 1), Arbitraries.of("+", "-", "*", "/"),
                    integer(depth - 1)).as((a, op, b) -> new Source("(" + a.text + " " + op + " " + b.text + ")", true));
            Arbitrary<Source> function = Combinators.combine(Arbitraries.of("abs", "max", "min"), integer(depth - 1),
                    integer(depth - 1)).as((name, a, b) -> new Source(
                    "Math." + name + "(" + a.text + (name.equals("abs") ? "" : ", " + b.text) + ")", true));
            if (!integerConditionals) {
                return Arbitraries.frequencyOf(Tuple.of(2, literal), Tuple.of(3, arithmetic), Tuple.of(1, function));
            }
            // The test reads a variable, so the conditional is never a compile-time constant.
            Arbitrary<String> test = Combinators.combine(number(depth - 1), Arbitraries.of("<", "<=", ">", ">=", "!="),
                    Arbitraries.of(names)).as((a, op, name) -> a.text + " " + op + " " + name);
            Arbitrary<Source> conditional = Combinators.combine(test, integer(depth - 1), integer(depth - 1))
                    .as((t, a, b) -> new Source("(" + t + " ? " + a.text + " : " + b.text + ")", true));
            return Arbitraries.frequencyOf(Tuple.of(2, literal), Tuple.of(3, arithmetic), Tuple.of(1, function),
                    Tuple.of(3, conditional));
        });
    }

    private Arbitrary<Source> arithmetic(int depth) {
        return Arbitraries.of("+", "-", "*", "/").flatMap(op -> Combinators
                .combine(number(depth), op.equals("/") ? divisor(depth) : number(depth))
                .as((left, right) -> new Source("(" + left.text + " " + op + " " + right.text + ")",
                        left.integer && right.integer)));
    }

    /** A divisor: half the time raw (zero is possible), otherwise at least 0.5 away from zero. */
    private Arbitrary<Source> divisor(int depth) {
        if (ieeeOnly) {
            return Arbitraries.frequencyOf(
                    Tuple.of(1, number(depth)),
                    Tuple.of(1, number(depth).map(d -> Source.real("(1.5 + Math.abs(" + d.text + "))"))));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(1, number(depth)),
                Tuple.of(1, number(depth).map(d -> Source.real("Math.hypot(" + d.text + ", 0.5)"))),
                Tuple.of(1, number(depth).map(d -> Source.real("(1.5 + Math.sin(" + d.text + "))"))));
    }

    private Arbitrary<Source> negation(int depth) {
        return number(depth).map(operand -> new Source("-(" + operand.text + ")", operand.integer));
    }

    private Arbitrary<Source> oneArgumentFunction(int depth) {
        if (ieeeOnly) {
            return call(Arbitraries.of("abs", "sqrt"), number(depth), "%s");
        }
        Arbitrary<String> everywhere = Arbitraries.of("sin", "cos", "atan", "tanh", "abs", "cbrt");
        Arbitrary<String> growing = Arbitraries.of("exp", "expm1", "sinh", "cosh");
        Arbitrary<String> positive = Arbitraries.of("log", "sqrt", "log1p");
        Arbitrary<String> unitInterval = Arbitraries.of("asin", "acos");
        Arbitrary<String> any = Arbitraries.of("exp", "log", "log1p", "expm1", "sqrt", "cbrt", "sin", "cos", "tan",
                "asin", "acos", "atan", "sinh", "cosh", "tanh", "abs");
        Arbitrary<Source> argument = number(depth);
        return Arbitraries.frequencyOf(
                Tuple.of(4, call(everywhere, argument, "%s")),
                Tuple.of(2, call(growing, argument, "2.0 * Math.tanh(%s)")),
                Tuple.of(3, call(positive, argument, "Math.hypot(%s, 0.5)")),
                Tuple.of(1, call(unitInterval, argument, "0.9 * Math.tanh(%s)")),
                Tuple.of(1, call(Arbitraries.of("tan"), argument, "Math.sin(%s)")),
                Tuple.of(2, call(any, argument, "%s")),
                Tuple.of(1, overflowingPattern(argument)));
    }

    /**
     * The patterns the simplifier makes overflow-free (softplus, log-sum-exp, sigmoid, log-sigmoid), written
     * the textbook way, so that the rewritten forms go through every property: every kernel and shape
     * against the interpreter, and the gradient oracle, which evaluates the written form.
     */
    private static Arbitrary<Source> overflowingPattern(Arbitrary<Source> argument) {
        Arbitrary<String> forms = Arbitraries.of("Math.log1p(Math.exp(%1$s))", "Math.log(1 + Math.exp(%1$s))",
                "Math.log(Math.exp(%1$s) + Math.exp(0.5 * %1$s) + 2.0)", "Math.exp(%1$s) / (1 + Math.exp(%1$s))",
                "-Math.log(1 / (1 + Math.exp(-(%1$s))))");
        return Combinators.combine(forms, argument).as((form, a) -> Source.real("(" + form.formatted(a.text) + ")"));
    }

    private static Arbitrary<Source> call(Arbitrary<String> names, Arbitrary<Source> argument, String argumentForm) {
        return Combinators.combine(names, argument).as((name, a) -> {
            String text = "Math." + name + "(" + argumentForm.formatted(a.text) + ")";
            return new Source(text, name.equals("abs") && argumentForm.equals("%s") && a.integer);
        });
    }

    private Arbitrary<Source> twoArgumentFunction(int depth) {
        Arbitrary<Source> first = number(depth);
        Arbitrary<Source> second = number(depth);
        Arbitrary<Source> maxMin = Combinators.combine(Arbitraries.of("max", "min"), first, second)
                .as((name, a, b) -> new Source("Math." + name + "(" + a.text + ", " + b.text + ")", a.integer && b.integer));
        Arbitrary<Source> hypot = Combinators.combine(first, second)
                .as((a, b) -> Source.real("Math.hypot(" + a.text + ", " + b.text + ")"));
        Arbitrary<String> constantExponents = Arbitraries.of("2", "3", "0.5", "-1", "2.0", "-2", "1.5", "0", "4");
        Arbitrary<Source> powConstant = Combinators.combine(first, constantExponents)
                .as((a, n) -> Source.real("Math.pow(" + a.text + ", " + n + ")"));
        Arbitrary<Source> powPositiveBase = Combinators.combine(first, second)
                .as((a, b) -> Source.real("Math.pow(Math.hypot(" + a.text + ", 0.5), Math.tanh(" + b.text + "))"));
        Arbitrary<Source> powRaw = Combinators.combine(first, second)
                .as((a, b) -> Source.real("Math.pow(" + a.text + ", " + b.text + ")"));
        if (ieeeOnly) {
            return maxMin;
        }
        return Arbitraries.frequencyOf(Tuple.of(3, maxMin), Tuple.of(1, hypot), Tuple.of(2, powConstant),
                Tuple.of(2, powPositiveBase), Tuple.of(1, powRaw));
    }

    private Arbitrary<Source> conditional(int depth) {
        return Combinators.combine(condition(depth), number(depth), number(depth)).as((test, ifTrue, ifFalse) -> {
            boolean integer = ifTrue.integer && ifFalse.integer;
            // Without integer conditionals, a double partner keeps the conditional double-typed.
            String otherwise = integer && !integerConditionals ? "(" + ifFalse.text + " + 0.5)" : ifFalse.text;
            return new Source("(" + test + " ? " + ifTrue.text + " : " + otherwise + ")", integer && integerConditionals);
        });
    }

    private Arbitrary<String> condition(int depth) {
        Arbitrary<String> comparison = Combinators.combine(number(depth), Arbitraries.of("<", "<=", ">", ">=", "==", "!="),
                number(depth)).as((a, op, b) -> a.text + " " + op + " " + b.text);
        if (depth == 0) {
            return comparison;
        }
        return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
                Tuple.of(6, comparison),
                Tuple.of(1, condition(depth - 1).map(c -> "!(" + c + ")")),
                Tuple.of(1, Combinators.combine(condition(depth - 1), condition(depth - 1))
                        .as((a, b) -> "(" + a + " && " + b + ")")),
                Tuple.of(1, Combinators.combine(condition(depth - 1), condition(depth - 1))
                        .as((a, b) -> "(" + a + " || " + b + ")")),
                Tuple.of(1, Arbitraries.of("true", "false"))));
    }
}
