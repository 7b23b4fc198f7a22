package io.driftguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs {@code driftguard} in-process with captured stdout/stderr. */
final class Cli {

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private Cli() {
    }

    static Run run(final String... args) {
        return run(cl -> { }, args);
    }

    /** Runs with {@code env} given to every command that reads the environment. */
    static Run runWithEnv(final Map<String, String> env, final String... args) {
        return run(cl -> setEnv(cl, env), args);
    }

    static Run run(final Consumer<CommandLine> setup, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Driftguard.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        setup.accept(commandLine);
        final int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void setEnv(final CommandLine cl, final Map<String, String> env) {
        final Object command = cl.getCommand();
        if (command instanceof PromoteCommand c) {
            c.env = env;
        } else if (command instanceof RollbackCommand c) {
            c.env = env;
        } else if (command instanceof GenerateCommand c) {
            c.env = env;
        } else if (command instanceof AppCommand c) {
            c.env = env;
        }
        cl.getSubcommands().values().forEach(sub -> setEnv(sub, env));
    }
}
