package dev.symgrad.benchmarks;

import dev.symgrad.compiler.SecondOrderLoss;
import dev.symgrad.compiler.Symgrad;

import java.util.ArrayList;
import java.util.List;

/** The models of {@link SecondOrderBenchmark}, compiled with their second derivatives. */
public final class SecondOrderBenchmarkModels {

    /** Features of the logistic model. */
    public static final int FEATURES = 30;

    private SecondOrderBenchmarkModels() {
    }

    /**
     * {@code logistic}: {@code log1p(exp(-s·(b + Σ_j w_j·z_j)))} over 30 features as an expression string,
     * parameters {@code w0 .. w29, b}, inputs {@code z0 .. z29, s}; {@code network}: the 64→32→10 network.
     */
    public static SecondOrderLoss compile(String model) {
        if (model.equals("network")) {
            return Symgrad.compileMethodSecondOrder(WideModels.network(32), "mlp", WideModels.NETWORK_PARAMETERS,
                    WideModels.networkShapes(32));
        }
        StringBuilder margin = new StringBuilder("b");
        List<String> parameters = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            margin.append(" + w").append(j).append(" * z").append(j);
            parameters.add("w" + j);
            inputs.add("z" + j);
        }
        parameters.add("b");
        inputs.add("s");
        return Symgrad.compileSecondOrder("Math.log1p(Math.exp(-s * (" + margin + ")))", parameters, inputs);
    }

}
