package dev.symgrad.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Streams a CSV file with a header row into the columns a loss needs. Only those columns are kept,
 * as growing {@code double[]} arrays, so ten million rows of two inputs take about 160 MB; extra
 * columns are skipped. Every problem names the row (1-based, the header is row 1) and the column.
 */
final class CsvBatchReader {

    private static final long PROGRESS_AFTER_NANOS = 1_000_000_000L;

    private CsvBatchReader() {
    }

    /**
     * @param progress where to report progress while reading takes long, or null for none
     */
    static Batch read(Path file, List<String> inputs, PrintWriter progress) {
        String name = file.toString();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new DataError(name, "empty file: expected a header row naming the columns " + inputs);
            }
            int[] positionOfInput = locate(header, inputs, name);
            int needed = Arrays.stream(positionOfInput).max().orElse(-1) + 1;
            Column[] columns = new Column[inputs.size()];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = new Column();
            }
            int fieldCount = split(header).length;
            long row = 1;
            long start = System.nanoTime();
            long lastReport = start;
            String line;
            while ((line = reader.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                if (fields.length != fieldCount) {
                    throw new DataError(name, row, "ragged row: " + fields.length + " cells but the header has "
                            + fieldCount, line, 0);
                }
                for (int c = 0; c < columns.length; c++) {
                    int position = positionOfInput[c];
                    columns[c].add(parse(fields[position], name, row, line, position, inputs.get(c)));
                }
                if (progress != null && (row & 0xFFFF) == 0) {
                    long now = System.nanoTime();
                    if (now - start > PROGRESS_AFTER_NANOS && now - lastReport > PROGRESS_AFTER_NANOS / 4) {
                        progress.print("\rsymgrad: read " + (row - 1) + " rows of " + name);
                        progress.flush();
                        lastReport = now;
                    }
                }
            }
            if (progress != null && lastReport != start) {
                progress.println("\rsymgrad: read " + (row - 1) + " rows of " + name);
            }
            double[][] data = new double[columns.length][];
            for (int c = 0; c < columns.length; c++) {
                data[c] = columns[c].toArray();
            }
            int size = columns.length == 0 ? 0 : columns[0].size;
            if (needed > 0 && size == 0) {
                throw new DataError(name, "no data rows after the header");
            }
            return new Batch(data, size);
        } catch (NoSuchFileException e) {
            throw new DataError(name, "cannot read: no such file");
        } catch (IOException e) {
            throw new DataError(name, "cannot read: " + e.getMessage());
        }
    }

    /** The position in the row of each input's column. */
    private static int[] locate(String header, List<String> inputs, String name) {
        List<String> names = Arrays.stream(split(header)).map(String::strip).map(CsvBatchReader::unquote).toList();
        int[] positions = new int[inputs.size()];
        for (int c = 0; c < inputs.size(); c++) {
            positions[c] = names.indexOf(inputs.get(c));
            if (positions[c] < 0) {
                throw new DataError(name, 1, "missing column '" + inputs.get(c) + "'; the header has " + names,
                        header, 0);
            }
        }
        return positions;
    }

    private static double parse(String cell, String name, long row, String line, int position, String input) {
        String text = unquote(cell.strip());
        try {
            if (text.isEmpty()) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataError(name, row, "column " + (position + 1) + " ('" + input + "'): "
                    + (text.isEmpty() ? "empty cell" : "'" + shorten(text) + "' is not a number"), line, offsetOf(line, position));
        }
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static int offsetOf(String line, int position) {
        int offset = 0;
        for (int p = 0; p < position; p++) {
            offset = line.indexOf(',', offset) + 1;
        }
        return offset;
    }

    private static String[] split(String line) {
        return line.split(",", -1);
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    /** A growing array of doubles. */
    private static final class Column {
        private double[] values = new double[1024];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
