package dev.symgrad.compiler.hardening;

import dev.symgrad.compiler.properties.RandomLosses;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Text an application might pass on from its users, for fuzzing the compiler: random token soups, valid
 * losses after a few random edits, and random Unicode (escapes written as {@code \\u} text, format and
 * bidirectional characters, unpaired surrogates, NUL and other controls, every line terminator, every
 * Unicode space).
 */
final class HostileInputs {

    /** Tokens of the loss language and of the Java that is not in it. */
    private static final List<String> LANGUAGE_TOKENS = List.of(
            "w", "b", "x", "y", "q", "Math", "StrictMath", "0", "1", "2", "07", "0x1F", "0b1", "1_000", "1L", "2.5",
            "1e3", "1e400", ".5", "0.5f", "2d", "9999999999", "2147483648", "+", "-", "*", "/", "%", "(", ")", ",",
            "?", ":", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "!", "true", "false", "Math.exp", "Math.log",
            "Math.pow", "Math.max", "Math.hypot", "Math.PI", "StrictMath.sin", "Math.floor", "Math.random");

    private static final List<String> JAVA_TOKENS = List.of(
            "System.exit(0)", "Runtime.getRuntime().exec(\"sh\")", "new java.io.File(\"x\").delete()",
            "Class.forName(\"x\")", "Thread.sleep(1000)", "new", "class", "this", "super", "null", "instanceof",
            "\"s\"", "\"", "'c'", "'", "\"\"\"", "/*", "*/", "//", "/**/", ";", "{", "}", "[", "]", "=", "+=", "++",
            "--", "->", "::", "@", "#", "$", "_", "&", "|", "^", "~", "<<", ">>>", "(double)", "(int)", "var",
            "switch", "return", "java.lang.Math.exp", "Math.<Double>exp", "é", "ω", "𝑥", "\\", "\\u", "\\u002a",
            "\\u000a", "\\u0022", "\\u005c", "\\uuuu0028", "\\u00", "\\uZZZZ", "\\\\u0029");

    /**
     * Characters that are invisible, reorder text, end lines or are not valid on their own, and every
     * space that is not Java white space (javac refuses them, JavaParser skips most).
     */
    private static final List<Character> STRANGE_CHARACTERS = List.of(
            '\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001a', '\u001b', '\u007f', '\u0085',
            '\u00a0', '\u00ad', '\u061c', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2028',
            '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2066', '\u2067', '\u2068',
            '\u2069', '\u3000', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\t', '\n',
            '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003',
            '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u202f', '\u205f');

    private static final List<String> SEPARATORS = List.of("", " ", " ", " ", "\n", "\r\n", "\r", "\t", "/**/",
            "\u2028", "\u00a0", "\u000c", "\u2003", "\u3000");

    private HostileInputs() {
    }

