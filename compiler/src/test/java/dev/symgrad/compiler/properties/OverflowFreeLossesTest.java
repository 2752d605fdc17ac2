package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.GeneratedClassVerifier;
import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.compiler.codegen.ClassGenerator;
import dev.symgrad.compiler.codegen.CodeShape;
import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.load.HiddenClassDefiner;
import dev.symgrad.runtime.CompiledLoss;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.dfp.DfpMath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Losses written the way that overflows ({@code log1p(exp(z))}, {@code log(1 + exp(z))}, a log of a sum
 * of exponentials, {@code exp(z) / (1 + exp(z))}, a log of a sigmoid) give finite losses and gradients for
 * margins z from 0 to 10⁵ in both signs, in every kernel and every code shape (and, where the Vector API is
 * readable, the vector backend's), within a few ulps of the exact values computed with Hipparchus'
 * 40-digit {@code Dfp}. Before the simplifier's stable rewrites, z = 710 already gave an infinite loss and
 * a NaN gradient.
 */
class OverflowFreeLossesTest {

    private static final DfpField FIELD = new DfpField(40);

    /** Margins from 0 to 10⁵, both signs: the batch (23 examples, so vector loops have a tail too). */
    private static final double[] MARGINS = {0.0, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 10.0, -10.0, 30.0, -30.0, 100.0,
        -100.0, 700.0, -700.0, 710.0, -710.0, 1000.0, -1000.0, 1e4, -1e4, 1e5, -1e5};

    /**
     * Per-example values against the exact ones, in ulps of the exact value (an absolute floor of the
     * smallest normal's ulp covers results that underflow). Measured largest errors, on both backends and
     * JDK 17: 1 ulp for the loss and 2 for the gradient; the bounds leave one more.
     */
    private static final double LOSS_ULPS = 2;
    private static final double GRADIENT_ULPS = 3;

    /** One loss of the parameter w and the input z, with its exact value and derivative at w = 1. */
    enum StableLoss {
        SOFTPLUS_LOG1P("Math.log1p(Math.exp(w * z))", z -> softplus(z), z -> z.multiply(sigmoid(z))),
        LOG_LOSS("Math.log1p(Math.exp(-w * z))", z -> softplus(z.negate()), z -> z.negate().multiply(sigmoid(z.negate()))),
        SOFTPLUS_LOG("Math.log(1 + Math.exp(w * z))", z -> softplus(z), z -> z.multiply(sigmoid(z))),
        LOG_SUM_EXP("Math.log(Math.exp(w * z) + Math.exp(2 * w * z) + Math.exp(-w * z))",
                z -> DfpMath.log(sumOfExponentials(z)),
                z -> z.multiply(DfpMath.exp(z).add(DfpMath.exp(z.multiply(2)).multiply(2))
                        .subtract(DfpMath.exp(z.negate()))).divide(sumOfExponentials(z))),
        SIGMOID("Math.exp(w * z) / (1 + Math.exp(w * z))", z -> sigmoid(z),
                z -> z.multiply(sigmoid(z)).multiply(sigmoid(z.negate()))),
        LOG_SIGMOID("-Math.log(1 / (1 + Math.exp(-w * z)))", z -> softplus(z.negate()),
                z -> z.negate().multiply(sigmoid(z.negate())));

        final String source;
        final Function<Dfp, Dfp> value;
        final Function<Dfp, Dfp> derivative;

        StableLoss(String source, Function<Dfp, Dfp> value, Function<Dfp, Dfp> derivative) {
            this.source = source;
            this.value = value;
            this.derivative = derivative;
        }
    }

    /**
     * {@code log(1 + e^z)} to 40 digits: {@code z + log1p(e^-z)} above 0, {@code log1p(e^z)} below, with
     * {@code log1p(t)} by its series where {@code 1 + t} would round to 1 in 40 digits (e^-100 is 4e-44).
     */
    private static Dfp softplus(Dfp z) {
        return z.greaterThan(FIELD.getZero()) ? z.add(log1p(DfpMath.exp(z.negate()))) : log1p(DfpMath.exp(z));
    }

    private static Dfp log1p(Dfp t) {
        if (t.greaterThan(FIELD.newDfp(1e-5))) {
            return DfpMath.log(FIELD.getOne().add(t));
        }
        // t - t²/2 + t³/3 - t⁴/4 + t⁵/5; the next term is below 1e-30 of t.
        Dfp sum = FIELD.getZero();
        Dfp power = t;
        for (int k = 1; k <= 5; k++) {
            Dfp term = power.divide(k);
            sum = k % 2 == 1 ? sum.add(term) : sum.subtract(term);
            power = power.multiply(t);
        }
        return sum;
    }

    private static Dfp sigmoid(Dfp z) {
        return FIELD.getOne().divide(FIELD.getOne().add(DfpMath.exp(z.negate())));
    }

    private static Dfp sumOfExponentials(Dfp z) {
        return DfpMath.exp(z).add(DfpMath.exp(z.multiply(2))).add(DfpMath.exp(z.negate()));
    }

    private static List<CodeShape> everyShape() {
        List<CodeShape> shapes = new ArrayList<>(KernelChecks.shapes(Backend.SCALAR));
        if (Backend.vectorUnavailableBecause() == null) {
            shapes.addAll(KernelChecks.shapes(Backend.VECTOR));
        }
        return shapes;
    }

    @ParameterizedTest
    @EnumSource(StableLoss.class)
    void everyKernelInEveryShapeIsFiniteAndCloseToTheExactValues(StableLoss loss) {
        LossProgram program = new LossCompiler().compile(loss.source, List.of("w"), List.of("z"));
        double[] params = {1.0};
        double[][] columns = {MARGINS};
        double[] exactLoss = new double[MARGINS.length];
        double[] exactGradient = new double[MARGINS.length];
        for (int i = 0; i < MARGINS.length; i++) {
            Dfp z = FIELD.newDfp(MARGINS[i]);
            exactLoss[i] = loss.value.apply(z).toDouble();
            exactGradient[i] = loss.derivative.apply(z).toDouble();
        }
        for (CodeShape shape : everyShape()) {
            byte[] bytes = ClassGenerator.generate(program, HiddenClassDefiner.CLASS_NAME, shape);
            GeneratedClassVerifier.verify(bytes);
            CompiledLoss compiled = HiddenClassDefiner.define(bytes);
            String where = loss.source + " in " + shape;
            double[] losses = compiled.perExampleLosses(params, columns);
            double[] gradients = compiled.perExampleGradients(params, columns)[0];
            for (int i = 0; i < MARGINS.length; i++) {
                assertClose(exactLoss[i], losses[i], LOSS_ULPS, where + ", loss at z = " + MARGINS[i]);
                assertClose(exactGradient[i], gradients[i], GRADIENT_ULPS, where + ", gradient at z = " + MARGINS[i]);
                double[] one = compiled.gradient(params, new double[] {MARGINS[i]});
                assertClose(exactGradient[i], one[0], GRADIENT_ULPS, where + ", one example's gradient at z = "
                        + MARGINS[i]);
            }
            double exactTotal = 0;
            double exactGradientSum = 0;
            double scale = 0;
            double gradientScale = 0;
            for (int i = 0; i < MARGINS.length; i++) {
                exactTotal += exactLoss[i];
                exactGradientSum += exactGradient[i];
                scale += Math.abs(exactLoss[i]);
                gradientScale += Math.abs(exactGradient[i]);
            }
            // Sums: each term's ulps plus one rounding per addition, on the sum of magnitudes.
            double sumTolerance = (LOSS_ULPS + MARGINS.length) * Math.ulp(scale);
            double gradientSumTolerance = (GRADIENT_ULPS + MARGINS.length) * Math.ulp(gradientScale);
            assertWithin(exactTotal, compiled.totalLoss(params, columns), sumTolerance, where + ", total loss");
            assertWithin(exactGradientSum, compiled.gradientOfSum(params, columns)[0], gradientSumTolerance,
                    where + ", route (b)");
            assertWithin(exactGradientSum, compiled.sumOfPerExampleGradients(params, columns)[0], gradientSumTolerance,
                    where + ", route (a) summed");
        }
    }

    private static void assertClose(double exact, double actual, double ulps, String what) {
        assertTrue(Double.isFinite(actual), what + ": " + actual);
        assertWithin(exact, actual, ulps * Math.max(Math.ulp(exact), Math.ulp(Double.MIN_NORMAL)), what);
    }

    private static void assertWithin(double exact, double actual, double tolerance, String what) {
        assertTrue(Double.isFinite(actual) && Math.abs(actual - exact) <= tolerance,
                what + ": exact " + exact + ", got " + actual + " (" + Math.abs(actual - exact) / Math.ulp(exact)
                        + " ulps)");
    }
}
