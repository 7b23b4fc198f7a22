package io.driftguard.drift;

import io.driftguard.avro.Alert;
import io.driftguard.avro.ModelCommand;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.http.RollbackCommandSink;
import io.driftguard.drift.http.RollbackHandler;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.drift.topology.DriftTopology;
import io.driftguard.drift.topology.ModelReferences;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift-monitor application: {@link DriftTopology} on the platform's {@link StreamsApp} (exactly-once v2 by
 * default, dead-letter exception handlers, {@code /metrics} and {@code /health}) with {@link DriftMetrics} bound and,
 * when a rollback token is configured, {@code POST /rollback} ({@link RollbackHandler}) mounted on the same HTTP
 * server. Closing the returned {@link StreamsApp} stops Streams, then the HTTP server, then the metrics, and with
 * them the endpoint's two producers (so no request can be using them any more).
 *
 * <pre>{@code
 * LoadedConfig loaded = DriftApp.configLoader(System.getenv()).load(Path.of("config/drift-monitor.yaml"));
 * try (StreamsApp app = DriftApp.create(loaded)) {
 *   app.start();
 *   app.awaitTermination();   // ERROR: exit non-zero
 * }
 * }</pre>
 */
public final class DriftApp {

    /** The config section of drift-monitor ({@link DriftMonitorConfig}). */
    public static final String SECTION = "drift";

    private static final Logger LOG = LoggerFactory.getLogger(DriftApp.class);
    /** A policy without rules: alerts only. */
    private static final String ALERTS_ONLY = "rules: []\n";

    private DriftApp() {
    }

    /** A config loader with the {@value #SECTION} section registered and {@code env} as overrides. */
    public static ConfigLoader configLoader(final Map<String, String> env) {
        return ConfigLoader.withEnv(env).withSection(SECTION, DriftMonitorConfig.class);
    }

    /** Builds (does not start) the app from a config loaded by {@link #configLoader}. */
    public static StreamsApp create(final LoadedConfig loaded) {
        Objects.requireNonNull(loaded, "loaded");
        return create(loaded.common(), loaded.section(SECTION, DriftMonitorConfig.class));
    }

    /**
     * Builds (does not start) the app; the metrics server is already listening (readiness 503 until Streams runs).
     *
     * @throws io.driftguard.platform.config.ConfigException naming {@code rollbackTokenFile} when the token file
     *     cannot be read, or a {@code PolicyConfigException} naming the key when the rollback policy is invalid
     */
    public static StreamsApp create(final DriftguardConfig common, final DriftMonitorConfig drift) {
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(drift, "drift");
        final Clock clock = Clock.systemUTC();
        // Read everything that can fail on bad input before any thread, socket or producer exists.
        final Optional<String> token = drift.resolveRollbackToken();
        final RollbackPolicy policy = drift.rollbackPolicyFile() == null
                ? RollbackPolicy.fromYaml(ALERTS_ONLY)
                : RollbackPolicy.load(drift.rollbackPolicyFile());
        if (!Files.isDirectory(drift.registryDir())) {
            LOG.warn("model registry directory {} does not exist (yet): predictions of versions without a reference "
                    + "profile are counted as skipped until it is there", drift.registryDir());
        }
        final SchemaRegistryClient registry = SchemaRegistries.client(common.schemaRegistry());
        final TopicSpecs topics = TopicSpecs.create(common.topics(), registry);
        final AppMetrics metrics = AppMetrics.create(common.applicationId(), common.instanceId());
        final DriftMetrics driftMetrics = new DriftMetrics();
        metrics.bind(driftMetrics);
        final DeadLetters deadLetters = new DeadLetters(common.applicationId(), topics.deadLetters().name(),
                topics.deadLetters().valueSerde().serializer(), metrics.platform(), clock);
        final ModelReferences references = new ModelReferences(new ModelRegistry(drift.registryDir(), clock),
                drift.thresholds(), drift.calibration(), clock);
        final DriftTopology.Topics driftTopics = DriftTopology.Topics.of(topics);
        final StreamsApp app;
        try {
            app = StreamsApp.create(common, metrics, deadLetters,
                    props -> DriftTopology.build(drift, driftTopics, references, policy, driftMetrics, props));
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        RollbackCommandSink sink = null;
        try {
            if (token.isPresent()) {
                sink = sink(common, driftTopics);
                metrics.bind(new ClosedWithMetrics(sink));
                app.server().mount(RollbackHandler.PATH, new RollbackHandler(token.get(), sink, driftMetrics, clock));
                LOG.info("POST {} is on (bearer token from {})", RollbackHandler.PATH,
                        drift.rollbackTokenFile() != null ? "drift.rollbackTokenFile" : "drift.rollbackToken");
            } else {
                LOG.info("POST {} is off: set drift.rollbackTokenFile to turn it on", RollbackHandler.PATH);
            }
            LOG.info("rollback policy: {} rule(s){}, from {}", policy.rules().size(),
                    policy.dryRun() ? " (dry run)" : "",
                    drift.rollbackPolicyFile() == null ? "none (alerts only)" : drift.rollbackPolicyFile());
        } catch (RuntimeException e) {
            if (sink != null) {
                sink.close();
            }
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * Ties a resource to the app's {@link AppMetrics}, which closes its {@link AutoCloseable} binders last in
     * {@link StreamsApp#close()}, after Streams and the HTTP server have stopped. Registers no meter.
     */
    private record ClosedWithMetrics(AutoCloseable resource) implements MeterBinder, AutoCloseable {
        @Override
        public void bindTo(final MeterRegistry registry) {
            // nothing to register: only the lifetime matters
        }

        @Override
        public void close() throws Exception {
            resource.close();
        }
    }

    /**
     * The endpoint's producers: idempotent with acks=all (a retried send is not duplicated); no transactions, since
     * each request is one command plus its audit record and the handler waits for both acknowledgements.
     */
    private static RollbackCommandSink sink(final DriftguardConfig common, final DriftTopology.Topics topics) {
        final Properties props = common.kafka().clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // The handler waits 30 s per send: give up inside that, so a request gets a 503 rather than a hang.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(10).toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(25).toMillis());
        final KafkaProducer<String, ModelCommand> commands = new KafkaProducer<>(withClientId(props, common,
                "rollback-commands"), new StringSerializer(), topics.modelControl().valueSerde().serializer());
        final KafkaProducer<String, Alert> audits;
        try {
            audits = new KafkaProducer<>(withClientId(props, common, "rollback-audits"), new StringSerializer(),
                    topics.alerts().valueSerde().serializer());
        } catch (RuntimeException e) {
            commands.close();
            throw e;
        }
        return new RollbackCommandSink(commands, audits, topics.modelControl(), topics.alerts());
    }

    private static Properties withClientId(final Properties base, final DriftguardConfig common, final String role) {
        final Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, common.applicationId() + "-" + common.instanceId() + "-" + role);
        return props;
    }
}
