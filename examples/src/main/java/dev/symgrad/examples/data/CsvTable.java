package dev.symgrad.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric CSV table with a header row, read from the class path, as columns. Bad data names the file,
 * the row (1-based, the header is row 1) and the column.
 *
 * @param names   the header, in file order
 * @param columns {@code columns[c][i]} is column c of data row i
 */
public record CsvTable(List<String> names, double[][] columns) {

    /** Reads {@code resource} (e.g. {@code /data/diabetes.csv}). */
    public static CsvTable read(String resource) {
        try (InputStream stream = CsvTable.class.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalArgumentException(resource + ": not found on the class path");
            }
            return parse(resource, new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
        }
    }

    static CsvTable parse(String source, BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException(source + ": empty file, expected a header row");
        }
        List<String> names = List.of(header.split(",", -1));
        List<double[]> rows = new ArrayList<>();
        int row = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            row++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != names.size()) {
                throw new IllegalArgumentException(source + ": row " + row + " has " + cells.length + " cells, the header has "
                        + names.size());
            }
            double[] values = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    values[c] = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": row " + row + ", column " + (c + 1) + " ('" + names.get(c)
                            + "'): '" + cells[c] + "' is not a number", e);
                }
            }
            rows.add(values);
        }
        double[][] columns = new double[names.size()][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < names.size(); c++) {
                columns[c][i] = rows.get(i)[c];
            }
        }
        return new CsvTable(names, columns);
    }

    /** The column named {@code name}. */
    public double[] column(String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + names);
        }
        return columns[index];
    }

    /** Number of data rows. */
    public int rows() {
        return columns.length == 0 ? 0 : columns[0].length;
    }

    /** The rows at {@code indices}, in that order, as a new table. */
    public CsvTable rows(int[] indices) {
        double[][] selected = new double[columns.length][indices.length];
        for (int c = 0; c < columns.length; c++) {
            for (int k = 0; k < indices.length; k++) {
                selected[c][k] = columns[c][indices[k]];
            }
        }
        return new CsvTable(names, selected);
    }

    @Override
    public String toString() {
        return "CsvTable" + names + " (" + rows() + " rows)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CsvTable table && names.equals(table.names) && Arrays.deepEquals(columns, table.columns);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.deepHashCode(columns);
    }
}
