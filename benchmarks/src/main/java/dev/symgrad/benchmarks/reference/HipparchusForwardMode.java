package dev.symgrad.benchmarks.reference;

import dev.symgrad.benchmarks.GradientImplementation;
import dev.symgrad.benchmarks.Workload;
import org.hipparchus.CalculusFieldElement;
import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Forward-mode automatic differentiation with Hipparchus: each example's loss is evaluated on P
 * independent variables, one per parameter, and its gradient is read off the result.
 *
 * <p>Forward mode has no separate route (b): it only ever differentiates one example's loss, so the
 * gradient of the sum is computed as the sum of the per-example gradients, exactly like route (a)
 * summed.
 *
 * <p>Each loss is written once, generically over {@link CalculusFieldElement}, mirroring the Java
 * expression in {@link Workload}; the two variants differ only in the number type. The parameter
 * variables are built once per call, not once per example, as a careful user would.
 */
public final class HipparchusForwardMode {

    /** Which Hipparchus number type carries the derivatives. */
    public enum Variant {
        /** {@link Gradient}: value plus first derivatives, specialised for order 1. */
        GRADIENT,
        /** {@link DerivativeStructure} from {@code new DSFactory(P, 1)}: the general any-order type. */
        DERIVATIVE_STRUCTURE
    }

    private HipparchusForwardMode() {
    }

    /** Forward mode for {@code workload} with the number type of {@code variant}; none for {@link Workload#W5}. */
    public static GradientImplementation forWorkload(Workload workload, Variant variant) {
        Loss loss = switch (workload) {
            case W1 -> new SquaredProduct();
            case W2 -> new LinearRegression();
            case W3 -> new LogisticRegression();
            case W4 -> new TanhNetwork();
            case W5 -> throw new IllegalArgumentException(
                    "no hand-written reference for W5: its 600-term loss exists to measure compile time");
        };
        int parameterCount = workload.parameters().size();
        return switch (variant) {
            case GRADIENT -> new WithGradient(loss, parameterCount);
            case DERIVATIVE_STRUCTURE -> new WithDerivativeStructure(loss, parameterCount);
        };
    }

    /** One workload's per-example loss, written over any Hipparchus differentiable number type. */
    private interface Loss {
        <T extends CalculusFieldElement<T>> T evaluate(T[] params, double[][] columns, int example);
    }

    /** The three routes, given a way to make the parameter variables and to read a gradient. */
    private abstract static class ForwardMode<T extends CalculusFieldElement<T>> implements GradientImplementation {

        private final Loss loss;
        final int parameterCount;

        ForwardMode(Loss loss, int parameterCount) {
            this.loss = loss;
            this.parameterCount = parameterCount;
        }

        /** One independent variable per parameter, with the parameter's value. */
        abstract T[] variables(double[] params);

        /** Writes the derivatives of {@code value} with respect to each parameter into {@code gradient}. */
        abstract void readGradient(T value, double[] gradient);

        @Override
        public void perExampleGradients(double[] params, double[][] columns, double[][] out) {
            T[] variables = variables(params);
            double[] gradient = new double[parameterCount];
            int examples = columns[0].length;
            for (int i = 0; i < examples; i++) {
                readGradient(loss.evaluate(variables, columns, i), gradient);
                for (int p = 0; p < parameterCount; p++) {
                    out[p][i] = gradient[p];
                }
            }
        }

        @Override
        public void sumOfPerExampleGradients(double[] params, double[][] columns, double[] out) {
            T[] variables = variables(params);
            double[] gradient = new double[parameterCount];
            double[] sums = new double[parameterCount];
            int examples = columns[0].length;
            for (int i = 0; i < examples; i++) {
                readGradient(loss.evaluate(variables, columns, i), gradient);
                for (int p = 0; p < parameterCount; p++) {
                    sums[p] += gradient[p];
                }
            }
            System.arraycopy(sums, 0, out, 0, parameterCount);
        }

        /** Forward mode has no route (b) of its own: the gradient of the sum is the sum of the gradients. */
        @Override
        public void gradientOfSum(double[] params, double[][] columns, double[] out) {
            sumOfPerExampleGradients(params, columns, out);
        }
    }

    private static final class WithGradient extends ForwardMode<Gradient> {

