package dev.symgrad.cli;

import dev.symgrad.compiler.diagnostic.CompileError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code symgrad} command. Exit codes: 0 success, 1 the user's expression or data is wrong
 * (a compiler-style message on stderr, never a stack trace), 2 usage error.
 */
@Command(name = "symgrad",
        mixinStandardHelpOptions = true,
        versionProvider = SymgradCommand.Version.class,
        description = "Differentiate a per-example loss written in Java syntax, evaluate both batch-gradient routes, "
                + "and generate its JVM class.",
        subcommands = {DiffCommand.class, EvalCommand.class, CompileCommand.class, BytecodeCommand.class,
                CommandLine.HelpCommand.class})
public final class SymgradCommand implements Runnable {

    /** Exit status for a mistake in the user's expression, source file or data. */
    static final int USER_ERROR = 1;

    /** Exit status for a command line that cannot be run (picocli's own usage errors use it too). */
    static final int USAGE_ERROR = 2;

    private final InputStream standardInput;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public SymgradCommand(InputStream standardInput) {
        this.standardInput = standardInput;
    }

    InputStream standardInput() {
        return standardInput;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: diff, eval, compile or bytecode");
    }

    /** A command line wired to the given streams, with user errors mapped to exit status 1. */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SymgradCommand(in));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof CompileError error) {
                line.getErr().println(error.getMessage());
            } else if (exception instanceof DataError error) {
                line.getErr().println(error.getMessage());
            } else if (exception instanceof IllegalArgumentException error) {
                // Options that parse but do not fit together or with the loss, e.g. --at naming no parameter.
                line.getErr().println(line.getCommandName() + ": error: " + error.getMessage());
                line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
                line.getErr().flush();
                return USAGE_ERROR;
            } else {
                throw exception;
            }
            line.getErr().flush();
            return USER_ERROR;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = commandLine(System.in, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = SymgradCommand.class.getResourceAsStream("/symgrad-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"symgrad " + properties.getProperty("version", "(unknown version)"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
