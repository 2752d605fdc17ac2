package dev.symgrad.examples;

import dev.symgrad.compiler.Symgrad;
import dev.symgrad.compiler.codegen.Backend;
import dev.symgrad.runtime.CompiledLoss;

import java.util.Arrays;
import java.util.List;

/**
 * The reference example: {@code f(w, x) = (w*x)*(w*x)} at {@code w = 1} on the batch {@code x = [1, 2]}.
 * Per-example gradients are {@code [2, 8]}; route (a) (sum of per-example gradients) and route (b)
 * (gradient of the summed loss) both give 10.
 */
public final class SeedExample {

    private static final CompiledLoss LOSS = Symgrad.compile("(w * x) * (w * x)", List.of("w"), List.of("x"));

    private SeedExample() {
    }

    /** {@code [wayA, wayB]}: the batch gradient by route (a) and by route (b); equal by linearity. */
    public static double[] equivalentTwoWays(double w, double[] xBatch) {
        double[] params = {w};
        double[][] columns = {xBatch};
        double wayA = LOSS.sumOfPerExampleGradients(params, columns)[0];
        double wayB = LOSS.gradientOfSum(params, columns)[0];
        return new double[] {wayA, wayB};
    }

    /** The per-example gradients {@code d/dw f(w, x_i)}, like {@code vmap(grad(f))}. */
    public static double[] perExampleGradients(double w, double[] xBatch) {
        return LOSS.perExampleGradients(new double[] {w}, new double[][] {xBatch})[0];
    }

    public static void main(String[] args) {
        double w = 1.0;
        double[] x = {1.0, 2.0};
        System.out.println("batch loops:             " + batchLoops());
        System.out.println("loss:                    " + LOSS.expression());
        System.out.println("d/dw:                    " + LOSS.derivative("w"));
        System.out.println("per-example gradients:   " + Arrays.toString(perExampleGradients(w, x)));
        double[] twoWays = equivalentTwoWays(w, x);
        System.out.println("route (a), summed:       " + twoWays[0]);
        System.out.println("route (b), grad of sum:  " + twoWays[1]);
        System.out.println("equivalentTwoWays(1.0, [1.0, 2.0]) = " + Arrays.toString(twoWays));
        System.out.println();
        LinearRegressionExample.main(args);
        System.out.println();
        BuildTimeExample.main(args);
        System.out.println();
        DiabetesExample.main(args);
        System.out.println();
        BreastCancerExample.main(args);
        System.out.println();
        DigitsExample.main(args);
        System.out.println();
        CurveFittingExample.main(args);
    }

    /** Which backend {@code Symgrad.compile} uses in this JVM, and why when it is the scalar one. */
    static String batchLoops() {
        if (Backend.selected() == Backend.VECTOR) {
            return "Vector API (jdk.incubator.vector)";
        }
        String unavailable = Backend.vectorUnavailableBecause();
        return "scalar (" + (unavailable == null ? "-Dsymgrad.backend=scalar" : unavailable) + ")";
    }
}
