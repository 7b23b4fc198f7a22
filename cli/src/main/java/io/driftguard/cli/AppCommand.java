package io.driftguard.cli;

import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.topics.TopicCatalogue;
import io.driftguard.platform.topics.TopicProvisioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs one {@link RunnableApp}: load config, ensure topics, start, wait for a signal or the app's end, close. */
@Command(mixinStandardHelpOptions = true)
final class AppCommand implements Callable<Integer> {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunnableApp app;

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "App config YAML (applicationId, kafka, schemaRegistry, streams, topics, metrics and the "
            + "app's section). DRIFTGUARD_* and KAFKA_* environment variables override it.")
    Path config;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

    private final Lifecycle<StreamsApp> lifecycle;

    AppCommand(final RunnableApp app) {
        this.app = app;
        this.lifecycle = new Lifecycle<>(app.name(), Duration.ofSeconds(60));
    }

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final LoadedConfig loaded;
        final RunnableApp.Built built;
        try {
            final ConfigLoader loader = ConfigLoader.withEnv(env);
            app.sections().forEach(loader::withSection);
            loaded = loader.load(config);
            built = app.factory().create(loaded);
        } catch (final ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (RunnableApp.Built closing = built) {
            final StreamsApp streamsApp = built.streamsApp();
            try (Admin admin = Admin.create(loaded.common().kafka().clientProperties())) {
                TopicProvisioner.ensure(admin, TopicCatalogue.of(loaded.common().topics()), ADMIN_TIMEOUT);
            }
            try (Lifecycle.Guard signals = lifecycle.takeOverSignals()) {
                built.start();
                out.printf("%s started (application.id %s) against %s; metrics and health on port %d "
                    + "(/metrics, /health, /health/ready). Ctrl-C to stop.%n", app.name(),
                    loaded.common().applicationId(), loaded.common().kafka().bootstrapServers(),
                    streamsApp.server().port());
                out.flush();
                lifecycle.up(streamsApp);
                final KafkaStreams.State end = waitForStopOrEnd(streamsApp);
                if (end == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(app.name() + " stopped with a fatal error (state ERROR); "
                        + "see the log above");
                }
                out.printf("Stopping %s...%n", app.name());
                out.flush();
            }
        } finally {
            lifecycle.closed();
        }
        out.printf("%s stopped.%n", app.name());
        out.flush();
        return 0;
    }

    /** Null when asked to stop, else the state Streams ended in on its own. */
    private KafkaStreams.State waitForStopOrEnd(final StreamsApp streamsApp) throws InterruptedException {
        while (!lifecycle.awaitStop(POLL)) {
            final KafkaStreams.State state = streamsApp.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return state;
            }
        }
        return null;
    }

    /** Asks the running app to stop. */
    void stop() {
        lifecycle.stop();
    }

    /** Waits until the app has started; returns it, or null on timeout. */
    StreamsApp awaitStarted(final Duration timeout) throws InterruptedException {
        return lifecycle.awaitUp(timeout);
    }
}
