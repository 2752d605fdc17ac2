package dev.symgrad.compiler.properties;

import dev.symgrad.compiler.codegen.LossProgram;
import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Evaluator;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far apart route (a) and route (b) can be: a first-order running error bound (Higham, §3.3), in
 * the style of {@link SummationOrderBound}, of each route against the real value both compute.
 *
 * <p>Route (b) is route (a)'s {@code Σ g} with what does not depend on the example factored out of the
 * sum, so the two DAGs share most per-example nodes, and the generated code computes a shared node to
 * the same bits in both (it equals the interpreter bit for bit per example). Those nodes are exact
 * atoms here; both routes are then the same real function of them (the rewrites are identities of real
 * arithmetic), and {@code |a − b| ≤ E_a + E_b}, where {@code E} adds, for every node only one route
 * has, its own rounding propagated to the result:
 *
 * <ul>
 *   <li>{@code + - * /}: {@code u·|result|}, {@code u = 2⁻⁵³}; a constant one route alone has (folded):
 *       {@code u·|c|}; negation, {@code abs}, {@code max}, {@code min}: none (exact, and they pass on at
 *       most the larger error of their operands);
 *   <li>a {@code Math} function: its specified accuracy, 2.5 ulp ({@code 5u·|result|}) for {@code sinh},
 *       {@code cosh} and {@code tanh}, 0.5 for {@code sqrt}, 1 for the others, plus the error of its
 *       arguments times the largest slope at the argument and at the argument ± its error;
 *   <li>a batch sum of N terms: the terms' errors plus {@code (N−1)u·Σ|term|}, for any order of adding
 *       them (each term passes through at most N−1 additions).
 * </ul>
 *
 * A conditional whose test operands carry errors larger than their gap could take the other branch:
 * the bound is then infinite.
 */
final class RouteAgreementBound {

    private static final double U = 0x1p-53;

    private final double[] params;
    private final double[][] columns;
    private final Set<Node> shared;

    private RouteAgreementBound(double[] params, double[][] columns, Set<Node> shared) {
        this.params = params;
        this.columns = columns;
        this.shared = shared;
    }

    /** Per parameter, the bound on |route (a) − route (b)|; infinite where it cannot be bounded. */
    static double[] of(LossProgram program, double[] params, double[][] columns) {
        Set<Node> routeA = identitySet(Graph.topologicalOrder(program.sumOfPerExampleGradients()));
        Set<Node> batchLevel = identitySet(List.of());
        Set<Node> shared = identitySet(List.of());
        for (Node node : Graph.topologicalOrder(program.gradientOfSum())) {
            if (node instanceof BatchSum || node instanceof BatchSize
                    || node.children().stream().anyMatch(batchLevel::contains)) {
                // Summed in a different order, or with different terms, in each route.
                batchLevel.add(node);
            } else if (routeA.contains(node)) {
                shared.add(node);
            }
        }
        RouteAgreementBound bound = new RouteAgreementBound(params, columns, shared);
        double[] bounds = new double[program.parameters().size()];
        for (int p = 0; p < bounds.length; p++) {
            double sum = bound.batchLevel(program.sumOfPerExampleGradients().get(p))
                    + bound.batchLevel(program.gradientOfSum().get(p));
            bounds[p] = Double.isNaN(sum) ? Double.POSITIVE_INFINITY : sum;
        }
        return bounds;
    }

    private static Set<Node> identitySet(List<Node> nodes) {
        Set<Node> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(nodes);
        return set;
    }

    /** The error bound of a batch-level root: batch sums first, then the nodes around them. */
    private double batchLevel(Expr root) {
        List<Node> order = Graph.topologicalOrder(List.of(root), node -> node instanceof BatchSum);
        Map<Node, Double> values = new Evaluator(List.of(root)).evaluate(params, null, columns);
        Map<Node, Double> errors = new IdentityHashMap<>();
        for (Node node : order) {
            if (node instanceof BatchSum sum) {
                errors.put(node, sum(sum.summand()));
            } else if (node instanceof BatchSize) {
                errors.put(node, 0.0);
            } else {
                propagate(node, values, errors);
            }
        }
        return errors.get(root);
    }

