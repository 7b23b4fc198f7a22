package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Channel;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.features.FeatureReplay;
import io.driftguard.features.FeatureTopology;
import io.driftguard.features.FeatureTopologyConfig;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.app.SchemaRegistries;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetters;
import io.driftguard.platform.metrics.AppMetrics;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * feature-stream and scoring-stream on the real embedded broker and registry, under exactly-once: generated
 * events, the scoring app closed and started again mid-stream, and a read_committed audit of the outputs.
 */
@ExtendWith(KafkaStackExtension.class)
class ScoringEndToEndTest {
  /** 5,000 events by default (about a minute here); {@code -Dscoring.e2e=true} runs the 20,000. */
  private static final int EVENTS = Integer.getInteger("scoring.e2e.events",
      Boolean.getBoolean("scoring.e2e") ? 20_000 : 5_000);
  /** Close and start the scoring app again at half the predictions ({@code -Dscoring.e2e.restart=false}: don't). */
  private static final boolean RESTART = Boolean.parseBoolean(System.getProperty("scoring.e2e.restart", "true"));
  /**
   * Assert training/serving parity of every input (default on; {@code -Dscoring.e2e.parity=false} only logs the
   * differences). The restart used to break it: see {@link FeatureHistory} and {@code ScoringRestartTest}.
   */
  private static final boolean PARITY = Boolean.parseBoolean(System.getProperty("scoring.e2e.parity", "true"));
  private static final int CARDS = 2_000;
  private static final int PARTITIONS = 4;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScoringEndToEndTest.class);

  static KafkaStackInfo stack;

  @TempDir
  Path tmp;

  private DriftguardConfig config(final String appId, final Path stateDir) {
    return ConfigLoader.withEnv(Map.of(
        "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
        "DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
        "DRIFTGUARD_STREAMS_STATE_DIR", stateDir.toString())).loadYaml("""
        applicationId: %s
        instanceId: test-1
        streams: {commitInterval: 200ms, shutdownTimeout: 30s}
        metrics: {host: 127.0.0.1, port: 0}
        """.formatted(appId), "test").common();
  }

  /** Events every 100 ms ending an hour ago; one in 200 has a negative amount and is invalid. */
  private static List<Transaction> generate(final Instant start) {
    final SplittableRandom rnd = new SplittableRandom(42);
    final List<Transaction> out = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      final boolean invalid = i % 200 == 199;
      out.add(Transaction.newBuilder()
          .setEventId("it-" + i)
          .setCardId("card-" + rnd.nextInt(CARDS))
          .setEventTime(start.plusMillis(100L * i))
          .setAmount(invalid ? -1 : Math.exp(3 + rnd.nextGaussian()))
          .setCurrency("EUR")
          .setMerchantId("m-" + rnd.nextInt(50))
          .setMerchantCategory("grocery")
          .setCountry(rnd.nextInt(10) == 0 ? "FR" : "DE")
          .setChannel(rnd.nextBoolean() ? Channel.ONLINE : Channel.POS)
          .setDeviceId(null)
          .setCustomerEmail("person" + i + "@example.com")
          .build());
    }
    return out;
  }

  private <V> List<V> readCommitted(final String topic, final Deserializer<V> values, final int expected) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-" + topic + "-" + UUID.randomUUID());
    final List<V> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      // Reach the expected count, then keep reading for a while to catch any duplicate behind it.
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(10)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(r.value()));
        return records.size() >= expected;
      });
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> records.add(r.value()));
        return true;
      });
    }
    return records;
  }

  private int countCommitted(final String topic) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + topic + "-" + UUID.randomUUID());
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      for (int empty = 0; empty < 3; ) {
        final int got = consumer.poll(Duration.ofMillis(500)).count();
        n += got;
        empty = got == 0 ? empty + 1 : 0;
      }
    }
    return n;
  }

  @Test
  void shouldWriteExactlyOnePredictionPerValidEventWhenTheScoringAppRestartsMidStream() throws Exception {
    // Given the topics, model v1 in a registry and PROMOTE v1 on model-control
    stack.createTopics(PARTITIONS, "events", "features", "predictions", "predictions-shadow", "alerts",
        "dead-letters");
    stack.createTopics(1, "model-control");
    final ModelRegistry registry = TestModels.registry(tmp.resolve("registry"));
    registry.register(TestModels.train(tmp, "v1", 11), "test", "it");
    final SchemaRegistryClient schemas = stack.registryClient();
    final TopicSpecs topics = TopicSpecs.create(config("x", tmp).topics(), schemas);
    final Instant start = Instant.now().minus(Duration.ofHours(1)).minusMillis(100L * EVENTS);
    final List<Transaction> events = generate(start);
    final Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        stack.bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, ModelCommand> control = new KafkaProducer<>(producerProps, new StringSerializer(),
        topics.modelControl().valueSerde().serializer())) {
      control.send(new ProducerRecord<>("model-control", TestModels.MODEL, ScoringHarness.command(ModelAction.PROMOTE,
          "v1", null))).get();
    }

    // and the feature app has turned every valid event into a vector
    final DriftguardConfig featureConfig = config("it-features", tmp.resolve("features-state"));
    final AppMetrics featureMetrics = AppMetrics.create("it-features", "test-1");
    final DeadLetters featureDls = new DeadLetters("it-features", "dead-letters",
        topics.deadLetters().valueSerde().serializer(), featureMetrics.platform(), Clock.systemUTC());
    try (StreamsApp features = StreamsApp.create(featureConfig, featureMetrics, featureDls,
        props -> FeatureTopology.build(FeatureTopologyConfig.of(TestModels.FEATURES, featureConfig.topics()),
            AvroSerdes.generic(schemas, false, TestModels.FEATURES.eventSchema(), AvroSerdeConfig.defaults()),
            topics.features().valueSerde(), topics.deadLetters().valueSerde(), featureMetrics.registry()))) {
      features.start();
      try (KafkaProducer<String, Transaction> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
          AvroSerdes.specific(Transaction.class, schemas, false).serializer())) {
        for (final Transaction t : events) {
          producer.send(new ProducerRecord<>("events", null, t.getEventTime().toEpochMilli(), t.getCardId(), t));
        }
      }
      final int valid = EVENTS - EVENTS / 200;
      final List<FeatureVector> vectors = readCommitted("features", topics.features().valueSerde().deserializer(),
          valid);
      assertThat(vectors).hasSize(valid);
    }

    // When the scoring app runs, is closed after half the predictions, and starts again on the same state
    final DriftguardConfig scoringConfig = config("it-scoring", tmp.resolve("scoring-state"));
    final ScoringConfig scoring = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(2),
        null, null, null, Duration.ofMillis(Long.getLong("scoring.e2e.idle", 2_000)), null);
    final long scoringStart = System.nanoTime();
    try (ScoringApp first = ScoringApp.create(scoringConfig, scoring, TestModels.FEATURES)) {
      first.start();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
          .until(() -> first.streamsApp().metrics().registry().find(ScoringMetrics.PREDICTIONS).counters().stream()
              .mapToDouble(c -> c.count()).sum() >= (RESTART ? EVENTS / 2 : EVENTS - EVENTS / 200));
    }
    LOG.info("scoring app closed; starting it again");
    // -Dscoring.e2e.freshState=true: the restarted app restores from the changelogs into an empty state dir.
    final DriftguardConfig restartConfig = Boolean.getBoolean("scoring.e2e.freshState")
        ? config("it-scoring", tmp.resolve("scoring-state-fresh")) : scoringConfig;
    try (ScoringApp second = ScoringApp.create(restartConfig, scoring, TestModels.FEATURES)) {
      second.start();

      // Then read_committed finds exactly one prediction per valid event id, none for invalid ones
      final int valid = EVENTS - EVENTS / 200;
      final List<Prediction> predictions = readCommitted("predictions",
          topics.predictions().valueSerde().deserializer(), valid);
      LOG.info("{} predictions read {} s after the scoring app first started", predictions.size(),
          (System.nanoTime() - scoringStart) / 1_000_000_000.0);
      final Map<String, Prediction> byId = new HashMap<>();
      for (final Prediction p : predictions) {
        assertThat(byId.put(p.getEventId(), p)).as("duplicate prediction for %s", p.getEventId()).isNull();
      }
      final Set<String> validIds = new HashSet<>();
      events.stream().filter(t -> t.getAmount() >= 0).forEach(t -> validIds.add(t.getEventId()));
      assertThat(byId.keySet()).isEqualTo(validIds);
      assertThat(predictions).allSatisfy(p -> {
        assertThat(p.getModelVersion()).isIn("v1", scoring.fallbackRule().name());
        assertThat(p.toString()).doesNotContain("@example.com");
      });

      // and the invalid ones are dead letters of the scorer: in = predictions + dead letters
      final List<DeadLetter> dls = readCommitted("dead-letters", topics.deadLetters().valueSerde().deserializer(),
          2 * (EVENTS / 200));
      final long scorerDls = dls.stream().filter(d -> d.getApp().equals("it-scoring")).count();
      assertThat(scorerDls).isEqualTo(EVENTS / 200);
      assertThat(predictions.size() + scorerDls).isEqualTo(EVENTS);

      // and the features used are the offline replay's vector as of just before each event
      final Map<String, FeatureVector> replay = new HashMap<>();
      FeatureReplay.builder(TestModels.FEATURES).partitions(PARTITIONS).build().run(events).vectors()
          .forEach(v -> replay.put(v.getEventId(), v));
      final FeatureLookup lookup = FeatureLookup.of(second.streamsApp().streams());
      final Map<String, String> previousOfCard = new HashMap<>();
      int compared = 0;
      int firsts = 0;
      final List<String> mismatches = new ArrayList<>();
      for (final Transaction t : events) {
        if (t.getAmount() < 0) {
          continue;
        }
        final String prev = previousOfCard.put(t.getCardId(), t.getEventId());
        final Prediction p = byId.get(t.getEventId());
        if (prev == null) {
          assertThat(p.getReasonCodes()).contains(ReasonCodes.NO_FEATURE_VECTOR);
          firsts++;
          continue;
        }
        final Map<String, FeatureValue> expected = new HashMap<>();
        replay.get(prev).getFeatures().forEach(f -> expected.put(f.getName(), f));
        for (final UsedFeature f : p.getFeatures()) {
          if (f.getImputed() || f.getName().equals("amount")) {
            continue;
          }
          if (!java.util.Objects.equals(f.getValue(), expected.get(f.getName()).getValue())) {
            // What the scorer's store holds now for the entity as of t - 1 tells a late write from a lost one.
            final FeatureVector now = lookup.asOf(t.getCardId(), t.getEventTime().toEpochMilli() - 1);
            mismatches.add(t.getEventId() + "/" + f.getName() + ": " + f.getValue() + " != "
                + expected.get(f.getName()).getValue() + " " + p.getReasonCodes() + "; expected vector of " + prev
                + ", store now has " + (now == null ? "none" : now.getEventId()) + ", scored at " + p.getScoredAt());
          }
          compared++;
        }
      }
      if (!mismatches.isEmpty()) {
        LOG.warn("{} inputs differ from the replay: {}", mismatches.size(), mismatches);
      }
      if (PARITY) {
        assertThat(mismatches).as("%d inputs differ from the replay", mismatches.size()).isEmpty();
      }
      // No event waited out the bound: features were all on the topic before scoring started.
      assertThat(predictions).noneMatch(p -> p.getReasonCodes().contains(ReasonCodes.FEATURES_LATE));
      // most inputs of every non-first event were compared (the rest were stale and imputed)
      assertThat(compared).isGreaterThan(2 * (valid - firsts));
    }
  }
}
