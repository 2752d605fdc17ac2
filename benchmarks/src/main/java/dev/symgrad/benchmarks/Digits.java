package dev.symgrad.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The digits data set (UCI optical digits as shipped with scikit-learn, {@code /data/digits.csv}: 1,797 rows
 * of 64 pixel counts 0-16 and a digit) as the batch columns of the W6-W8 losses: {@code x[0..63]} = pixel / 16,
 * then {@code y[0..9]}, the digit one-hot. {@code benchmarks/pytorch_digits.py} reads the same file the same way.
 */
public final class Digits {

    /** Rows of the file, the batch size of every digits benchmark. */
    public static final int ROWS = 1797;
    public static final int PIXELS = 64;
    public static final int CLASSES = 10;

    private static final String RESOURCE = "/data/digits.csv";
    private static double[][] all;

    private Digits() {
    }

    /** The first {@code n} rows as 74 columns of length n: the 64 scaled pixels, then the 10 one-hot labels. */
    public static double[][] columns(int n) {
        double[][] rows = rows();
        if (n < 0 || n > rows.length) {
            throw new IllegalArgumentException("digits has " + rows.length + " rows, asked for " + n);
        }
        double[][] columns = new double[PIXELS + CLASSES][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < PIXELS; j++) {
                columns[j][i] = rows[i][j] / 16.0;
            }
            columns[PIXELS + (int) rows[i][PIXELS]][i] = 1.0;
        }
        return columns;
    }

    private static synchronized double[][] rows() {
        if (all == null) {
            all = read();
        }
        return all;
    }

    private static double[][] read() {
        try (InputStream stream = Digits.class.getResourceAsStream(RESOURCE)) {
            if (stream == null) {
                throw new IllegalStateException(RESOURCE + ": not found on the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.US_ASCII));
            reader.readLine(); // p00,p01,...,p77,digit
            List<double[]> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] cells = line.split(",");
                if (cells.length != PIXELS + 1) {
                    throw new IllegalStateException(RESOURCE + ": row " + (rows.size() + 2) + " has " + cells.length
                            + " cells, expected " + (PIXELS + 1));
                }
                double[] row = new double[PIXELS + 1];
                for (int c = 0; c < row.length; c++) {
                    row[c] = Integer.parseInt(cells[c]);
                }
                rows.add(row);
            }
            if (rows.size() != ROWS) {
                throw new IllegalStateException(RESOURCE + ": " + rows.size() + " rows, expected " + ROWS);
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
