package io.driftguard.platform.app;

import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.metrics.MetricsServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams app: builds the topology with the Streams properties (so optimizations apply), starts the
 * metrics/health server, binds Streams metrics, and shuts down in order (streams with a timeout, then the server and
 * metrics) from {@link #close()} or the JVM shutdown hook. Never wipes local state on start.
 *
 * <pre>{@code
 * StreamsApp app = StreamsApp.create(config, metrics, deadLetters, props -> FeatureTopology.build(...).build(props));
 * app.server().mount("/features/", handler);
 * app.start();
 * KafkaStreams.State end = app.awaitTermination();   // the caller maps ERROR to a non-zero exit
 * }</pre>
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final int MAX_THREAD_REPLACEMENTS = 10;
    private static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(5);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final DriftguardConfig config;
    private final AppMetrics metrics;
    private final MetricsServer server;
    private final KafkaStreams streams;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile KafkaStreams.State lastState = KafkaStreams.State.CREATED;
    private Thread shutdownHook;
    private volatile BrokerProbe brokerProbe;

    private StreamsApp(final DriftguardConfig config, final AppMetrics metrics, final MetricsServer server,
                       final KafkaStreams streams) {
        this.config = config;
        this.metrics = metrics;
        this.server = server;
        this.streams = streams;
    }

    /**
     * Builds the app and starts its metrics/health server (readiness 503 until Streams runs).
     *
     * @param topologyFactory builds the topology from the final Streams properties, e.g.
     *     {@code props -> builder.build(props)}
     */
    public static StreamsApp create(final DriftguardConfig config, final AppMetrics metrics,
                                    final DeadLetters deadLetters,
                                    final Function<Properties, Topology> topologyFactory) {
        return create(config, metrics, deadLetters, Map.of(), topologyFactory);
    }

    /**
     * Like {@link #create(DriftguardConfig, AppMetrics, DeadLetters, Function)}, with Streams properties the app's
     * topology relies on (e.g. {@code max.poll.records}) put over the ones from config before the topology is built.
     */
    public static StreamsApp create(final DriftguardConfig config, final AppMetrics metrics,
                                    final DeadLetters deadLetters, final Map<String, ?> extraProperties,
                                    final Function<Properties, Topology> topologyFactory) {
        Objects.requireNonNull(topologyFactory, "topologyFactory");
        Objects.requireNonNull(extraProperties, "extraProperties");
        final Properties props = StreamsProperties.from(config, deadLetters);
        props.putAll(extraProperties);
        final Topology topology = topologyFactory.apply(props);
        final KafkaStreams streams = new KafkaStreams(topology, props);
        final MetricsServer server;
        try {
            server = MetricsServer.start(config.metrics().host(), config.metrics().port(), metrics.registry());
        } catch (final RuntimeException e) {
            streams.close(Duration.ZERO);
            throw e;
        }
        final StreamsApp app = new StreamsApp(config, metrics, server, streams);
        streams.setUncaughtExceptionHandler(
            new UncaughtExceptionPolicy(MAX_THREAD_REPLACEMENTS, REPLACEMENT_WINDOW, Clock.systemUTC()));
        streams.setStateListener(app::onStateChange);
        server.readiness(streams::state, app::brokersReachable);
        metrics.bindStreams(streams);
        LOG.debug("topology of {}:\n{}", config.applicationId(), topology.describe());
        return app;
    }

    /** Starts Kafka Streams and installs the shutdown hook. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("app " + config.applicationId() + " was already started");
        }
        brokerProbe = BrokerProbe.start(config.kafka().clientProperties(), PROBE_INTERVAL, PROBE_TIMEOUT,
            config.applicationId());
        shutdownHook = new Thread(this::close, config.applicationId() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info("starting {} (instance {}) against {}; metrics on port {}", config.applicationId(),
            config.instanceId(), config.kafka().bootstrapServers(), server.port());
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public MetricsServer server() {
        return server;
    }

    public AppMetrics metrics() {
        return metrics;
    }

    /** Blocks until Streams stops (NOT_RUNNING or ERROR) and returns that state. */
    public KafkaStreams.State awaitTermination() throws InterruptedException {
        terminated.await();
        return lastState;
    }

    /** Like {@link #awaitTermination()} with a bound; returns the current state if Streams is still up. */
    public KafkaStreams.State awaitTermination(final Duration timeout) throws InterruptedException {
        terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return lastState;
    }

    private void onStateChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        lastState = newState;
        LOG.info("{}: {} -> {}", config.applicationId(), oldState, newState);
        if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
            terminated.countDown();
        }
    }

    /**
     * Closes Streams (waiting up to {@code streams.shutdownTimeout}) and leaves the consumer group, so that a
     * restarted instance is assigned its tasks at once instead of after the old member's session timeout; then the
     * server and metrics. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final Duration timeout = config.streams().shutdownTimeout();
        LOG.info("stopping {} (timeout {})", config.applicationId(), timeout);
        final boolean clean = streams.close(CloseOptions.groupMembershipOperation(
            CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout));
        if (!clean) {
            LOG.warn("{} did not stop within {}", config.applicationId(), timeout);
        }
        if (brokerProbe != null) {
            brokerProbe.close();
        }
        server.close();
        metrics.close();
        terminated.countDown();
        removeShutdownHook();
    }

    private boolean brokersReachable() {
        final BrokerProbe probe = brokerProbe;
        return probe != null && probe.reachable();
    }

    private void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (final IllegalStateException e) {
                // the JVM is already shutting down; the hook is running or done
            }
        }
    }
}
