package dev.symgrad.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A {@link GeneratedLoss} built by the shaped constructor: names, lookups, derivatives and shapes of wide losses. */
class ShapedLossTest {

    /**
     * The loss {@code Σ_j w[j]·x[j] + k10·Σ_{m,j} V[m][j]·x[m]·x[j] + b} with {@code w} and {@code x} of length
     * {@code width} and {@code V} of shape {@code rows × columns} (both at most the width). The input named
     * {@code k10} sits in V's derivative template next to the index names {@code k0} and {@code k1}.
     */
    private static final class WideDot extends GeneratedLoss {

        private final int width;
        private final int rows;
        private final int columns;

        WideDot(int width, int rows, int columns) {
            super(new String[] {"w", "V", "b"}, new int[][] {{width}, {rows, columns}, {}},
                    new String[] {"x", "k10"}, new int[][] {{width}, {}},
                    "Σ_j w[j] * x[j] + k10 * Σ_m Σ_j V[m][j] * x[m] * x[j] + b",
                    new String[] {"x[k0]", "x[k0] * x[k1] * k10", "1.0"},
                    new String[][] {{"k0"}, {"k0", "k1"}, {}});
            this.width = width;
            this.rows = rows;
            this.columns = columns;
        }

        @Override
        protected double lossKernel(double[] params, double[] example) {
            double loss = params[width + rows * columns];
            for (int j = 0; j < width; j++) {
                loss += params[j] * example[j];
            }
            for (int m = 0; m < rows; m++) {
                for (int j = 0; j < columns; j++) {
                    loss += example[width] * params[width + m * columns + j] * example[m] * example[j];
                }
            }
            return loss;
        }

        @Override
        protected void gradientKernel(double[] params, double[] example, double[] out) {
            System.arraycopy(example, 0, out, 0, width);
            for (int m = 0; m < rows; m++) {
                for (int j = 0; j < columns; j++) {
                    out[width + m * columns + j] = example[m] * example[j] * example[width];
                }
            }
            out[width + rows * columns] = 1.0;
        }

        private static double[] example(double[][] columns, int i) {
            double[] example = new double[columns.length];
            for (int c = 0; c < columns.length; c++) {
                example[c] = columns[c][i];
            }
            return example;
        }

        private double[] gradientOf(double[] params, double[][] columns, int i) {
            double[] gradient = new double[params.length];
            gradientKernel(params, example(columns, i), gradient);
            return gradient;
        }

        @Override
        protected void perExampleLossesKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            for (int i = from; i < to; i++) {
                out[i] = lossKernel(params, example(columns, i));
            }
        }

        @Override
        protected double totalLossKernel(double[] params, double[][] columns, int from, int to) {
            double total = 0;
            for (int i = from; i < to; i++) {
                total += lossKernel(params, example(columns, i));
            }
            return total;
        }

