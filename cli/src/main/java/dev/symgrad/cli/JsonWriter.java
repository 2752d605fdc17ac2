package dev.symgrad.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Writes the one JSON object of {@code eval --json}. Numbers use {@link Numbers#shortest}; NaN and the
 * infinities, which JSON numbers cannot express, are the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}.
 */
final class JsonWriter {

    private final PrintWriter out;
    private boolean first = true;

    JsonWriter(PrintWriter out) {
        this.out = out;
        out.print('{');
    }

    JsonWriter strings(String key, List<String> values) {
        key(key);
        out.print('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.print(',');
            }
            string(values.get(i));
        }
        out.print(']');
        return this;
    }

    JsonWriter number(String key, double value) {
        key(key);
        number(value);
        return this;
    }

    JsonWriter integer(String key, long value) {
        key(key);
        out.print(value);
        return this;
    }

    JsonWriter numbers(String key, double[] values) {
        key(key);
        array(values);
        return this;
    }

    /** {@code "key": {"name0": value0, ...}}. */
    JsonWriter namedNumbers(String key, List<String> names, double[] values) {
        return named(key, names, i -> number(values[i]));
    }

    /** {@code "key": {"name0": [..], ...}}. */
    JsonWriter namedArrays(String key, List<String> names, double[][] values) {
        return named(key, names, i -> array(values[i]));
    }

    private JsonWriter named(String key, List<String> names, IntConsumer value) {
        key(key);
        out.print('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.print(',');
            }
            string(names.get(i));
            out.print(':');
            value.accept(i);
        }
        out.print('}');
        return this;
    }

    void end() {
        out.println('}');
        out.flush();
    }

    private void key(String key) {
        if (!first) {
            out.print(',');
        }
        first = false;
        string(key);
        out.print(':');
    }

    private void array(double[] values) {
        out.print('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.print(',');
            }
            number(values[i]);
        }
        out.print(']');
    }

    private void number(double value) {
        if (Double.isFinite(value)) {
            out.print(Numbers.shortest(value));
        } else {
            string(Double.toString(value));
        }
    }

    private void string(String value) {
        out.print('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.print("\\\"");
                case '\\' -> out.print("\\\\");
                case '\n' -> out.print("\\n");
                case '\r' -> out.print("\\r");
                case '\t' -> out.print("\\t");
                default -> {
                    if (c < 0x20) {
                        out.printf("\\u%04x", (int) c);
                    } else {
                        out.print(c);
                    }
                }
            }
        }
        out.print('"');
    }
}