    /** Any of the families below. */
    static Arbitrary<String> anything() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, tokenSoups()),
                Tuple.of(4, mutatedLosses()),
                Tuple.of(2, unicodeText()),
                Tuple.of(2, lossesWithStrangeCharacters()));
    }

    /** Up to 30 tokens of the language and of Java around it, joined by random blanks and line breaks. */
    static Arbitrary<String> tokenSoups() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(LANGUAGE_TOKENS)),
                Tuple.of(2, Arbitraries.of(JAVA_TOKENS)),
                Tuple.of(1, strangeCharacter().map(String::valueOf)));
        Arbitrary<String> separated = Combinators.combine(token, Arbitraries.of(SEPARATORS)).as(String::concat);
        return separated.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
    }

    /**
     * A valid random loss with one to four random edits: token substitutions of the same kind (an operator
     * for an operator, a name for a name), which mostly keep it valid and so reach the code generator, and
     * character edits (deletions, insertions, replacements, cuts), which mostly do not.
     */
    static Arbitrary<String> mutatedLosses() {
        Arbitrary<Edit> characterEdit = Combinators.combine(Arbitraries.of(Edit.Kind.class),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 6), insertion())
                .as(Edit::new);
        Arbitrary<Substitution> substitution = Combinators.combine(Arbitraries.of(Substitution.Kind.class),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 99))
                .as(Substitution::new);
        Arbitrary<Mutation> mutation = Arbitraries.frequencyOf(
                Tuple.of(3, substitution.map(m -> (Mutation) m)),
                Tuple.of(1, characterEdit.map(m -> (Mutation) m)));
        return Combinators.combine(RandomLosses.losses(4), mutation.list().ofMinSize(1).ofMaxSize(4))
                .as((loss, mutations) -> {
                    String text = loss;
                    for (Mutation m : mutations) {
                        text = m.applyTo(text);
                    }
                    return text;
                });
    }

    /** Short random strings of any UTF-16 units, with a bias towards the strange ones and escapes. */
    static Arbitrary<String> unicodeText() {
        Arbitrary<String> unit = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.chars().all().map(String::valueOf)),
                Tuple.of(3, strangeCharacter().map(String::valueOf)),
                Tuple.of(2, Arbitraries.chars().ascii().map(String::valueOf)),
                Tuple.of(2, unicodeEscape()),
                Tuple.of(2, Arbitraries.of(LANGUAGE_TOKENS)));
        return unit.list().ofMaxSize(25).map(units -> String.join("", units));
    }

    /** A valid loss with strange characters or escape text put in one to three places. */
    static Arbitrary<String> lossesWithStrangeCharacters() {
        Arbitrary<Edit> insertStrange = Combinators.combine(Arbitraries.doubles().between(0, 1),
                Arbitraries.oneOf(strangeCharacter().map(String::valueOf), unicodeEscape()))
                .as((where, text) -> new Edit(Edit.Kind.INSERT, where, 0, text));
        return Combinators.combine(RandomLosses.losses(3), insertStrange.list().ofMinSize(1).ofMaxSize(3))
                .as((loss, edits) -> {
                    String text = loss;
                    for (Edit e : edits) {
                        text = e.applyTo(text);
                    }
                    return text;
                });
    }

    private static Arbitrary<Character> strangeCharacter() {
        return Arbitraries.of(STRANGE_CHARACTERS);
    }

    /** {@code \\uXXXX} as text: mostly meaningful characters (operators, quotes, line feeds), sometimes any. */
    private static Arbitrary<String> unicodeEscape() {
        Arbitrary<String> meaningful = Arbitraries.of("000a", "000d", "0022", "0027", "002a", "002f", "0028", "0029",
                "005c", "0077", "0000", "202e", "d800");
        Arbitrary<String> any = Arbitraries.integers().between(0, 0xffff).map(c -> String.format("%04x", c));
        Arbitrary<String> prefix = Arbitraries.of("\\u", "\\uu", "\\\\u", "\\U");
        return Combinators.combine(prefix, Arbitraries.oneOf(meaningful, any)).as(String::concat);
    }

    private static Arbitrary<String> insertion() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(LANGUAGE_TOKENS)),
                Tuple.of(2, Arbitraries.of(JAVA_TOKENS)),
                Tuple.of(1, strangeCharacter().map(String::valueOf)),
                Tuple.of(1, unicodeEscape()));
    }

    /** A change to a text that applies to any text. */
    sealed interface Mutation permits Edit, Substitution {
        String applyTo(String source);
    }

    /**
     * Replaces one token of a kind (the {@code which}-th fraction of its occurrences) by another of that
     * kind, or wraps a name in a call or a negation.
     */
    record Substitution(Kind kind, double which, int choice) implements Mutation {

        enum Kind {
            OPERATOR(" [-+*/] ", List.of(" + ", " - ", " * ", " / ")),
            NAME("\\b[wbxy]\\b", List.of("w", "b", "x", "y", "q", "Math.PI", "0", "(-w)", "1e308")),
            FUNCTION("(Strict)?Math\\.[a-z0-9]+\\(", List.of("Math.exp(", "Math.log(", "Math.sqrt(", "Math.tanh(",
                    "Math.abs(", "Math.pow(", "Math.max(", "Math.hypot(", "StrictMath.cbrt(", "Math.floor(", "(")),
            NUMBER("\\b\\d+(\\.\\d+)?([eE]-?\\d+)?L?\\b", List.of("0", "1", "3", "2.0", "0.0", "1e-3", "1e308",
                    "2L", "4.9e-324", "07", "0x10", "1_0")),
            COMPARISON("<=|>=|==|!=|<|>", List.of("<", "<=", ">", ">=", "==", "!=")),
            WRAP("\\b[wbxy]\\b", List.of("Math.sqrt(%s)", "-(%s)", "(%s > 0 ? %s : 0.5)", "Math.pow(%s, 2)",
                    "(1 / %s)", "Math.max(%s, %s)"));

            private final Pattern pattern;
            private final List<String> replacements;

            Kind(String pattern, List<String> replacements) {
                this.pattern = Pattern.compile(pattern);
                this.replacements = replacements;
            }
        }

        @Override
        public String applyTo(String source) {
            List<MatchResult> matches = kind.pattern.matcher(source).results().toList();
            if (matches.isEmpty()) {
                return source;
            }
            MatchResult match = matches.get(Math.min(matches.size() - 1, (int) (which * matches.size())));
            String replacement = kind.replacements.get(choice % kind.replacements.size())
                    .replace("%s", match.group());
            return source.substring(0, match.start()) + replacement + source.substring(match.end());
        }
    }

    /** One random edit of a text, at a relative position so that it applies to any text. */
    record Edit(Kind kind, double where, int length, String text) implements Mutation {

        enum Kind { DELETE, INSERT, REPLACE, DUPLICATE, SWAP, TRUNCATE }

        @Override
        public String applyTo(String source) {
            int at = (int) (where * source.length());
            int end = Math.min(source.length(), at + length);
            return switch (kind) {
                case DELETE -> source.substring(0, at) + source.substring(end);
                case INSERT -> source.substring(0, at) + text + source.substring(at);
                case REPLACE -> source.substring(0, at) + text + source.substring(end);
                case DUPLICATE -> source.substring(0, end) + source.substring(at);
                case SWAP -> end - at < 2 ? source
                        : source.substring(0, at) + source.charAt(end - 1) + source.substring(at + 1, end - 1)
                        + source.charAt(at) + source.substring(end);
                case TRUNCATE -> source.substring(0, at);
            };
        }
    }
}
