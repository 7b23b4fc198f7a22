package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring app restarted on its own local state (one partition, real embedded broker, EOS): the first event
 * after the restart must find a vector that was stored before the close, including one that the feature store had
 * already moved out of its latest-value slot into history.
 */
@ExtendWith(KafkaStackExtension.class)
class ScoringRestartTest {
  private static final String PREFIX = "rs-";

  static KafkaStackInfo stack;

  @TempDir
  Path tmp;

  private DriftguardConfig config(final Path stateDir) {
    return ConfigLoader.withEnv(Map.of(
        "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
        "DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
        "DRIFTGUARD_STREAMS_STATE_DIR", stateDir.toString())).loadYaml("""
        applicationId: rs-scoring
        instanceId: test-1
        streams: {commitInterval: 100ms, shutdownTimeout: 30s}
        metrics: {host: 127.0.0.1, port: 0}
        topics: {events: %1$sevents, features: %1$sfeatures, predictions: %1$spredictions,
          predictionsShadow: %1$spredictions-shadow, alerts: %1$salerts, modelControl: %1$smodel-control,
          deadLetters: %1$sdead-letters, labels: %1$slabels}
        """.formatted(PREFIX), "test").common();
  }

  private List<Prediction> readCommitted(final TopicSpecs topics, final int expected) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "rs-audit-" + UUID.randomUUID());
    final List<Prediction> out = new ArrayList<>();
    try (KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        topics.predictions().valueSerde().deserializer())) {
      consumer.subscribe(List.of(topics.predictions().name()));
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
        return out.size() >= expected;
      });
    }
    return out;
  }

  private static double predictions(final ScoringApp app) {
    return app.streamsApp().metrics().registry().find(ScoringMetrics.PREDICTIONS).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void shouldScoreTheFirstEventAfterARestartWithAVectorStoredBeforeTheCloseWhenTheLocalStateIsReused()
      throws Exception {
    // Given one-partition topics, model v1 promoted, and card-1's vectors at t1 and t2 plus card-2's at t3
    stack.createTopics(1, PREFIX + "events", PREFIX + "features", PREFIX + "predictions",
        PREFIX + "predictions-shadow", PREFIX + "alerts", PREFIX + "dead-letters", PREFIX + "model-control");
    final ModelRegistry registry = TestModels.registry(tmp.resolve("registry"));
    registry.register(TestModels.train(tmp, "v1", 11), "test", "it");
    final SchemaRegistryClient schemas = stack.registryClient();
    final DriftguardConfig common = config(tmp.resolve("state"));
    final TopicSpecs topics = TopicSpecs.create(common.topics(), schemas);
    final Instant t1 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    final Instant t2 = t1.plusSeconds(60);
    final Instant t3 = t2.plusSeconds(60);
    final Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        stack.bootstrapServers(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, ModelCommand> control = new KafkaProducer<>(producerProps, new StringSerializer(),
        topics.modelControl().valueSerde().serializer());
        KafkaProducer<String, FeatureVector> vectors = new KafkaProducer<>(producerProps, new StringSerializer(),
            topics.features().valueSerde().serializer())) {
      control.send(new ProducerRecord<>(topics.modelControl().name(), TestModels.MODEL,
          ScoringHarness.command(ModelAction.PROMOTE, "v1", null))).get();
      for (final FeatureVector v : List.of(ScoringHarness.vector("card-1", t1, ScoringHarness.values(11.0)),
          ScoringHarness.vector("card-1", t2, ScoringHarness.values(22.0)),
          ScoringHarness.vector("card-2", t3, ScoringHarness.values(33.0)))) {
        vectors.send(new ProducerRecord<>(topics.features().name(), 0, v.getEventTime().toEpochMilli(),
            v.getEntityId(), v)).get();
      }
    }
    final ScoringConfig scoring = new ScoringConfig(TestModels.MODEL, registry.root(), null, Duration.ofSeconds(2),
        null, null, null, Duration.ofSeconds(5), null);
    final Map<String, Object> eventProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, Transaction> events = new KafkaProducer<>(eventProps, new StringSerializer(),
        AvroSerdes.specific(Transaction.class, schemas, false).serializer())) {
      // and a first app that stored them all (card-2's event after t3 is scored only once features reach t3)
      final Transaction warmUp = ScoringHarness.txn("card-2", 10.0, t3.plusSeconds(1));
      events.send(new ProducerRecord<>(topics.events().name(), 0, warmUp.getEventTime().toEpochMilli(),
          warmUp.getCardId(), warmUp)).get();
      try (ScoringApp first = ScoringApp.create(common, scoring, TestModels.FEATURES)) {
        first.start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
            .until(() -> predictions(first) >= 1);
      }

      // When card-1's event at t2 arrives and the app starts again on the same state directory
      final Transaction probe = ScoringHarness.txn("card-1", 10.0, t2);
      events.send(new ProducerRecord<>(topics.events().name(), 0, t2.toEpochMilli(), probe.getCardId(), probe))
          .get();
      try (ScoringApp second = ScoringApp.create(common, scoring, TestModels.FEATURES)) {
        second.start();

        // Then its prediction used card-1's vector as of t2 - 1, i.e. the one stamped t1
        final List<Prediction> all = readCommitted(topics, 2);
        assertThat(all).hasSize(2);
        final Prediction p = all.get(1);
        assertThat(p.getEventId()).isEqualTo(probe.getEventId());
        assertThat(p.getReasonCodes()).doesNotContain(ReasonCodes.NO_FEATURE_VECTOR, ReasonCodes.FEATURES_LATE);
        final UsedFeature mean = p.getFeatures().stream().filter(f -> f.getName().equals("amount_mean_24h"))
            .findFirst().orElseThrow();
        assertThat(mean.getValue()).isEqualTo(11.0);
        assertThat(mean.getAsOf()).isEqualTo(t1);
      }
    }
  }
}
