package dev.symgrad.spark;

import dev.symgrad.runtime.CompiledLoss;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a table's rows become a loss's input columns: the columns to select (numbers cast to double, arrays
 * to arrays of double) and, for each of the loss's flat inputs, the selected column and element it comes
 * from. Checked against the table's schema on the driver, so that a missing or mistyped column is an error
 * naming it before any job runs.
 */
final class ColumnPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] names;          // the selected columns, as the table names them
    private final int[] arraySizes;        // per selected column: -1 for a number, else the array's size
    private final int[] sourceColumn;      // per flat input: its selected column
    private final int[] sourceElement;     // per flat input: its element of an array column, or -1
    private final transient List<Column> selection;

    private ColumnPlan(String[] names, int[] arraySizes, int[] sourceColumn, int[] sourceElement,
                       List<Column> selection) {
        this.names = names;
        this.arraySizes = arraySizes;
        this.sourceColumn = sourceColumn;
        this.sourceElement = sourceElement;
        this.selection = selection;
    }

    /**
     * The plan for {@code loss}'s inputs from {@code schema}.
     *
     * @throws IllegalArgumentException naming the input and column if a column is missing, not numeric,
     *                                  or the wrong count, or if the mapping names an input the loss lacks
     */
    static ColumnPlan of(CompiledLoss loss, ColumnMapping mapping, StructType schema) {
        Map<String, List<Integer>> shapes = loss.inputShapes();
        for (String input : mapping.inputs()) {
            if (!shapes.containsKey(input)) {
                throw new IllegalArgumentException("the column mapping names '" + input
                        + "', which is not an input of the loss; its inputs are " + shapes.keySet());
            }
        }
        List<String> selected = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Column> selection = new ArrayList<>();
        int flat = loss.inputs().size();
        int[] sourceColumn = new int[flat];
        int[] sourceElement = new int[flat];
        int position = 0;
        for (Map.Entry<String, List<Integer>> entry : shapes.entrySet()) {
            String input = entry.getKey();
            int size = entry.getValue().stream().reduce(1, Math::multiplyExact);
            List<String> given = mapping.columnsOf(input);
            List<String> columns = given == null ? List.of(input) : given;
            String what = "loss input '" + input + "'" + (entry.getValue().isEmpty() ? "" : " " + entry.getValue());
            if (columns.size() == 1) {
                String name = columns.get(0);
                DataType type = typeOf(schema, name, what);
                boolean array = type instanceof ArrayType;
                if (array && !(((ArrayType) type).elementType() instanceof NumericType) || !array && !(type instanceof NumericType)) {
                    throw new IllegalArgumentException(what + ": column '" + name + "' has type " + type.simpleString()
                            + "; it must be numeric" + (size > 1 ? " or an array of numbers" : ""));
                }
                if (!array && size != 1) {
                    throw new IllegalArgumentException(what + " has " + size + " values, but column '" + name
                            + "' holds one number per row: give an array column or one column per element");
                }
                int column = select(selected, sizes, selection, name, array ? size : -1);
                for (int e = 0; e < size; e++) {
                    sourceColumn[position] = column;
                    sourceElement[position++] = array ? e : -1;
                }
            } else {
                if (columns.size() != size) {
                    throw new IllegalArgumentException(what + " has " + size + " values, but " + columns.size()
                            + " columns are mapped to it");
                }
                for (String name : columns) {
                    DataType type = typeOf(schema, name, what);
                    if (!(type instanceof NumericType)) {
                        throw new IllegalArgumentException(what + ": column '" + name + "' has type "
                                + type.simpleString() + "; it must be numeric");
                    }
                    sourceColumn[position] = select(selected, sizes, selection, name, -1);
                    sourceElement[position++] = -1;
                }
            }
        }
        return new ColumnPlan(selected.toArray(String[]::new), sizes.stream().mapToInt(Integer::intValue).toArray(),
                sourceColumn, sourceElement, selection);
    }

    private static DataType typeOf(StructType schema, String name, String what) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(name)) {
                return field.dataType();
            }
        }
        throw new IllegalArgumentException(what + ": the table has no column '" + name + "'; its columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    /** The index of {@code name} among the selected columns, selecting it (cast to double) the first time. */
    private static int select(List<String> selected, List<Integer> sizes, List<Column> selection, String name,
                              int arraySize) {
        int known = selected.indexOf(name);
        if (known >= 0) {
            return known;
        }
        selected.add(name);
        sizes.add(arraySize);
        Column column = functions.col("`" + name.replace("`", "``") + "`");
        selection.add(column.cast(arraySize < 0 ? "double" : "array<double>"));
        return selected.size() - 1;
    }

    /** The columns to select from the table, in the order {@link #read} expects them. */
    List<Column> selection() {
        return selection;
    }

    /** How many flat inputs each row gives. */
    int inputCount() {
        return sourceColumn.length;
    }

    /**
     * Writes the flat inputs of {@code row} (of the selected columns) to {@code columns[c][index]}.
     *
     * @throws IllegalArgumentException naming the column if a value is null or an array has the wrong size
     */
    void read(Row row, double[][] columns, int index) {
        List<Object>[] arrays = null;
        for (int c = 0; c < names.length; c++) {
            if (row.isNullAt(c)) {
                throw new IllegalArgumentException("column '" + names[c] + "' is null in a row; the loss needs a number"
                        + (arraySizes[c] < 0 ? "" : " array") + " in every row");
            }
        }
        for (int p = 0; p < sourceColumn.length; p++) {
            int c = sourceColumn[p];
            if (sourceElement[p] < 0) {
                columns[p][index] = row.getDouble(c);
            } else {
                if (arrays == null) {
                    @SuppressWarnings("unchecked")
                    List<Object>[] fresh = new List[names.length];
                    arrays = fresh;
                }
                if (arrays[c] == null) {
                    arrays[c] = row.getList(c);
                    if (arrays[c].size() != arraySizes[c]) {
                        throw new IllegalArgumentException("column '" + names[c] + "' holds an array of "
                                + arrays[c].size() + " values in a row; the loss's input takes " + arraySizes[c]);
                    }
                }
                Object value = arrays[c].get(sourceElement[p]);
                if (value == null) {
                    throw new IllegalArgumentException("column '" + names[c] + "' has a null element "
                            + sourceElement[p] + " in a row");
                }
                columns[p][index] = (Double) value;
            }
        }
    }
}