    private double sum(Expr summand) {
        int n = columns[0].length;
        List<Node> order = Graph.topologicalOrder(List.of(summand));
        Evaluator evaluator = new Evaluator(List.of(summand));
        double termErrors = 0;
        double absoluteSum = 0;
        double[] example = new double[columns.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < columns.length; c++) {
                example[c] = columns[c][i];
            }
            Map<Node, Double> values = evaluator.evaluate(params, example, null);
            Map<Node, Double> errors = new IdentityHashMap<>();
            for (Node node : order) {
                propagate(node, values, errors);
            }
            termErrors += errors.get(summand);
            absoluteSum += Math.abs(values.get(summand));
        }
        return termErrors + Math.max(n - 1, 0) * U * absoluteSum;
    }

    /** Puts the error bound of {@code node} (a condition: 0, or infinite if it could flip) into {@code errors}. */
    private void propagate(Node node, Map<Node, Double> values, Map<Node, Double> errors) {
        double error;
        if (shared.contains(node) || node instanceof Variable || node instanceof BooleanConstant) {
            error = 0;
        } else if (node instanceof Constant constant) {
            error = U * Math.abs(constant.value());
        } else if (node instanceof Condition condition) {
            error = mayFlip(condition, values, errors) ? Double.POSITIVE_INFINITY : 0;
        } else if (node instanceof Conditional conditional) {
            boolean taken = values.get(conditional.test()) == 1.0;
            error = errors.get(conditional.test()) + errors.get(taken ? conditional.ifTrue() : conditional.ifFalse());
        } else if (node instanceof Unary unary) {
            error = unary(unary, values.get(unary.operand()), errors.get(unary.operand()), values.get(node));
        } else if (node instanceof Binary binary) {
            error = binary(binary, values.get(binary.left()), values.get(binary.right()),
                    errors.get(binary.left()), errors.get(binary.right()), values.get(node));
        } else {
            throw new IllegalStateException("no error bound for " + node.getClass().getSimpleName());
        }
        errors.put(node, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
    }

    private static boolean mayFlip(Condition condition, Map<Node, Double> values, Map<Node, Double> errors) {
        if (condition instanceof Comparison comparison) {
            double error = errors.get(comparison.left()) + errors.get(comparison.right());
            return error != 0 && !(Math.abs(values.get(comparison.left()) - values.get(comparison.right())) > error);
        }
        if (condition instanceof Logical logical) {
            return errors.get(logical.left()) != 0 || errors.get(logical.right()) != 0;
        }
        if (condition instanceof Not not) {
            return errors.get(not.operand()) != 0;
        }
        return false;
    }

    private static double unary(Unary node, double x, double e, double result) {
        double ulps = switch (node.op()) {
            case NEG, ABS -> 0;
            case SQRT -> 0.5;
            case SINH, COSH, TANH -> 2.5;
            default -> 1;
        };
        double propagated = e == 0 ? 0 : Slopes.unary(node.op(), x, e) * e;
        // One ulp of a normal result is at most 2u|result|; the smallest subnormal covers results below.
        double own = ulps == 0 ? 0 : ulps * (2 * U * Math.abs(result) + Double.MIN_VALUE);
        return propagated + own;
    }

    private static double binary(Binary node, double x, double y, double ex, double ey, double result) {
        return switch (node.op()) {
            case ADD, SUB -> rounded(result, ex + ey);
            case MUL -> rounded(result, Math.abs(y) * ex + Math.abs(x) * ey + ex * ey);
            case DIV -> {
                double margin = Math.abs(y) - ey;
                yield margin > 0 ? rounded(result, (ex + Math.abs(x / y) * ey) / margin) : Double.POSITIVE_INFINITY;
            }
            // Both are 1-Lipschitz in the largest coordinate, and exact.
            case MAX, MIN -> Math.max(ex, ey);
            case HYPOT -> ex + ey + 2 * U * Math.abs(result) + Double.MIN_VALUE;
            case POW -> Slopes.pow(x, y, ex, ey) + 2 * U * Math.abs(result) + Double.MIN_VALUE;
            // ∂/∂x + ∂/∂y = σ(x - y) + σ(y - x) = 1, so 1-Lipschitz in the largest coordinate; its own
            // rounding: max + log1p(e^-|x-y|), the log1p term at most log 2 and an ulp or two off.
            case LOGADDEXP -> Math.max(ex, ey) + 3 * U * (Math.abs(result) + 1) + Double.MIN_VALUE;
        };
    }

    /** The propagated error plus the operation's own rounding: {@code u|result|}, or a subnormal's spacing. */
    private static double rounded(double result, double propagated) {
        return propagated + U * Math.abs(result) + Double.MIN_VALUE;
    }
}
