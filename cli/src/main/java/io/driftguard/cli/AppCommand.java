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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs one {@link RunnableApp}: load config, ensure topics, start, wait for a signal or the app's end, close. */
@Command(mixinStandardHelpOptions = true)
final class AppCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AppCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MS = 200;

    private final RunnableApp app;

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "App config YAML (applicationId, kafka, schemaRegistry, streams, topics, metrics and the "
            + "app's section). DRIFTGUARD_* and KAFKA_* environment variables override it.")
    Path config;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile StreamsApp running;

    AppCommand(final RunnableApp app) {
        this.app = app;
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
            final Signals signals = Signals.onStop(this::stop);
            final Thread hook = new Thread(this::stopAndWait, app.name() + "-cli-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                built.start();
                running = streamsApp;
                out.printf("%s started (application.id %s) against %s; metrics and health on port %d "
                    + "(/metrics, /health, /health/ready). Ctrl-C to stop.%n", app.name(),
                    loaded.common().applicationId(), loaded.common().kafka().bootstrapServers(),
                    streamsApp.server().port());
                out.flush();
                started.countDown();
                final KafkaStreams.State end = waitForStopOrEnd(streamsApp);
                if (end == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(app.name() + " stopped with a fatal error (state ERROR); "
                        + "see the log above");
                }
                out.printf("Stopping %s...%n", app.name());
                out.flush();
            } finally {
                removeHook(hook);
                signals.close();
            }
        } finally {
            running = null;
            closed.countDown();
        }
        out.printf("%s stopped.%n", app.name());
        out.flush();
        return 0;
    }

    /** Null when asked to stop, else the state Streams ended in on its own. */
    private KafkaStreams.State waitForStopOrEnd(final StreamsApp streamsApp) throws InterruptedException {
        while (!stop.await(POLL_MS, TimeUnit.MILLISECONDS)) {
            final KafkaStreams.State state = streamsApp.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return state;
            }
        }
        return null;
    }

    /** When the JVM exits anyway (signals not ours), stop the app and wait for it to close. */
    private void stopAndWait() {
        stop();
        try {
            closed.await(60, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // the JVM is shutting down and the hook runs: it waits for 'closed'
        }
    }

    /** Asks the running app to stop. */
    void stop() {
        stop.countDown();
    }

    /** Waits until the app has started; returns it, or null on timeout. */
    StreamsApp awaitStarted(final Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? running : null;
    }
}
