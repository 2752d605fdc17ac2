package dev.symgrad.compiler.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints IR in Java syntax with the fewest parentheses that keep the exact structure (floating-point
 * {@code a + (b + c)} is not {@code a + b + c}, so right operands of equal precedence keep theirs).
 *
 * <p>A DAG can be exponentially larger written out as a tree. When the written-out tree would exceed
 * {@link #MAX_TREE_SIZE} nodes, shared subexpressions are printed once as numbered temporaries,
 * {@code t1 = ...;} lines before the final expression. Batch sums print as {@code sum(...)} and the
 * batch size as {@code N}, an index sum as {@code sum(j < 64, start, body)} (start omitted when 0), and
 * every local or adjoint array once, as a definition {@code a1[m] = ...;}; those forms are for reading only.
 */
public final class JavaPrinter {

    /** Written-out trees up to this many nodes are printed inline. */
    public static final long MAX_TREE_SIZE = 20_000;

    // Java precedence levels, lowest first.
    private static final int CONDITIONAL = 0;
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int EQUALITY = 3;
    private static final int RELATIONAL = 4;
    private static final int ADDITIVE = 5;
    private static final int MULTIPLICATIVE = 6;
    private static final int UNARY = 7;
    private static final int PRIMARY = 8;

    private final Map<Node, String> temporaries = new IdentityHashMap<>();

    private JavaPrinter() {
    }

    /** The expression in Java syntax, with temporaries if it would otherwise be too long. */
    public static String print(Expr root) {
        JavaPrinter printer = new JavaPrinter();
        List<String> definitions = printer.chooseTemporaries(root);
        StringBuilder out = new StringBuilder();
        for (String definition : definitions) {
            out.append(definition).append('\n');
        }
        printer.write(root, CONDITIONAL, out, true);
        return out.toString();
    }

    private List<String> chooseTemporaries(Expr root) {
        List<Node> order = Graph.topologicalOrder(List.of(root));
        Map<Node, Long> treeSize = new IdentityHashMap<>();
        for (Node node : order) {
            long size = 1;
            for (Node child : node.children()) {
                size = Math.min(Long.MAX_VALUE / 4, size + treeSize.get(child));
            }
            treeSize.put(node, size);
        }
        List<String> definitions = new ArrayList<>();
        // A local or adjoint array is printed once, as the definition of its elements.
        for (Node node : order) {
            if (node instanceof Comprehension comprehension) {
                String name = "a" + (temporaries.size() + 1);
                StringBuilder definition = new StringBuilder(name);
                for (Index index : comprehension.indices()) {
                    definition.append('[').append(index.name()).append(']');
                }
                definition.append(" = ");
                write(comprehension.body(), CONDITIONAL, definition, false);
                definition.append(';');
                definitions.add(definition.toString());
                temporaries.put(node, name);
            }
        }
        if (treeSize.get(root) <= MAX_TREE_SIZE) {
            return definitions;
        }
        Map<Node, Integer> uses = Graph.useCounts(List.of(root));
        for (Node node : order) {
            if (node != root && node instanceof Expr && !node.children().isEmpty() && uses.get(node) > 1) {
                StringBuilder definition = new StringBuilder();
                String name = "t" + (temporaries.size() + 1);
                definition.append(name).append(" = ");
                write(node, CONDITIONAL, definition, true);
                definition.append(';');
                definitions.add(definition.toString());
                temporaries.put(node, name);
            }
        }
        return definitions;
    }

    /** Writes {@code node} where the context needs at least {@code minimum} precedence; iterative. */
    private void write(Node start, int minimum, StringBuilder out, boolean expandStart) {
        Deque<Object> work = new ArrayDeque<>();
        work.push(new Pending(start, minimum, expandStart));
        while (!work.isEmpty()) {
            Object item = work.pop();
            if (item instanceof String text) {
                out.append(text);
                continue;
            }
            Pending pending = (Pending) item;
            Node node = pending.node;
            String temporary = pending.expand ? null : temporaries.get(node);
            if (temporary != null) {
                out.append(temporary);
                continue;
            }
            List<Object> parts = parts(node);
            boolean parenthesize = precedence(node) < pending.minimum;
            // Push in reverse so the parts come off the stack in reading order.
            if (parenthesize) {
                work.push(")");
            }
            for (int i = parts.size() - 1; i >= 0; i--) {
                work.push(parts.get(i));
            }
            if (parenthesize) {
                work.push("(");
            }
        }
    }

    private record Pending(Node node, int minimum, boolean expand) {
        Pending(Node node, int minimum) {
            this(node, minimum, false);
        }
    }

    /** The pieces of one node: literal text and operands with the precedence their position needs. */
    private static List<Object> parts(Node node) {
        if (node instanceof Expr expr) {
            return expr.accept(EXPR_PARTS);
        }
        if (node instanceof ArrayVariable array) {
            return List.of(array.name());
        }
        if (node instanceof Comprehension) {
            throw new IllegalStateException("a comprehension is printed as a definition");
        }
        return ((Condition) node).accept(CONDITION_PARTS);
    }

    private static int precedence(Node node) {
        if (node instanceof Constant c) {
            return c.value() < 0 || Double.compare(c.value(), -0.0) == 0 ? UNARY : PRIMARY;
        }
        if (node instanceof Unary u) {
            if (u.op() == UnaryOp.STOP_GRADIENT) {
                return precedence(u.operand()); // printed as its operand
            }
            return u.op() == UnaryOp.NEG ? UNARY : PRIMARY;
        }
        if (node instanceof Binary b) {
            return switch (b.op()) {
                case ADD, SUB -> ADDITIVE;
                case MUL, DIV -> MULTIPLICATIVE;
                case POW, MAX, MIN, HYPOT, LOGADDEXP -> PRIMARY;
            };
        }
        if (node instanceof Conditional) {
            return CONDITIONAL;
        }
        if (node instanceof Comparison c) {
            return c.op() == CompareOp.EQ || c.op() == CompareOp.NE ? EQUALITY : RELATIONAL;
        }
        if (node instanceof Logical l) {
            return l.op() == Logical.Operator.AND ? AND : OR;
        }
        if (node instanceof Not) {
            return UNARY;
        }
        if (node instanceof IndexComparison c) {
            return c.lessThan() ? RELATIONAL : EQUALITY;
        }
        return PRIMARY;
    }

    /** A Java literal for {@code value} that reads back as the same double. */
    public static String literal(double value) {
        if (Double.isNaN(value)) {
            return "(0.0 / 0.0)";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "(1.0 / 0.0)" : "(-1.0 / 0.0)";
        }
        return Double.toString(value);
    }

    private static final ExprVisitor<List<Object>> EXPR_PARTS = new ExprVisitor<>() {
        @Override
        public List<Object> constant(Constant node) {
            return List.of(literal(node.value()));
        }

        @Override
        public List<Object> variable(Variable node) {
            return List.of(node.name());
        }

        @Override
        public List<Object> unary(Unary node) {
            if (node.op() == UnaryOp.STOP_GRADIENT) {
                // Not in the language, and the identity: the operand, parenthesized as the node was.
                return List.of(new Pending(node.operand(), CONDITIONAL));
            }
            if (node.op() == UnaryOp.NEG) {
                // "- -x" must not print as the decrement operator "--x".
                boolean operandStartsWithMinus = precedence(node.operand()) == UNARY;
                return List.of("-", new Pending(node.operand(), operandStartsWithMinus ? PRIMARY : UNARY));
            }
            return List.of(owner(node.op().owner()) + node.op().spelling() + "(", new Pending(node.operand(), CONDITIONAL),
                    ")");
        }

        /** {@code "Math."} or {@code "StableMath."} ({@code dev.symgrad.runtime.StableMath}, also in the language). */
        private static String owner(String internalName) {
            return internalName.substring(internalName.lastIndexOf('/') + 1) + ".";
        }

        @Override
        public List<Object> binary(Binary node) {
            BinaryOp op = node.op();
            if (!op.isInfix()) {
                return List.of(owner(op.owner()) + op.spelling() + "(", new Pending(node.left(), CONDITIONAL), ", ",
                        new Pending(node.right(), CONDITIONAL), ")");
            }
            int own = precedence(node);
            return List.of(new Pending(node.left(), own), " " + op.spelling() + " ", new Pending(node.right(), own + 1));
        }

        @Override
        public List<Object> conditional(Conditional node) {
            return List.of(new Pending(node.test(), OR), " ? ", new Pending(node.ifTrue(), CONDITIONAL), " : ",
                    new Pending(node.ifFalse(), CONDITIONAL));
        }

        @Override
        public List<Object> batchSum(BatchSum node) {
            return List.of("sum(", new Pending(node.summand(), CONDITIONAL), ")");
        }

        @Override
        public List<Object> batchSize(BatchSize node) {
            return List.of("N");
        }

        @Override
        public List<Object> element(Element node) {
            List<Object> parts = new ArrayList<>();
            parts.add(new Pending(node.array(), PRIMARY));
            for (IndexTerm term : node.at()) {
                parts.add("[" + term + "]");
            }
            return parts;
        }

        @Override
        public List<Object> sum(Sum node) {
            String range = node.index().name() + " < " + node.index().extent() + ", ";
            String name = node.isMaximum() ? "max(" : "sum(";
            double neutral = node.isMaximum() ? Double.NEGATIVE_INFINITY : 0.0;
            if (node.start() instanceof Constant c && c.is(neutral)) {
                return List.of(name + range, new Pending(node.body(), CONDITIONAL), ")");
            }
            return List.of(name + range, new Pending(node.start(), CONDITIONAL), ", ",
                    new Pending(node.body(), CONDITIONAL), ")");
        }
    };

    private static final ConditionVisitor<List<Object>> CONDITION_PARTS = new ConditionVisitor<>() {
        @Override
        public List<Object> bool(BooleanConstant node) {
            return List.of(Boolean.toString(node.value()));
        }

        @Override
        public List<Object> comparison(Comparison node) {
            int own = precedence(node);
            return List.of(new Pending(node.left(), own + 1), " " + node.op().symbol() + " ",
                    new Pending(node.right(), own + 1));
        }

        @Override
        public List<Object> logical(Logical node) {
            int own = precedence(node);
            return List.of(new Pending(node.left(), own), " " + node.op().symbol() + " ", new Pending(node.right(), own + 1));
        }

        @Override
        public List<Object> not(Not node) {
            return List.of("!", new Pending(node.operand(), UNARY));
        }

        @Override
        public List<Object> indexComparison(IndexComparison node) {
            return List.of(node.left() + (node.lessThan() ? " < " : " == ") + node.right());
        }
    };
}
