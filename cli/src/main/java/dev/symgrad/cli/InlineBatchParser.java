package dev.symgrad.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --batch-inline x=1,2;y=3,4} into columns. */
final class InlineBatchParser {

    private static final String SOURCE = "<batch-inline>";

    private InlineBatchParser() {
    }

    static Batch parse(String text, List<String> inputs) {
        Map<String, double[]> columns = new LinkedHashMap<>();
        int offset = 0;
        for (String part : text.split(";", -1)) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new DataError(SOURCE, 1, "expected NAME=v1,v2,... but found '" + part.strip() + "'", text, offset);
            }
            String name = part.substring(0, equals).strip();
            if (columns.containsKey(name)) {
                throw new DataError(SOURCE, 1, "column '" + name + "' given twice", text, offset);
            }
            String[] cells = part.substring(equals + 1).split(",", -1);
            double[] values = new double[cells.length];
            int cellOffset = offset + equals + 1;
            for (int i = 0; i < cells.length; i++) {
                try {
                    values[i] = Double.parseDouble(cells[i].strip());
                } catch (NumberFormatException e) {
                    throw new DataError(SOURCE, 1, "column '" + name + "', value " + (i + 1) + ": '" + cells[i].strip()
                            + "' is not a number", text, cellOffset);
                }
                cellOffset += cells[i].length() + 1;
            }
            columns.put(name, values);
            offset += part.length() + 1;
        }
        double[][] ordered = new double[inputs.size()][];
        for (int c = 0; c < inputs.size(); c++) {
            ordered[c] = columns.get(inputs.get(c));
            if (ordered[c] == null) {
                throw new DataError(SOURCE, "missing column '" + inputs.get(c) + "'; given " + columns.keySet());
            }
            if (ordered[c].length != ordered[0].length) {
                throw new DataError(SOURCE, "ragged batch: column '" + inputs.get(c) + "' has " + ordered[c].length
                        + " values but '" + inputs.get(0) + "' has " + ordered[0].length);
            }
        }
        return new Batch(ordered, ordered.length == 0 ? 0 : ordered[0].length);
    }

    /** Parses {@code --at w=1.0,b=2}: a value for every parameter, in the loss's order. */
    static double[] parameterValues(List<String> assignments, List<String> parameters) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            String name = equals < 0 ? assignment.strip() : assignment.substring(0, equals).strip();
            if (equals < 0 || !parameters.contains(name)) {
                throw new IllegalArgumentException("--at expects PARAM=VALUE for the parameters " + parameters
                        + ", got '" + assignment + "'");
            }
            try {
                values.put(name, Double.parseDouble(assignment.substring(equals + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--at " + name + ": '" + assignment.substring(equals + 1).strip()
                        + "' is not a number");
            }
        }
        double[] ordered = new double[parameters.size()];
        for (int p = 0; p < parameters.size(); p++) {
            Double value = values.get(parameters.get(p));
            if (value == null) {
                throw new IllegalArgumentException("--at gives no value for parameter '" + parameters.get(p) + "'");
            }
            ordered[p] = value;
        }
        return ordered;
    }
}