        WithGradient(Loss loss, int parameterCount) {
            super(loss, parameterCount);
        }

        @Override
        Gradient[] variables(double[] params) {
            Gradient[] variables = new Gradient[parameterCount];
            for (int p = 0; p < parameterCount; p++) {
                variables[p] = Gradient.variable(parameterCount, p, params[p]);
            }
            return variables;
        }

        @Override
        void readGradient(Gradient value, double[] gradient) {
            for (int p = 0; p < parameterCount; p++) {
                gradient[p] = value.getPartialDerivative(p);
            }
        }
    }

    private static final class WithDerivativeStructure extends ForwardMode<DerivativeStructure> {

        private final DSFactory factory;
        /** Where {@code ∂/∂param p} sits in {@link DerivativeStructure#getAllDerivatives()}. */
        private final int[] derivativeIndex;

        WithDerivativeStructure(Loss loss, int parameterCount) {
            super(loss, parameterCount);
            factory = new DSFactory(parameterCount, 1);
            derivativeIndex = new int[parameterCount];
            for (int p = 0; p < parameterCount; p++) {
                int[] orders = new int[parameterCount];
                orders[p] = 1;
                derivativeIndex[p] = factory.getCompiler().getPartialDerivativeIndex(orders);
            }
        }

        @Override
        DerivativeStructure[] variables(double[] params) {
            DerivativeStructure[] variables = new DerivativeStructure[parameterCount];
            for (int p = 0; p < parameterCount; p++) {
                variables[p] = factory.variable(p, params[p]);
            }
            return variables;
        }

        @Override
        void readGradient(DerivativeStructure value, double[] gradient) {
            // getAllDerivatives copies once; getPartialDerivative(int...) would search the index per call.
            double[] all = value.getAllDerivatives();
            for (int p = 0; p < parameterCount; p++) {
                gradient[p] = all[derivativeIndex[p]];
            }
        }
    }

    /** W1: {@code (w * x) * (w * x)}. */
    private static final class SquaredProduct implements Loss {
        @Override
        public <T extends CalculusFieldElement<T>> T evaluate(T[] params, double[][] columns, int example) {
            T product = params[0].multiply(columns[0][example]);
            return product.multiply(product);
        }
    }

    /** W2: {@code (w * x + b - y) * (w * x + b - y)}. */
    private static final class LinearRegression implements Loss {
        @Override
        public <T extends CalculusFieldElement<T>> T evaluate(T[] params, double[][] columns, int example) {
            T residual = params[0].multiply(columns[0][example]).add(params[1]).subtract(columns[1][example]);
            return residual.multiply(residual);
        }
    }

    /** W3: {@code Math.log1p(Math.exp(-y * (w0 * x0 + ... + w7 * x7 + b)))}. */
    private static final class LogisticRegression implements Loss {
        @Override
        public <T extends CalculusFieldElement<T>> T evaluate(T[] params, double[][] columns, int example) {
            int features = params.length - 1;
            T score = params[0].multiply(columns[0][example]);
            for (int j = 1; j < features; j++) {
                score = score.add(params[j].multiply(columns[j][example]));
            }
            score = score.add(params[features]);
            return score.multiply(-columns[features][example]).exp().log1p();
        }
    }

    /** W4: {@code (v0 * Math.tanh(a0 * x + c0) + ... + d - y)²}; parameters v, a, c, d. */
    private static final class TanhNetwork implements Loss {
        @Override
        public <T extends CalculusFieldElement<T>> T evaluate(T[] params, double[][] columns, int example) {
            int hidden = (params.length - 1) / 3;
            double x = columns[0][example];
            T output = unit(params, hidden, 0, x);
            for (int k = 1; k < hidden; k++) {
                output = output.add(unit(params, hidden, k, x));
            }
            T residual = output.add(params[3 * hidden]).subtract(columns[1][example]);
            return residual.multiply(residual);
        }

        /** {@code v_k * Math.tanh(a_k * x + c_k)}. */
        private static <T extends CalculusFieldElement<T>> T unit(T[] params, int hidden, int k, double x) {
            return params[k].multiply(params[hidden + k].multiply(x).add(params[2 * hidden + k]).tanh());
        }
    }
}
