package dev.symgrad.benchmarks;

import dev.symgrad.compiler.LossCompiler;
import dev.symgrad.compiler.codegen.LossProgram;

import java.util.List;

/**
 * The Java source a person would hand Janino for the same job: a class with the loss, its gradient and
 * the two batch routes, written with the loss and derivative expressions symgrad prints (so both
 * compilers get the same arithmetic to translate).
 */
final class JaninoSource {

    private JaninoSource() {
    }

    static String of(Workload workload) {
        LossProgram program = new LossCompiler().compile(workload.expression(), workload.parameters(), workload.inputs());
        // Printed losses call StableMath where the simplifier made an exponential overflow-free.
        StringBuilder source = new StringBuilder("import dev.symgrad.runtime.StableMath;\npublic class Loss {\n");
        source.append("  public static double loss(double[] p, double[] e) {\n");
        unpack(source, workload.parameters(), workload.inputs());
        appendExpression(source, program.printedLoss(), "return ", ";");
        source.append("  }\n");
        source.append("  public static void gradient(double[] p, double[] e, double[] out) {\n");
        unpack(source, workload.parameters(), workload.inputs());
        for (int k = 0; k < program.parameters().size(); k++) {
            source.append("    {\n");
            appendExpression(source, program.printedDerivatives().get(k), "out[" + k + "] = ", ";");
            source.append("    }\n");
        }
        source.append("  }\n");
        source.append("""
                  public static void gradientOfSum(double[] p, double[][] columns, double[] out) {
                    double[] e = new double[columns.length];
                    double[] g = new double[out.length];
                    java.util.Arrays.fill(out, 0.0);
                    for (int i = 0; i < columns[0].length; i++) {
                      for (int c = 0; c < columns.length; c++) e[c] = columns[c][i];
                      gradient(p, e, g);
                      for (int k = 0; k < g.length; k++) out[k] += g[k];
                    }
                  }
                }
                """);
        return source.toString();
    }

    private static void unpack(StringBuilder source, List<String> parameters, List<String> inputs) {
        for (int i = 0; i < parameters.size(); i++) {
            source.append("    double ").append(parameters.get(i)).append(" = p[").append(i).append("];\n");
        }
        for (int i = 0; i < inputs.size(); i++) {
            source.append("    double ").append(inputs.get(i)).append(" = e[").append(i).append("];\n");
        }
    }

    /** The printer's output is an expression, or temporaries {@code t1 = ...;} followed by one. */
    private static void appendExpression(StringBuilder source, String printed, String prefix, String suffix) {
        String[] lines = printed.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            source.append("    double ").append(lines[i]).append('\n');
        }
        source.append("    ").append(prefix).append(lines[lines.length - 1]).append(suffix).append('\n');
    }
}
