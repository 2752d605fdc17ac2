package dev.symgrad.compiler.parse;

import dev.symgrad.compiler.Symgrad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Parameter and input names are the caller's code, not the user's text, so mistakes in them are
 * {@link IllegalArgumentException}s rather than positioned errors.
 */
class DeclaredNamesTest {

    private static IllegalArgumentException rejected(List<String> parameters, List<String> inputs) {
        return assertThrows(IllegalArgumentException.class, () -> Symgrad.compile("1.0", parameters, inputs));
    }

    @Test
    void rejectsANameDeclaredTwiceInOneList() {
        assertEquals("'w' is declared twice", rejected(List.of("w", "w"), List.of()).getMessage());
    }

    @Test
    void rejectsAParameterThatIsAlsoAnInput() {
        assertEquals("'w' is declared twice", rejected(List.of("w"), List.of("x", "w")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"class", "int", "double", "new", "true", "null", "var", "_", "Math", "StrictMath"})
    void rejectsKeywordsLiteralsAndTheMathClasses(String name) {
        assertEquals("'" + name + "' is not a valid name for a parameter or input",
                rejected(List.of(name), List.of()).getMessage());
        assertEquals("'" + name + "' is not a valid name for a parameter or input",
                rejected(List.of("w"), List.of(name)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1w", "w-x", "w x", "w.x", "w\u0001", "x\u200b"})
    void rejectsTextThatIsNotAJavaIdentifier(String name) {
        assertEquals("'" + name + "' is not a valid name for a parameter or input",
                rejected(List.of(name), List.of()).getMessage());
    }

    @Test
    void rejectsNullNamesAndLists() {
        assertEquals("'null' is not a valid name for a parameter or input",
                rejected(Arrays.asList("w", null), List.of()).getMessage());
        assertEquals("parameter and input lists must not be null", rejected(null, List.of()).getMessage());
        assertEquals("parameter and input lists must not be null", rejected(List.of(), null).getMessage());
    }

    @Test
    void rejectsANullExpression() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Symgrad.compile(null, List.of("w"), List.of()));
        assertEquals("expression is null", error.getMessage());
    }

    @Test
    void acceptsUnicodeLettersDollarAndUnderscoreInNames() {
        assertEquals("Math.exp(θ_1 * $x)",
                Symgrad.compile("Math.exp(θ_1 * $x)", List.of("θ_1"), List.of("$x")).expression());
    }
}
