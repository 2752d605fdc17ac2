package dev.symgrad.spark;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Up to a fixed number of a partition's rows as a loss's input columns ({@code columns[input][row]}), the
 * layout every batch kernel reads. A partition is read into blocks once and the blocks are cached, so a
 * training loop's gradients run on arrays, with no object per row.
 *
 * @param first the block's first row, counted from the start of its partition
 */
record ColumnBlock(int partition, long first, double[][] columns) implements Serializable {

    int rows() {
        return columns.length == 0 ? 0 : columns[0].length;
    }

    /** The rows of one partition, read in order into blocks of at most {@code rowsPerBlock} rows. */
    static Iterator<ColumnBlock> read(int partition, Iterator<Row> rows, ColumnPlan plan, int rowsPerBlock) {
        List<ColumnBlock> blocks = new ArrayList<>();
        double[][] columns = new double[plan.inputCount()][rowsPerBlock];
        int filled = 0;
        long first = 0;
        while (rows.hasNext()) {
            try {
                plan.read(rows.next(), columns, filled);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("partition " + partition + ", row " + (first + filled) + ": "
                        + e.getMessage(), e);
            }
            filled++;
            if (filled == rowsPerBlock) {
                blocks.add(new ColumnBlock(partition, first, columns));
                first += filled;
                columns = new double[plan.inputCount()][rowsPerBlock];
                filled = 0;
            }
        }
        if (filled > 0) {
            double[][] last = new double[columns.length][];
            for (int c = 0; c < columns.length; c++) {
                last[c] = java.util.Arrays.copyOf(columns[c], filled);
            }
            blocks.add(new ColumnBlock(partition, first, last));
        }
        return blocks.iterator();
    }
}
