package io.driftguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code driftguard} command. Exit codes: 0 ok, 1 failure, 2 usage error. Errors print one line on stderr; the
 * stack trace only with {@code --verbose}.
 *
 * <p>To add a subcommand, add its class to {@code subcommands} below (one line).
 */
@Command(
    name = "driftguard",
    mixinStandardHelpOptions = true,
    versionProvider = Driftguard.Version.class,
    description = "Run a machine-learning model as a production system on Kafka Streams.",
    subcommands = {
        DemoCommand.class,
        ScoreCommand.class,
        DevStackCommand.class,
        GenerateCommand.class,
        TrainCommand.class,
        EvaluateCommand.class,
        PromoteCommand.class,
        RollbackCommand.class,
        ModelsCommand.class,
        RunCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Driftguard implements Runnable {

    /** Exit code of a failed command. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error (unknown option, bad value). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
        description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (exit codes, one-line errors); tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new Driftguard());
        RunCommand.addApps(commandLine.getSubcommands().get("run"));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        commandLine.setParameterExceptionHandler(new OneLineUsageErrors());
        commandLine.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        commandLine.getCommandSpec().exitCodeOnExecutionException(EXIT_FAILURE);
        return commandLine;
    }

    @Override
    public void run() {
        // no subcommand: show what there is and count it as a usage error
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** Prints {@code driftguard: <message>} on stderr, the stack trace only with --verbose. */
    static final class OneLineErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(final Exception ex, final CommandLine commandLine,
                                            final ParseResult parseResult) {
            final PrintWriter err = commandLine.getErr();
            final List<String> args = parseResult.expandedArgs();
            if (args.contains("--verbose")) {
                ex.printStackTrace(err);
            }
            err.println("driftguard: " + message(ex));
            err.flush();
            return EXIT_FAILURE;
        }

        private static String message(final Throwable ex) {
            Throwable t = ex;
            while (t.getMessage() == null && t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
    }

    /**
     * Prints {@code driftguard: <message>} and where to find the usage, instead of the whole usage text, so the bad
     * input stays the visible line; exit code 2.
     */
    static final class OneLineUsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(final CommandLine.ParameterException ex, final String[] args) {
            final CommandLine cmd = ex.getCommandLine();
            final PrintWriter err = cmd.getErr();
            if (List.of(args).contains("--verbose")) {
                ex.printStackTrace(err);
            }
            err.println("driftguard: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return EXIT_USAGE;
        }
    }

    /** Version from the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {
                "driftguard " + load("/io/driftguard/cli/version.properties").getProperty("version", "unknown"),
                "Kafka " + load("/kafka/kafka-version.properties").getProperty("version", "unknown")
                    + ", Java " + System.getProperty("java.version")};
        }

        private static Properties load(final String resource) throws IOException {
            final Properties props = new Properties();
            try (InputStream in = Driftguard.class.getResourceAsStream(resource)) {
                if (in != null) {
                    props.load(in);
                }
            }
            return props;
        }
    }
}
