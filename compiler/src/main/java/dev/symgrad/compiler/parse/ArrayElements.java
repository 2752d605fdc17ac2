package dev.symgrad.compiler.parse;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NameExpr;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.compiler.ir.Comprehension;
import dev.symgrad.compiler.ir.Expr;
import dev.symgrad.compiler.ir.ExprFactory;
import dev.symgrad.compiler.ir.FixedIndex;
import dev.symgrad.compiler.ir.Index;
import dev.symgrad.compiler.ir.IndexTerm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Element access in a method body: {@code w[3]}, {@code V[m][j]}, {@code h[m] = ...}. Each position is a
 * constant ({@link FixedIndex}) or the variable of an index loop ({@link Index}), checked against the
 * array's extent; reading a parameter array gives an element of its {@code ArrayVariable} (or, unrolled,
 * its scalar variable), reading a local array what was written to it. Writing a local array in an index
 * loop defines the whole array at once, as a {@link Comprehension} over the loop indices.
 */
final class ArrayElements {

    private final ExprFactory factory;
    private final String fileName;
    private final String source;

    ArrayElements(ExprFactory factory, String fileName, String source) {
        this.factory = factory;
        this.fileName = fileName;
        this.source = source;
    }

    /** The position expressions of {@code a[i][j]}, outermost first; walked iteratively, as a chain can be long. */
    static List<Expression> positions(ArrayAccessExpr access) {
        Deque<Expression> positions = new ArrayDeque<>();
        Expression current = access;
        while (current instanceof ArrayAccessExpr element) {
            positions.addFirst(element.getIndex());
            current = element.getName();
        }
        return new ArrayList<>(positions);
    }

    /** The indexed expression under all positions: {@code a} in {@code a[i][j]}. */
    static Expression base(ArrayAccessExpr access) {
        Expression current = access;
        while (current instanceof ArrayAccessExpr element) {
            current = element.getName();
        }
        return current;
    }

    /**
     * The array a method body indexes by this name; anything else is an error.
     *
     * @param isVariable true for names of other variables in scope, which are not arrays
     */
    MethodArray array(Expression base, Map<String, MethodArray> arrays, Predicate<String> isVariable) {
        if (!(base instanceof NameExpr name)) {
            throw error(base, "only a declared array can be indexed, like w[0]");
        }
        MethodArray array = arrays.get(name.getNameAsString());
        if (array == null) {
            String known = name.getNameAsString();
            throw error(name, isVariable.test(known)
                    ? "'" + known + "' is not an array; only double[] and double[][] variables can be indexed"
                    : "unknown array '" + known + "'");
        }
        return array;
    }

    /** An element has one position per dimension; a {@code double[][]} with one is a row, which is not a value. */
    void checkRank(ArrayAccessExpr access, MethodArray array, int positions) {
        if (positions > array.rank()) {
            throw error(access, "'" + array.name() + "' is a " + array.typeName() + "; index it with " + array.rank()
                    + (array.rank() == 1 ? " position" : " positions") + ", like " + array.firstElement());
        }
        if (positions < array.rank()) {
            throw error(access, "a row of " + array.typeName() + " '" + array.name() + "' is not a value; use one"
                    + " element, like " + array.firstElement());
        }
    }

    /** Position {@code dimension} at the constant {@code value}, in range. */
    IndexTerm fixed(MethodArray array, int dimension, long value, Expression where) {
        int extent = array.shape().get(dimension);
        if (value < 0 || value >= extent) {
            throw error(where, "index " + value + " is out of range for " + dimensionOf(array, dimension) + " (0 to "
                    + (extent - 1) + ")");
        }
        return new FixedIndex((int) value);
    }

    /** Position {@code dimension} at the variable of an index loop, which must stay in range. */
    IndexTerm index(MethodArray array, int dimension, String variable, Index index, Expression where) {
        int extent = array.shape().get(dimension);
        if (index.extent() > extent) {
            throw error(where, "loop variable '" + variable + "' runs to " + (index.extent() - 1) + ", out of range for "
                    + dimensionOf(array, dimension) + " (0 to " + (extent - 1) + ")");
        }
        return index;
    }