        @Override
        protected void perExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                 double[][] out) {
            for (int i = from; i < to; i++) {
                double[] gradient = gradientOf(params, columns, i);
                for (int p = 0; p < gradient.length; p++) {
                    out[p][i] = gradient[p];
                }
            }
        }

        @Override
        protected void sumOfPerExampleGradientsKernel(double[] params, double[][] columns, int from, int to,
                                                      double[] out) {
            for (int i = from; i < to; i++) {
                double[] gradient = gradientOf(params, columns, i);
                for (int p = 0; p < gradient.length; p++) {
                    out[p] += gradient[p];
                }
            }
        }

        @Override
        protected void gradientOfSumKernel(double[] params, double[][] columns, int from, int to, double[] out) {
            sumOfPerExampleGradientsKernel(params, columns, from, to, out);
        }

        @Override
        protected void clippedGradientSumKernel(double[] paramsAndClipNorm, double[][] columns, int from, int to,
                                                double[] out) {
            int parameterCount = out.length - 1;
            double[] params = Arrays.copyOf(paramsAndClipNorm, parameterCount);
            for (int i = from; i < to; i++) {
                double[] gradient = gradientOf(params, columns, i);
                double squares = Arrays.stream(gradient).map(g -> g * g).sum();
                double scale = Math.min(1.0, paramsAndClipNorm[parameterCount] / Math.sqrt(squares));
                for (int p = 0; p < parameterCount; p++) {
                    out[p] += gradient[p] * scale;
                }
                out[parameterCount] += squares < Double.POSITIVE_INFINITY ? 0 : 1;
            }
        }

        @Override
        protected void perExampleGradientNormsKernel(double[] params, double[][] columns, int from, int to,
                                                     double[] out) {
            for (int i = from; i < to; i++) {
                out[i] = Math.sqrt(Arrays.stream(gradientOf(params, columns, i)).map(g -> g * g).sum());
            }
        }
    }

    private static final int WIDTH = 100_000;
    private static final CompiledLoss WIDE = new WideDot(WIDTH, 32, 64);
    private static final int WIDE_PARAMETERS = WIDTH + 32 * 64 + 1;
    private static final String WIDE_SUMMARY = "[w[0..99999], V[0..31][0..63], b]";
    private static final CompiledLoss SMALL = new WideDot(3, 2, 3);

    /** An example of the wide loss: {@code x[j] = j + 1} and {@code k10 = 0.5}. */
    private static double[] wideExample() {
        double[] example = new double[WIDTH + 1];
        Arrays.setAll(example, j -> j + 1.0);
        example[WIDTH] = 0.5;
        return example;
    }

    private static String rejection(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Nested
    class Names {

        @Test
        void areTheDeclarationsElementsRowMajorOneDeclarationAfterAnother() {
            assertEquals(List.of("w[0]", "w[1]", "w[2]", "V[0][0]", "V[0][1]", "V[0][2]", "V[1][0]", "V[1][1]",
                    "V[1][2]", "b"), SMALL.parameters());
            assertEquals(List.of("x[0]", "x[1]", "x[2]", "k10"), SMALL.inputs());
        }

        @Test
        void aWideLossHasOneNamePerElement() {
            List<String> parameters = WIDE.parameters();
            assertEquals(WIDE_PARAMETERS, parameters.size());
            assertEquals("w[99999]", parameters.get(WIDTH - 1));
            assertEquals("V[0][0]", parameters.get(WIDTH));
            assertEquals("V[1][0]", parameters.get(WIDTH + 64));
            assertEquals("V[3][5]", parameters.get(WIDTH + 3 * 64 + 5));
            assertEquals("V[31][63]", parameters.get(WIDTH + 32 * 64 - 1));
            assertEquals("b", parameters.get(WIDE_PARAMETERS - 1));
            assertThrows(IndexOutOfBoundsException.class, () -> parameters.get(WIDE_PARAMETERS));
            assertEquals(WIDTH + 1, WIDE.inputs().size());
        }

        @Test
        void indexOfParsesEveryNameBackToItsPositionWithoutScanning() {
            // A scan would compare about P²/2 = 5·10⁹ names; parsing takes milliseconds.
            List<String> parameters = WIDE.parameters();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int p = 0; p < WIDE_PARAMETERS; p++) {
                    assertEquals(p, parameters.indexOf(parameters.get(p)));
                }
            });
            assertEquals(WIDTH + 3 * 64 + 5, parameters.indexOf("V[3][5]"));
            assertEquals(WIDTH, WIDE.inputs().indexOf("k10"));
        }

        @Test
        void indexOfFindsNothingThatIsNotAnElement() {
            List<String> parameters = WIDE.parameters();
            for (Object notAnElement : new Object[] {"V[32][0]", "V[0][64]", "V[3]", "V", "V[3][5][0]", "V[3]5]",
                    "V[3][5", "w", "w[-1]", "w[05]", "w[+5]", "w[ 5]", "w[]", "w[100000]", "w[99999999999]",
                    "w[0]]", "b[0]", "x[0]", "c", "", "[0]", null, 5}) {
                assertEquals(-1, parameters.indexOf(notAnElement), String.valueOf(notAnElement));
                assertFalse(parameters.contains(notAnElement), String.valueOf(notAnElement));
            }
        }

        @Test
        void costNothingUntilAsked() {
            // Two billion names would need about 100 GB if they were made up front.
            CompiledLoss huge = NamesOnlyLoss.shaped(new String[] {"H"}, new int[][] {{50_000, 40_000}});
            List<String> parameters = huge.parameters();
            assertEquals(2_000_000_000, parameters.size());
            assertEquals("H[49999][39999]", parameters.get(1_999_999_999));
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertEquals(1_999_999_999, parameters.indexOf("H[49999][39999]")));
            assertEquals("d(H)[12345][678]", huge.derivative("H[12345][678]"));
            assertEquals("params has 1 values but the loss has 2000000000 parameters [H[0..49999][0..39999]]",
                    rejection(() -> huge.loss(new double[1], new double[0])));
        }
    }

    @Nested
    class Derivatives {

        @Test
        void anElementsDerivativeIsItsTemplateWithThePositionFilledIn() {
            assertEquals("x[5]", WIDE.derivative("w[5]"));
            assertEquals("x[99999]", WIDE.derivative("w[99999]"));
            assertEquals("x[3] * x[5] * k10", WIDE.derivative("V[3][5]"));
        }

        @Test
        void onlyWholeWordsAreIndexNames() {
            // k1 stands for V's column; the input k10 stays k10, also where the column is 10 itself.
            assertEquals("x[1] * x[10] * k10", WIDE.derivative("V[1][10]"));
            assertEquals("x[0] * x[0] * k10", WIDE.derivative("V[0][0]"));
        }

        @Test
        void aScalarsDerivativeIsItsTemplate() {
            assertEquals("1.0", WIDE.derivative("b"));
        }

        @Test
        void theGradientHoldsEachElementWhereIndexOfSaysItIs() {
            double[] example = wideExample();
            double[] gradient = WIDE.gradient(new double[WIDE_PARAMETERS], example);
            assertEquals(6.0, gradient[WIDE.parameters().indexOf("w[5]")]);
            assertEquals(4.0 * 6.0 * 0.5, gradient[WIDE.parameters().indexOf("V[3][5]")], "x[3] * x[5] * k10");
            assertEquals(1.0, gradient[WIDE.parameters().indexOf("b")]);
        }

        @Test
        void bothRoutesAgreeOnAWideLoss() {
            double[][] columns = new double[WIDTH + 1][];
            double[] example = wideExample();
            for (int c = 0; c <= WIDTH; c++) {
                columns[c] = new double[] {example[c], -example[c]};
            }
            double[] params = new double[WIDE_PARAMETERS];
            assertArrayEquals(WIDE.gradientOfSum(params, columns), WIDE.sumOfPerExampleGradients(params, columns, 2));
        }
    }

    @Nested
    class Shapes {

        @Test
        void mapEachDeclarationToItsDimensionsInOrder() {
            Map<String, List<Integer>> parameters = WIDE.parameterShapes();
            assertEquals(Map.of("w", List.of(WIDTH), "V", List.of(32, 64), "b", List.of()), parameters);
            assertEquals(List.of("w", "V", "b"), List.copyOf(parameters.keySet()));
            assertEquals(List.of("x", "k10"), List.copyOf(WIDE.inputShapes().keySet()));
            assertEquals(List.of(WIDTH), WIDE.inputShapes().get("x"));
            assertEquals(List.of(), WIDE.inputShapes().get("k10"));
        }

        @Test
        void areUnmodifiable() {
            assertThrows(UnsupportedOperationException.class, () -> WIDE.parameterShapes().put("c", List.of()));
            assertThrows(UnsupportedOperationException.class, () -> WIDE.parameterShapes().get("V").set(0, 1));
            assertThrows(UnsupportedOperationException.class, () -> WIDE.inputShapes().remove("x"));
        }

        @Test
        void areCopiedFromTheConstructorsArguments() {
            int[][] shapes = {{3}, {}};
            CompiledLoss loss = NamesOnlyLoss.shaped(new String[] {"w", "b"}, shapes);
            shapes[0][0] = 4;
            assertEquals(List.of(3), loss.parameterShapes().get("w"));
            assertEquals(4, loss.parameters().size());
            assertEquals(-1, loss.parameters().indexOf("w[3]"));
        }
    }

    @Nested
    class ArgumentChecks {

        @Test
        void anUnknownParameterOfAWideLossListsTheDeclarations() {
            assertEquals("unknown parameter 'w[100000]'; parameters are " + WIDE_SUMMARY,
                    rejection(() -> WIDE.derivative("w[100000]")));
            assertEquals("unknown parameter 'V'; parameters are " + WIDE_SUMMARY, rejection(() -> WIDE.derivative("V")));
            assertEquals("parameter is null; parameters are " + WIDE_SUMMARY, rejection(() -> WIDE.derivative(null)));
        }

        @Test
        void anUnknownParameterOfANarrowLossListsTheElements() {
            assertEquals("unknown parameter 'x[0]'; parameters are [w[0], w[1], w[2], V[0][0], V[0][1], V[0][2], "
                    + "V[1][0], V[1][1], V[1][2], b]", rejection(() -> SMALL.derivative("x[0]")));
        }

        @Test
        void misshapedArraysAreCountedInElements() {
            double[] params = new double[WIDE_PARAMETERS];
            assertEquals("params has 3 values but the loss has " + WIDE_PARAMETERS + " parameters " + WIDE_SUMMARY,
                    rejection(() -> WIDE.gradient(new double[3], wideExample())));
            assertEquals("example has 2 values but the loss has 100001 inputs [x[0..99999], k10]",
                    rejection(() -> WIDE.loss(params, new double[2])));
            assertEquals("columns has 1 columns but the loss has 100001 inputs [x[0..99999], k10]",
                    rejection(() -> WIDE.totalLoss(params, new double[1][1])));
        }

        @Test
        void aMisshapedColumnOrRowIsNamedByItsElement() {
            double[] params = new double[WIDE_PARAMETERS];
            double[][] columns = new double[WIDTH + 1][2];
            columns[7] = new double[1];
            assertEquals("ragged batch: column 7 (input 'x[7]') has 1 rows but column 0 (input 'x[0]') has 2",
                    rejection(() -> WIDE.totalLoss(params, columns)));
            columns[7] = new double[2];
            double[][] out = new double[WIDE_PARAMETERS][2];
            out[WIDTH + 5] = new double[1];
            assertEquals("out[100005] (parameter 'V[0][5]') has length 1 but the batch size is 2",
                    rejection(() -> WIDE.perExampleGradientsInto(params, columns, out)));
        }
    }

    @Nested
    class Construction {

        private static final String[][] NO_INDICES = {{}};

        private NamesOnlyLoss scalarLoss(String[] templates, String[][] indices) {
            return new NamesOnlyLoss(new String[] {"b"}, new int[][] {{}}, new String[0], new int[0][], templates,
                    indices);
        }

        @Test
        void rejectsCountsThatDisagree() {
            assertEquals("2 parameter names but 1 shapes; one shape per declared parameter expected",
                    rejection(() -> new NamesOnlyLoss(new String[] {"w", "b"}, new int[][] {{3}}, new String[0], new int[0][],
                            new String[] {"x[k0]", "1.0"}, new String[][] {{"k0"}, {}})));
            assertEquals("1 declared parameters but 2 derivative templates and 1 lists of index names; one each expected",
                    rejection(() -> scalarLoss(new String[] {"1.0", "2.0"}, NO_INDICES)));
            assertEquals("1 declared parameters but 1 derivative templates and 0 lists of index names; one each expected",
                    rejection(() -> scalarLoss(new String[] {"1.0"}, new String[0][])));
        }

        @Test
        void rejectsANullTemplate() {
            assertEquals("the derivative template of 'b' is null", rejection(() -> scalarLoss(new String[1], NO_INDICES)));
        }

        @Test
        void rejectsNamesThatAreEmptyRepeatedOrBracketed() {
            assertEquals("declared parameter name 'w[3]' holds a bracket; its dimensions belong in its shape",
                    rejection(() -> NamesOnlyLoss.shaped(new String[] {"w[3]"}, new int[][] {{3}})));
            assertEquals("duplicate parameter name 'w'",
                    rejection(() -> NamesOnlyLoss.shaped(new String[] {"w", "w"}, new int[][] {{3}, {}})));
            assertEquals("a declared parameter name is empty",
                    rejection(() -> NamesOnlyLoss.shaped(new String[] {""}, new int[][] {{}})));
            assertEquals("a declared input name is null", rejection(() -> new NamesOnlyLoss(new String[0], new int[0][],
                    new String[] {null}, new int[][] {{}}, new String[0], new String[0][])));
        }

        @Test
        void rejectsDimensionsBelowOne() {
            assertEquals("parameter 'w' has shape [0]; every dimension must be at least 1",
                    rejection(() -> NamesOnlyLoss.shaped(new String[] {"w"}, new int[][] {{0}})));
            assertEquals("parameter 'V' has shape [3, -1]; every dimension must be at least 1",
                    rejection(() -> NamesOnlyLoss.shaped(new String[] {"V"}, new int[][] {{3, -1}})));
        }

        @Test
        void acceptsAsManyElementsAsADoubleArrayHoldsAndNoMore() {
            int most = Integer.MAX_VALUE - 8;
            assertEquals(most, NamesOnlyLoss.shaped(new String[] {"w"}, new int[][] {{most}}).parameters().size());
            String tooMany = "more than " + most + " parameter elements declared";
            assertEquals(tooMany, rejection(() -> NamesOnlyLoss.shaped(new String[] {"w", "b"}, new int[][] {{most}, {}})));
            // 65536² is 0 in int arithmetic.
            assertEquals(tooMany, rejection(() -> NamesOnlyLoss.shaped(new String[] {"V"}, new int[][] {{65_536, 65_536}})));
        }

        @Test
        void rejectsIndexNamesThatDoNotFitTheirParameter() {
            String[] templates = {"x[k]"};
            int[][] vector = {{3}};
            assertEquals("the derivative template of 'w' needs 1 index names, one per dimension, but has 2",
                    rejection(() -> new NamesOnlyLoss(new String[] {"w"}, vector, new String[0], new int[0][], templates,
                            new String[][] {{"k", "m"}})));
            for (String notAnIndexName : new String[] {"0k", "k-1", "", null}) {
                assertEquals("index name '" + notAnIndexName + "' of the derivative template of 'w' must be a Java "
                                + "identifier, distinct from the template's other index names",
                        rejection(() -> new NamesOnlyLoss(new String[] {"w"}, vector, new String[0], new int[0][],
                                templates, new String[][] {{notAnIndexName}})));
            }
            assertEquals("index name 'k' of the derivative template of 'V' must be a Java identifier, distinct "
                    + "from the template's other index names", rejection(() -> new NamesOnlyLoss(new String[] {"V"},
                    new int[][] {{2, 2}}, new String[0], new int[0][], templates, new String[][] {{"k", "k"}})));
        }
    }
}
