package io.driftguard.scoring;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.Channel;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.PlatformMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around {@link ScoringTopology} on an in-memory registry and a real model registry. */
final class ScoringHarness implements AutoCloseable {
  static final Instant WALL = TestModels.T0.plusSeconds(30L * 86_400);
  private static final AtomicLong IDS = new AtomicLong();

  final String scope = "scoring-" + UUID.randomUUID();
  final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ScoringMetrics metrics = new ScoringMetrics(TestModels.MODEL);
  final LiveRollout live = new LiveRollout();
  final TopologyTestDriver driver;
  final TestInputTopic<String, Transaction> events;
  final TestInputTopic<byte[], byte[]> rawEvents;
  final TestInputTopic<String, FeatureVector> features;
  final TestInputTopic<String, ModelCommand> control;
  final TestOutputTopic<String, Prediction> predictions;
  final TestOutputTopic<String, Prediction> shadow;
  final TestOutputTopic<String, Alert> alerts;
  final TestOutputTopic<byte[], DeadLetter> deadLetters;
  private final Serializer<Transaction> txnSerializer;

  ScoringHarness(final ModelCatalog catalog, final ScoringConfig config, final Path stateDir) {
    metrics.bindTo(meters);
    final TopicSpecs topics = TopicSpecs.create(TopicSettings.defaults(), registry);
    final Clock clock = Clock.fixed(WALL, ZoneOffset.UTC);
    final DeadLetters dls = new DeadLetters("scoring-test", "dead-letters", topics.deadLetters().valueSerde()
        .serializer(), PlatformMetrics.boundTo(meters), clock);
    final ScoringTopology.Dependencies deps = new ScoringTopology.Dependencies(TestModels.FEATURES, topics,
        AvroSerdes.generic(registry, false, TestModels.FEATURES.eventSchema(), AvroSerdeConfig.defaults())
            .deserializer(), catalog, metrics, dls, live, clock, System::nanoTime);
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scoring-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    ScoringTopology.withOverrides(props, config);
    driver = new TopologyTestDriver(ScoringTopology.build(config, deps), props, WALL);
    txnSerializer = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    events = driver.createInputTopic("events", new StringSerializer(), txnSerializer);
    rawEvents = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
    features = driver.createInputTopic("features", new StringSerializer(),
        topics.features().valueSerde().serializer());
    control = driver.createInputTopic("model-control", new StringSerializer(),
        topics.modelControl().valueSerde().serializer());
    predictions = driver.createOutputTopic("predictions", new StringDeserializer(),
        topics.predictions().valueSerde().deserializer());
    shadow = driver.createOutputTopic("predictions-shadow", new StringDeserializer(),
        topics.predictionsShadow().valueSerde().deserializer());
    alerts = driver.createOutputTopic("alerts", new StringDeserializer(), topics.alerts().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
        topics.deadLetters().valueSerde().deserializer());
  }

  static Transaction txn(final String card, final double amount, final Instant at) {
    return Transaction.newBuilder()
        .setEventId("e-" + IDS.incrementAndGet())
        .setCardId(card)
        .setEventTime(at)
        .setAmount(amount)
        .setCurrency("EUR")
        .setMerchantId("m-1")
        .setMerchantCategory("grocery")
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setDeviceId(null)
        .setCustomerEmail("alice@example.com")
        .build();
  }

  /**
   * A vector of the demo set stamped {@code at}, every feature as of {@code at}, with the given values by name
   * (others null).
   */
  static FeatureVector vector(final String card, final Instant at, final Map<String, Double> values) {
    return vector(card, at, values, TestModels.FEATURES.hash());
  }

  static FeatureVector vector(final String card, final Instant at, final Map<String, Double> values,
      final String hash) {
    final List<FeatureValue> fs = new ArrayList<>();
    for (final String name : TestModels.FEATURES.featureNames()) {
      final Double v = values.get(name);
      fs.add(FeatureValue.newBuilder().setName(name).setValue(v).setAsOf(v == null ? null : at).build());
    }
    return FeatureVector.newBuilder().setEntityId(card).setEventId("cause-" + at.toEpochMilli())
        .setEventTime(at).setFeatureSet(TestModels.FEATURES.name()).setFeatureSetHash(hash).setFeatures(fs)
        .setComputedAt(at).build();
  }

  /** Values for a typical fresh vector; {@code marker} goes into amount_mean_24h to tell vectors apart. */
  static Map<String, Double> values(final double marker) {
    return Map.of("txn_count_10m", 1.0, "txn_count_1h", 2.0, "amount_mean_24h", marker, "amount_max_24h",
        marker * 2, "seconds_since_last_txn", 300.0, "txn_count_24h", 3.0);
  }

  static ModelCommand command(final ModelAction action, final String version, final Double percent) {
    return ModelCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setModelName(TestModels.MODEL)
        .setAction(action).setVersion(version).setCanaryPercent(percent).setReason("test").setIssuedBy("tester")
        .setIssuedAt(WALL).build();
  }

  void send(final ModelAction action, final String version, final Double percent) {
    control.pipeInput(TestModels.MODEL, command(action, version, percent), WALL);
  }

  void pipe(final Transaction t) {
    events.pipeInput(t.getCardId(), t, t.getEventTime());
  }

  void pipe(final FeatureVector v) {
    features.pipeInput(v.getEntityId(), v, v.getEventTime());
  }

  byte[] bytes(final Transaction t) {
    return txnSerializer.serialize("events", t);
  }

  double count(final String name, final String... tags) {
    final var search = meters.find(name).tags(tags);
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }
}
