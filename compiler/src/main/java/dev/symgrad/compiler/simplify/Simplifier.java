package dev.symgrad.compiler.simplify;

import dev.symgrad.compiler.ir.ArrayVariable;
import dev.symgrad.compiler.ir.BatchSize;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Element;
import dev.symgrad.compiler.ir.IndexComparison;
import dev.symgrad.compiler.ir.Sum;
import dev.symgrad.compiler.ir.Tensor;
import dev.symgrad.compiler.ir.BatchSum;
import dev.symgrad.compiler.ir.Binary;
import dev.symgrad.compiler.ir.BooleanConstant;
import dev.symgrad.compiler.ir.Comparison;
import dev.symgrad.compiler.ir.Condition;
import dev.symgrad.compiler.ir.ConditionVisitor;
import dev.symgrad.compiler.ir.Conditional;
import dev.symgrad.compiler.ir.Constant;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.ExprVisitor;
import dev.symgrad.compiler.ir.Graph;
import dev.symgrad.compiler.ir.Logical;
import dev.symgrad.compiler.ir.Node;
import dev.symgrad.compiler.ir.Not;
import dev.symgrad.compiler.ir.Unary;
import dev.symgrad.compiler.ir.Variable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the {@link #RULES} to a fixed point. One pass rebuilds the DAG bottom-up in topological order
 * (no recursion), rewriting each node with the first rule that applies until none does; passes repeat
 * until the roots stop changing, at most {@link #MAX_PASSES} times.
 */
public final class Simplifier {

    /** The rules in the order they are tried. */
    public static final List<RewriteRule> RULES = List.of(
            new ConstantFolding(),
            new StableExponentials(),
            new NeutralElements(),
            new AbsorbingElements(),
            new SameBranches(),
            new NegationPropagation(),
            new IntegerPowers(),
            new LikeTerms(),
            new ProductNormalization(),
            new BatchSumFactoring());

    static final int MAX_PASSES = 10;
    private static final int MAX_REWRITES_PER_NODE = 32;

    private final ExprFactory f;
    private final List<RewriteRule> rules;

    public Simplifier(ExprFactory factory) {
        this(factory, RULES);
    }

    /** A simplifier with only some rules, for testing one rule at a time. */
    public Simplifier(ExprFactory factory, List<RewriteRule> rules) {
        this.f = factory;
        this.rules = rules;
    }

    public Expr simplify(Expr root) {
        return simplify(List.of(root)).get(0);
    }

    /** Simplifies several roots together, so that what they share stays shared. */
    public List<Expr> simplify(List<Expr> roots) {
        List<Expr> current = roots;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<Expr> next = pass(current);
            if (sameNodes(next, current)) {
                return next;
            }
            current = next;
        }
        return current;
    }

    private List<Expr> pass(List<Expr> roots) {
        List<Node> order = Graph.topologicalOrder(roots);
        // Sized for the whole DAG: growing to W5's 10,000 nodes rehashed them a dozen times per pass.
        Map<Node, Node> simplified = new IdentityHashMap<>(order.size());
        Map<Node, Integer> uses = Graph.useCounts(order, roots);
        Set<Node> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : order) {
            Node result;
            if (node instanceof Expr expr) {
                result = rewrite(expr.accept(new Rebuild(simplified)), shared);
            } else if (node instanceof Comprehension comprehension) {
                result = f.comprehension(comprehension.indices(), (Expr) simplified.get(comprehension.body()));
            } else if (node instanceof ArrayVariable) {
                result = node;
            } else {
                result = ((Condition) node).accept(new RebuildCondition(simplified));
            }
            simplified.put(node, result);
            if (uses.getOrDefault(node, 0) > 1) {
                shared.add(result);
            }
        }
        List<Expr> result = new ArrayList<>();
        for (Expr root : roots) {
            result.add((Expr) simplified.get(root));
        }
        return result;
    }

    private Expr rewrite(Expr node, Set<Node> shared) {
        Expr current = node;
        for (int i = 0; i < MAX_REWRITES_PER_NODE; i++) {
            Expr next = null;
            for (RewriteRule rule : rules) {
                next = rule.rewrite(current, f, shared);
                if (next != null && next != current) {
                    break;
                }
                next = null;
            }
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }

    private static boolean sameNodes(List<Expr> a, List<Expr> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The node rebuilt from its simplified operands. */
    private final class Rebuild implements ExprVisitor<Expr> {
        private final Map<Node, Node> simplified;

        Rebuild(Map<Node, Node> simplified) {
            this.simplified = simplified;
        }

        private Expr get(Expr expr) {
            return (Expr) simplified.get(expr);
        }

        @Override
        public Expr constant(Constant node) {
            return node;
        }

        @Override
        public Expr variable(Variable node) {
            return node;
        }

        @Override
        public Expr unary(Unary node) {
            return f.unary(node.op(), get(node.operand()));
        }

        @Override
        public Expr binary(Binary node) {
            return f.binary(node.op(), get(node.left()), get(node.right()));
        }

        @Override
        public Expr conditional(Conditional node) {
            return f.conditional((Condition) simplified.get(node.test()), get(node.ifTrue()), get(node.ifFalse()));
        }

        @Override
        public Expr batchSum(BatchSum node) {
            return f.batchSum(get(node.summand()));
        }

        @Override
        public Expr batchSize(BatchSize node) {
            return node;
        }

        @Override
        public Expr element(Element node) {
            return f.element((Tensor) simplified.get(node.array()), node.at());
        }

        @Override
        public Expr sum(Sum node) {
            return f.reduction(node, get(node.start()), get(node.body()));
        }
    }

    /** The condition rebuilt from its simplified operands, with constant tests folded. */
    private final class RebuildCondition implements ConditionVisitor<Condition> {
        private final Map<Node, Node> simplified;

        RebuildCondition(Map<Node, Node> simplified) {
            this.simplified = simplified;
        }

        @Override
        public Condition bool(BooleanConstant node) {
            return node;
        }

        @Override
        public Condition comparison(Comparison node) {
            Expr left = (Expr) simplified.get(node.left());
            Expr right = (Expr) simplified.get(node.right());
            if (left instanceof Constant a && right instanceof Constant b) {
                return f.bool(node.op().test(a.value(), b.value()));
            }
            return f.compare(node.op(), left, right);
        }

        @Override
        public Condition logical(Logical node) {
            Condition left = (Condition) simplified.get(node.left());
            Condition right = (Condition) simplified.get(node.right());
            boolean isAnd = node.op() == Logical.Operator.AND;
            if (left instanceof BooleanConstant a) {
                return a.value() == isAnd ? right : a;
            }
            if (right instanceof BooleanConstant b && b.value() == isAnd) {
                return left;
            }
            return f.logical(node.op(), left, right);
        }

        @Override
        public Condition indexComparison(IndexComparison node) {
            return node;
        }

        @Override
        public Condition not(Not node) {
            Condition operand = (Condition) simplified.get(node.operand());
            if (operand instanceof BooleanConstant b) {
                return f.bool(!b.value());
            }
            if (operand instanceof Not inner) {
                return inner.operand();
            }
            return f.not(operand);
        }
    }
}
