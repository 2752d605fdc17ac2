package dev.symgrad.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shapes of a loss that names its elements only: the element constructor's, and {@link CompiledLoss}'s default. */
class InferredShapesTest {

    @SafeVarargs
    private static Map<String, List<Integer>> shapes(Map.Entry<String, List<Integer>>... declarations) {
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> declaration : declarations) {
            shapes.put(declaration.getKey(), declaration.getValue());
        }
        return shapes;
    }

    private static Map.Entry<String, List<Integer>> declared(String name, Integer... dimensions) {
        return Map.entry(name, List.of(dimensions));
    }

    private static void assertShapes(Map<String, List<Integer>> expected, Map<String, List<Integer>> actual) {
        assertEquals(expected, actual);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "in declaration order");
    }

    @Test
    void theCompilersElementNamesAreVectorsAgain() {
        CompiledLoss loss = new NamesOnlyLoss(new String[] {"w[0]", "w[1]", "w[2]", "b"},
                new String[] {"x[0]", "x[1]", "x[2]", "y"});
        assertShapes(shapes(declared("w", 3), declared("b")), loss.parameterShapes());
        assertShapes(shapes(declared("x", 3), declared("y")), loss.inputShapes());
    }

    @Test
    void theNamesAndDerivativesStayAsGiven() {
        String[] names = {"w[0]", "w[1]", "w[2]", "b"};
        CompiledLoss loss = new NamesOnlyLoss(names, new String[] {"x"});
        assertEquals(List.of(names), loss.parameters());
        for (String name : names) {
            assertEquals("d(" + name + ")", loss.derivative(name));
        }
    }

    @Test
    void anyOtherNameIsAScalar() {
        String[] names = {"w[1]", "v[0]", "v[2]", "u", "u[0]", "V[0][0]", "V[0][1]", "z[00]", "[0]", "t[0"};
        CompiledLoss loss = new NamesOnlyLoss(names, new String[0]);
        assertShapes(shapes(declared("w[1]"), declared("v", 1), declared("v[2]"), declared("u"), declared("u[0]"),
                declared("V[0][0]"), declared("V[0][1]"), declared("z[00]"), declared("[0]"), declared("t[0")),
                loss.parameterShapes());
        assertEquals(List.of(names), loss.parameters());
        for (int p = 0; p < names.length; p++) {
            assertEquals(p, loss.parameters().indexOf(names[p]), names[p]);
            assertEquals("d(" + names[p] + ")", loss.derivative(names[p]));
        }
    }

    @Test
    void aLongListOfElementsIsSummarizedInErrorsByItsVectors() {
        String[] sixteen = IntStream.range(0, 16).mapToObj(k -> "w[" + k + "]").toArray(String[]::new);
        String[] seventeen = IntStream.range(0, 17).mapToObj(k -> "w[" + k + "]").toArray(String[]::new);
        assertEquals("unknown parameter 'q'; parameters are " + List.of(sixteen), assertThrows(
                IllegalArgumentException.class, () -> new NamesOnlyLoss(sixteen, new String[0]).derivative("q")).getMessage());
        assertEquals("unknown parameter 'q'; parameters are [w[0..16]]", assertThrows(IllegalArgumentException.class,
                () -> new NamesOnlyLoss(seventeen, new String[0]).derivative("q")).getMessage());
    }

    @Test
    void repeatedNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamesOnlyLoss(new String[] {"w[0]", "b", "w[0]"}, new String[0]));
        assertEquals("duplicate parameter name 'w[0]'", e.getMessage());
    }

    @Test
    void anImplementationThatOnlyNamesItsElementsGetsShapesByDefault() {
        InvocationHandler names = (proxy, method, arguments) -> switch (method.getName()) {
            case "parameters" -> List.of("w[0]", "w[1]", "b");
            case "inputs" -> List.of("x[0]", "x[1]", "y[0]");
            default -> InvocationHandler.invokeDefault(proxy, method, arguments);
        };
        CompiledLoss loss = (CompiledLoss) Proxy.newProxyInstance(CompiledLoss.class.getClassLoader(),
                new Class<?>[] {CompiledLoss.class}, names);
        assertShapes(shapes(declared("w", 2), declared("b")), loss.parameterShapes());
        assertShapes(shapes(declared("x", 2), declared("y", 1)), loss.inputShapes());
        assertThrows(UnsupportedOperationException.class, () -> loss.inputShapes().clear());
    }
}
