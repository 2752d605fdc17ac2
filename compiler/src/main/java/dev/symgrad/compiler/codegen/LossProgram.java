package dev.symgrad.compiler.codegen;

import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.JavaPrinter;

import java.util.List;

/**
 * Everything the generator needs for one loss, already differentiated and simplified.
 *
 * @param parameters         parameter names, in order
 * @param inputs             input names, in order
 * @param loss               the per-example loss
 * @param gradient           the per-example partial derivatives, one per parameter
 * @param totalLoss          the batch-level sum of the loss (contains batch sums)
 * @param sumOfPerExampleGradients route (a) summed: {@code Σ g_p} per parameter, not simplified, so the
 *                           loop adds exactly the per-example gradients
 * @param gradientOfSum      route (b): the batch-level gradient of the summed loss, one per parameter
 * @param clippedGradientSum {@code Σ g_p·min(1, C/‖g‖₂)} per parameter, for DP-SGD, with the norm formed as
 *                           {@code sqrt(Σ g²)}, then the number of examples for which that norm cannot be
 *                           trusted (P + 1 sums; the runtime then clips the batch exactly); C is the
 *                           parameter variable with index {@code parameters().size()}
 * @param gradientNorm       the per-example {@code ‖g‖₂}, without overflow or underflow in between
 */
public record LossProgram(
        List<String> parameters,
        List<String> inputs,
        Expr loss,
        List<Expr> gradient,
        Expr totalLoss,
        List<Expr> sumOfPerExampleGradients,
        List<Expr> gradientOfSum,
        List<Expr> clippedGradientSum,
        Expr gradientNorm) {

    public LossProgram {
        parameters = List.copyOf(parameters);
        inputs = List.copyOf(inputs);
        gradient = List.copyOf(gradient);
        sumOfPerExampleGradients = List.copyOf(sumOfPerExampleGradients);
        gradientOfSum = List.copyOf(gradientOfSum);
        clippedGradientSum = List.copyOf(clippedGradientSum);
        if (gradient.size() != parameters.size() || gradientOfSum.size() != parameters.size()
                || clippedGradientSum.size() != parameters.size() + 1
                || sumOfPerExampleGradients.size() != parameters.size()) {
            throw new IllegalArgumentException("one derivative per parameter expected (and one more clipped sum, the"
                    + " count of examples whose norm cannot be trusted)");
        }
    }

    /** The loss in Java syntax, printed on each call (printing is most of a small loss's compile). */
    public String printedLoss() {
        return JavaPrinter.print(loss);
    }

    /** The partial derivative with respect to parameter {@code p} in Java syntax, printed on each call. */
    public String printedDerivative(int p) {
        return JavaPrinter.print(gradient.get(p));
    }

    /** Every partial derivative in Java syntax, printed. */
    public List<String> printedDerivatives() {
        List<String> printed = new java.util.ArrayList<>();
        for (Expr partial : gradient) {
            printed.add(JavaPrinter.print(partial));
        }
        return printed;
    }
}
