package io.driftguard.demo;

import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.http.RollbackCommandSink;
import io.driftguard.drift.http.RollbackHandler;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.drift.topology.DriftTopology;
import io.driftguard.drift.topology.ModelReference;
import io.driftguard.drift.topology.ModelReferences;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The drift-monitor app as the demo runs it: {@link DriftTopology} in a {@link StreamsApp} (its own KafkaStreams
 * instance and metrics port), reference profiles from the model registry, the demo's rollback policy, and
 * {@code POST /rollback} mounted with a per-run bearer token. drift-monitor has no app class of its own yet; this
 * wiring uses only its public API and should move there when one lands.
 */
final class DemoDriftApp implements AutoCloseable {
  /** The demo's rollback policy: see the file for the rules and why. */
  static final String POLICY_RESOURCE = "demo/rollback-policy.yaml";
  /** Champion predictions in a 6-hour window at the demo's card count. */
  static final int CALIBRATION_WINDOW = 450;

  private final StreamsApp app;
  private final RollbackCommandSink sink;
  private final String token;

  private DemoDriftApp(final StreamsApp app, final RollbackCommandSink sink, final String token) {
    this.app = app;
    this.sink = sink;
    this.token = token;
  }

  /**
   * @param window event-time window of the monitors, sized so a window holds a few hundred predictions at the
   *     demo's rate
   */
  static DemoDriftApp create(final DriftguardConfig common, final Path registryDir, final Duration window)
      throws IOException {
    final Clock clock = Clock.systemUTC();
    // Thresholds calibrated on the reference bins for windows of about the demo's volume: the default absolute
    // thresholds flag sampling noise on windows of a few hundred predictions.
    final DriftMonitorConfig config = new DriftMonitorConfig(window, null, Duration.ofMinutes(1),
        ModelReference.ThresholdMode.CALIBRATED, CALIBRATION_WINDOW, null, null, 100L, 2, 2, null, null, null, null,
        null, null, null, registryDir, null, null);
    final SchemaRegistryClient registry = SchemaRegistries.client(common.schemaRegistry());
    final TopicSpecs topics = TopicSpecs.create(common.topics(), registry);
    final AppMetrics metrics = AppMetrics.create(common.applicationId(), common.instanceId());
    final DriftMetrics driftMetrics = new DriftMetrics();
    metrics.bind(driftMetrics);
    final DeadLetters deadLetters = new DeadLetters(common.applicationId(), topics.deadLetters().name(),
        topics.deadLetters().valueSerde().serializer(), metrics.platform(), clock);
    final ModelReferences references = new ModelReferences(new ModelRegistry(registryDir, clock),
        config.thresholds(), config.calibration(), clock);
    final RollbackPolicy policy = RollbackPolicy.fromYaml(resource(POLICY_RESOURCE));
    final StreamsApp app = StreamsApp.create(common, metrics, deadLetters,
        props -> DriftTopology.build(config, DriftTopology.Topics.of(topics), references, policy, driftMetrics,
            props));
    final Properties producer = common.kafka().clientProperties();
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, common.applicationId() + "-rollback-endpoint");
    final RollbackCommandSink sink = new RollbackCommandSink(
        new KafkaProducer<>(producer, new StringSerializer(), topics.modelControl().valueSerde().serializer()),
        new KafkaProducer<>(producer, new StringSerializer(), topics.alerts().valueSerde().serializer()),
        topics.modelControl(), topics.alerts());
    final String token = UUID.randomUUID().toString();
    app.server().mount(RollbackHandler.PATH, new RollbackHandler(token, sink, driftMetrics, clock));
    return new DemoDriftApp(app, sink, token);
  }

  StreamsApp streamsApp() {
    return app;
  }

  /** Bearer token of this run's {@code POST /rollback}. */
  String rollbackToken() {
    return token;
  }

  @Override
  public void close() {
    try {
      app.close();
    } finally {
      sink.close();
    }
  }

  static String resource(final String name) throws IOException {
    try (InputStream in = DemoDriftApp.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource '" + name + "' missing from the demo jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