    /** {@code w[3]}, or {@code dimension 2 of V[32][64]}. */
    private static String dimensionOf(MethodArray array, int dimension) {
        return array.rank() == 1 ? array.declared() : "dimension " + (dimension + 1) + " of " + array.declared();
    }

    /** The value of an element. */
    Expr read(MethodArray array, List<IndexTerm> at, Node where) {
        if (array instanceof ParameterArray parameter) {
            return parameter.read(factory, at);
        }
        LocalArray local = (LocalArray) array;
        if (local.whole() != null) {
            return factory.element(local.whole(), at);
        }
        if (local.isUnwritten()) {
            throw error(where, "local array '" + local.name() + "' is read before it is written");
        }
        if (!allFixed(at)) {
            // Index loops that read such an array are unrolled instead; this guards the rule.
            throw error(where, "local array '" + local.name() + "' is written element by element, so it is read at"
                    + " constant positions, like " + local.firstElement());
        }
        Expr value = local.element(MethodArray.flatPosition(local.shape(), at));
        if (value == null) {
            throw error(where, MethodArray.describe(local.name(), at) + " is read before it is written");
        }
        return value;
    }

    /**
     * Writes {@code array[at] = value}. At constant positions this is one element; at index positions the
     * loops enclosing the write must be exactly the positions' loops, each over a whole dimension, so the
     * loop nest writes every element exactly once: the array becomes {@code [at ↦ value]}.
     *
     * @param active the indices of the enclosing index loops, outermost first
     */
    void write(LocalArray array, List<IndexTerm> at, Expr value, List<Index> active, Node where) {
        if (allFixed(at)) {
            if (!array.writeElement(MethodArray.flatPosition(array.shape(), at), value)) {
                throw error(where, MethodArray.describe(array.name(), at) + " is written twice; each element of a"
                        + " local array is written once");
            }
            return;
        }
        List<Index> indices = new ArrayList<>();
        for (int d = 0; d < at.size(); d++) {
            if (!(at.get(d) instanceof Index index) || index.extent() != array.shape().get(d)) {
                throw error(where, "this loop writes only part of local array '" + array.name() + "' ("
                        + array.declared() + "); a loop writes a local array whole, each loop variable running over"
                        + " one whole dimension, like " + wholeWrite(array));
            }
            indices.add(index);
        }
        Set<Index> positions = new HashSet<>(indices);
        for (Index loop : active) {
            if (!positions.contains(loop)) {
                throw error(where, "every iteration of the loop over '" + loop.name() + "' writes the same elements of '"
                        + array.name() + "' again; each element of a local array is written once");
            }
        }
        if (positions.size() != indices.size()) {
            throw error(where, "this loop writes only part of local array '" + array.name() + "' ("
                    + array.declared() + "), the elements with equal positions");
        }
        for (Index free : factory.freeIndices(value)) {
            if (!positions.contains(free)) {
                throw error(where, "the elements of local array '" + array.name() + "' would depend on loop variable '"
                        + free.name() + "' of a calling method's loop; compute them outside that loop");
            }
        }
        if (!array.writeWhole(factory.comprehension(indices, value))) {
            throw error(where, "elements of local array '" + array.name() + "' are written twice; each element of a"
                    + " local array is written once");
        }
    }

    /** {@code for (int m = 0; m < h.length; m++) h[m] = ...}, the shape of a whole write. */
    private static String wholeWrite(LocalArray array) {
        return array.rank() == 1
                ? "for (int m = 0; m < " + array.name() + ".length; m++) " + array.name() + "[m] = ..."
                : "for (int k = 0; k < " + array.name() + ".length; k++) for (int m = 0; m < " + array.name()
                        + "[k].length; m++) " + array.name() + "[k][m] = ...";
    }

    private static boolean allFixed(List<IndexTerm> at) {
        for (IndexTerm term : at) {
            if (!(term instanceof FixedIndex)) {
                return false;
            }
        }
        return true;
    }

    private CompileError error(Node node, String reason) {
        return ExpressionLowering.errorAt(fileName, source, node, reason);
    }
}
