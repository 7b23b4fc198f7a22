package io.driftguard.cli;

import io.driftguard.demo.DemoMain;
import io.driftguard.demo.DemoOptions;
import io.driftguard.demo.DemoScenario;
import io.driftguard.demo.DemoUsageException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code driftguard demo}: the whole platform in one process (embedded broker and registry, training with gates,
 * feature-stream, scoring-stream and drift-monitor, a live generator with delayed labels, console view, run report).
 * The flags are validated here, through {@link DemoOptions}, so a bad one is a picocli usage error (exit 2, one line
 * and the help hint) before anything starts; the run itself, with its Ctrl-C handling, is {@link DemoMain}'s.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run the whole platform in this process: an embedded Kafka broker and schema registry with every topic, "
            + "model v1 trained and registered with gates if the registry has no champion (verdicts printed), "
            + "feature-stream, scoring-stream and drift-monitor as separate Streams apps, and a live generator "
            + "with delayed labels. A console view refreshes about once a second (line logs when stdout is not a "
            + "terminal); each app's /metrics address is printed at start-up.",
        "At the end (or on Ctrl-C) it writes REPORT-DIR/index.html and REPORT-DIR/summary.json. The first Ctrl-C "
            + "stops everything in order, writes the report and exits 0; a second one forces the exit.",
        "Exit codes: 0 done, 1 failure, 2 bad option or a port already in use (the message names it)."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "3m", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Wall-clock length of the live phase, e.g. 90s, 3m, PT2M; positive. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "100", paramLabel = "N",
        description = "Events per second the live generator publishes; positive, at most 5000. It also sets the "
            + "scenario clock (event time runs faster at a higher rate). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--scenario", defaultValue = "drift-and-rollback", paramLabel = "NAME",
        description = "What the live phase shows: drift-and-rollback (v2 in shadow then canary, amount drift, "
            + "automatic rollback, late labels confirm), steady (no drift, v1 only), null-spike (deviceId goes "
            + "missing), label-outage (labels stop). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--report-dir", defaultValue = "report", paramLabel = "DIR",
        description = "Where index.html, summary.json, the charts and (unless --registry) the model registry go. "
            + "Default: ${DEFAULT-VALUE}.")
    Path reportDir;

    @Option(names = "--keep-running",
        description = "Keep the stack and the apps up after the live phase, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--registry", paramLabel = "DIR",
        description = "Model registry; an existing champion there is reused, not retrained. "
            + "Default: REPORT-DIR/registry.")
    Path registry;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Broker data dir, kept after the run. Default: a temporary directory deleted at the end.")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "0", paramLabel = "PORT",
        description = "Kafka broker port. Default: ${DEFAULT-VALUE} (any free port).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "0", paramLabel = "PORT",
        description = "Schema registry port. Default: ${DEFAULT-VALUE} (any free port).")
    int registryPort;

    @Option(names = "--features-port", defaultValue = "0", paramLabel = "PORT",
        description = "feature-stream's /metrics and /features/{id} port. Default: ${DEFAULT-VALUE} (any free port).")
    int featuresPort;

    @Option(names = "--scoring-port", defaultValue = "0", paramLabel = "PORT",
        description = "scoring-stream's /metrics and POST /score port. Default: ${DEFAULT-VALUE} (any free port).")
    int scoringPort;

    @Option(names = "--drift-port", defaultValue = "0", paramLabel = "PORT",
        description = "drift-monitor's /metrics and POST /rollback port. Default: ${DEFAULT-VALUE} (any free port).")
    int driftPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final DemoOptions options = options();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try (PrintStream outStream = printStream(out); PrintStream errStream = printStream(err)) {
            return DemoMain.run(options, outStream, errStream);
        }
    }

    /** The validated options; a bad flag is a usage error naming it. */
    DemoOptions options() {
        try {
            return new DemoOptions(duration, rate, DemoScenario.parse(scenario), reportDir, keepRunning, registry,
                dataDir, kafkaPort, registryPort, featuresPort, scoringPort, driftPort);
        } catch (final DemoUsageException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The demo prints to a {@link PrintStream}; picocli's streams are writers (tests capture them). Closing the stream
     * only flushes, so picocli's writer stays usable.
     */
    private static PrintStream printStream(final PrintWriter writer) {
        return new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes to a writer; a character split across writes is kept until its last byte arrives. */
    static final class WriterOutputStream extends OutputStream {
        private final PrintWriter writer;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8192);
        private final CharBuffer chars = CharBuffer.allocate(8192);

        WriterOutputStream(final PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(final int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len) {
            int offset = off;
            int remaining = len;
            while (remaining > 0) {
                final int n = Math.min(remaining, pending.remaining());
                pending.put(b, offset, n);
                offset += n;
                remaining -= n;
                drain();
            }
        }

        private void drain() {
            pending.flip();
            while (true) {
                final var result = decoder.decode(pending, chars, false);
                chars.flip();
                writer.append(chars);
                chars.clear();
                if (!result.isOverflow()) {
                    break;
                }
            }
            pending.compact();
        }

        @Override
        public synchronized void flush() {
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
