package io.driftguard.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Channel;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The feature app on the real embedded broker and registry, exactly-once v2. */
@ExtendWith(KafkaStackExtension.class)
class FeatureStreamEmbeddedTest {
  private static final String EVENTS = "features-it-events";
  private static final String FEATURES = "features-it-features";
  private static final String DEAD_LETTERS = "features-it-dead-letters";
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
  private static final int EVENTS_TOTAL = 10_000;
  private static final int ENTITIES = 500;

  static KafkaStackInfo stack;

  @TempDir
  Path stateDir;

  private DriftguardConfig config() {
    final Map<String, String> env = new HashMap<>();
    env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("DRIFTGUARD_STREAMS_STATE_DIR", stateDir.toString());
    env.put("DRIFTGUARD_TOPICS_EVENTS", EVENTS);
    env.put("DRIFTGUARD_TOPICS_FEATURES", FEATURES);
    env.put("DRIFTGUARD_TOPICS_DEAD_LETTERS", DEAD_LETTERS);
    return ConfigLoader.withEnv(env).loadYaml("""
        applicationId: features-it
        instanceId: it-1
        streams: {commitInterval: 200ms, shutdownTimeout: 20s}
        metrics: {host: 127.0.0.1, port: 0}
        """, "test").common();
  }

  @Test
  void shouldEmitOneVectorPerValidEventAndDeadLetterTheRestWhenRunOnARealBroker() throws Exception {
    // Given
    stack.createTopics(4, EVENTS, FEATURES, DEAD_LETTERS);
    final DriftguardConfig config = config();
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    final SchemaRegistryClient registry = stack.registryClient();
    final Serializer<Transaction> txns = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    final Random random = new Random(11);
    final Set<String> validIds = new HashSet<>();
    final Map<String, String> expectedReasons = new HashMap<>();
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(EVENTS_TOTAL);
    final Channel[] channels = Channel.values();
    for (int i = 0; i < EVENTS_TOTAL; i++) {
      final String card = "card-" + random.nextInt(ENTITIES);
      // Increasing event time with 1% of events 30 s back: out of order but inside the 1-minute grace.
      final Instant at = T0.plusMillis(i * 50L).minusSeconds(random.nextInt(100) == 0 ? 30 : 0);
      final byte[] key = card.getBytes(StandardCharsets.UTF_8);
      if (i % 500 == 250) {
        records.add(new ProducerRecord<>(EVENTS, key, new byte[] {7, 7, 7}));
        expectedReasons.put("garbage-" + i, "WRONG_MAGIC_BYTE");
        continue;
      }
      double amount = Math.round(random.nextDouble() * 50_000) / 100.0;
      final Transaction t = Txns.txn(card, amount, at, channels[random.nextInt(channels.length)],
          "m-" + random.nextInt(50), "C" + random.nextInt(5));
      if (i % 200 == 17) {
        amount = -1.0;
        t.setAmount(amount);
        expectedReasons.put(t.getEventId(), "OUT_OF_RANGE");
      } else if (i % 333 == 5) {
        t.setAmount(Double.NaN);
        expectedReasons.put(t.getEventId(), "NON_FINITE");
      } else {
        validIds.add(t.getEventId());
      }
      records.add(new ProducerRecord<>(EVENTS, null, at.toEpochMilli(), key, txns.serialize(EVENTS, t)));
    }

    try (StreamsApp app = FeatureApp.create(config, set)) {
      // When
      app.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
      final Properties producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
        records.forEach(producer::send);
      }

      // Then
      final List<ConsumerRecord<byte[], byte[]>> vectors = readCommitted(FEATURES, validIds.size());
      final List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(DEAD_LETTERS, expectedReasons.size());
      final var vectorSerde = AvroSerdes.specific(FeatureVector.class, registry, false).deserializer();
      final List<String> emittedIds = new ArrayList<>();
      for (final ConsumerRecord<byte[], byte[]> r : vectors) {
        final FeatureVector v = vectorSerde.deserialize(FEATURES, r.value());
        emittedIds.add(v.getEventId());
        assertThat(r.timestamp()).isEqualTo(v.getEventTime().toEpochMilli());
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(v.getEntityId());
        assertThat(v.getFeatureSetHash()).isEqualTo(set.hash());
      }
      assertThat(emittedIds).hasSize(validIds.size()).doesNotHaveDuplicates();
      assertThat(new HashSet<>(emittedIds)).isEqualTo(validIds);
      final var deadSerde = AvroSerdes.specific(DeadLetter.class, registry, false).deserializer();
      final Map<String, Long> reasons = new HashMap<>();
      for (final ConsumerRecord<byte[], byte[]> r : dead) {
        reasons.merge(deadSerde.deserialize(DEAD_LETTERS, r.value()).getReasonCode(), 1L, Long::sum);
      }
      final Map<String, Long> expected = new HashMap<>();
      expectedReasons.values().forEach(code -> expected.merge(code, 1L, Long::sum));
      assertThat(reasons).isEqualTo(expected);

      // When an entity's features are queried over HTTP
      final String card = new String(vectors.get(vectors.size() - 1).key(), StandardCharsets.UTF_8);
      final HttpClient http = HttpClient.newHttpClient();
      final HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + app.server().port() + "/features/" + card)).build(), BodyHandlers.ofString());
      final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + app.server().port() + "/features/no-such-card")).build(), BodyHandlers.ofString());

      // Then
      assertThat(found.statusCode()).isEqualTo(200);
      final JsonNode body = new ObjectMapper().readTree(found.body());
      assertThat(body.get("entityId").asText()).isEqualTo(card);
      assertThat(body.get("featureSetHash").asText()).isEqualTo(set.hash());
      assertThat(body.get("features")).hasSize(set.features().size());
      assertThat(body.get("features").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1.0);
      assertThat(missing.statusCode()).isEqualTo(404);
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readCommitted(final String topic, final int expected) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(120)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out.size() >= expected;
      });
    }
    return out;
  }
}
