package dev.symgrad.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which columns of a Spark table hold each input of a loss. An input is named as the loss declares it:
 * a scalar input {@code y}, or an array input {@code x} (all its elements at once). Each comes from
 *
 * <ul>
 *   <li>one numeric column, for a scalar input ({@link #input(String, String)});
 *   <li>one column of numeric arrays of the input's size, for an array input ({@link #input(String, String)});
 *   <li>as many numeric columns as the array has elements, in its row-major order, for an array input
 *       ({@link #input(String, List)}), as a CSV file with one column per feature gives them.
 * </ul>
 *
 * An input not mapped comes from the column with its own name. Immutable: each call returns a new mapping.
 */
public final class ColumnMapping implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> columns;

    private ColumnMapping(Map<String, List<String>> columns) {
        this.columns = columns;
    }

    /** Every input from the column with its own name. */
    public static ColumnMapping byName() {
        return new ColumnMapping(Map.of());
    }

    /** {@code input} (scalar, or array from an array column) from {@code column}. */
    public ColumnMapping input(String input, String column) {
        return with(input, List.of(Objects.requireNonNull(column, "column")));
    }

    /** The array input {@code input} from one numeric column per element, in row-major order. */
    public ColumnMapping input(String input, List<String> elementColumns) {
        if (elementColumns.isEmpty()) {
            throw new IllegalArgumentException("input '" + input + "': no columns given");
        }
        return with(input, List.copyOf(elementColumns));
    }

    private ColumnMapping with(String input, List<String> source) {
        Map<String, List<String>> copy = new LinkedHashMap<>(columns);
        copy.put(Objects.requireNonNull(input, "input"), source);
        return new ColumnMapping(copy);
    }

    /** The columns given for {@code input}, or null if it is not mapped. */
    List<String> columnsOf(String input) {
        return columns.get(input);
    }

    /** The inputs this mapping names. */
    java.util.Set<String> inputs() {
        return columns.keySet();
    }

    @Override
    public String toString() {
        return "ColumnMapping" + columns;
    }
}
