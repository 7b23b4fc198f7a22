package io.driftguard.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.avro.Channel;
import io.driftguard.avro.FeatureValue;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries across two instances of the feature app (one application id, one broker, exactly-once v2), both
 * configured from the checked-in {@code config/feature-stream.yaml} with environment overrides: a query to either
 * instance answers for every entity, the remote ones through a 307 to the instance Streams' metadata names.
 */
@ExtendWith(KafkaStackExtension.class)
class FeatureQueriesTwoInstancesTest {
  private static final String EVENTS = "features-iq-events";
  private static final String FEATURES = "features-iq-features";
  private static final String DEAD_LETTERS = "features-iq-dead-letters";
  private static final Path EXAMPLE_CONFIG = Path.of("..", "config", "feature-stream.yaml");
  private static final int CARDS = 120;
  private static final int EVENTS_PER_CARD = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  static KafkaStackInfo stack;

  @TempDir
  Path stateDir;

  private LoadedConfig config(final String instance, final int port) {
    final Map<String, String> env = new HashMap<>();
    env.put("DRIFTGUARD_APPLICATION_ID", "features-iq");
    env.put("DRIFTGUARD_INSTANCE_ID", instance);
    env.put("DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("DRIFTGUARD_STREAMS_STATE_DIR", stateDir.resolve(instance).toString());
    env.put("DRIFTGUARD_STREAMS_COMMIT_INTERVAL", "200ms");
    env.put("DRIFTGUARD_STREAMS_SHUTDOWN_TIMEOUT", "20s");
    env.put("DRIFTGUARD_STREAMS_APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("DRIFTGUARD_METRICS_PORT", String.valueOf(port));
    env.put("DRIFTGUARD_TOPICS_EVENTS", EVENTS);
    env.put("DRIFTGUARD_TOPICS_FEATURES", FEATURES);
    env.put("DRIFTGUARD_TOPICS_DEAD_LETTERS", DEAD_LETTERS);
    return FeatureApp.configLoader(env).load(EXAMPLE_CONFIG);
  }

  /** An ephemeral port for an instance: application.server must be known before its HTTP server binds it. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void shouldAnswerEveryEntityFromEitherInstanceWhenTwoInstancesSplitThePartitions() throws Exception {
    // Given two instances of one app, each hosting part of the 4 partitions
    stack.createTopics(4, EVENTS, FEATURES, DEAD_LETTERS);
    final int portA = freePort();
    final int portB = freePort();
    final LoadedConfig configA = config("iq-a", portA);
    final FeatureSet set = FeatureApp.loadFeatureSet(configA.section(FeatureApp.SECTION, FeatureStreamSettings.class));
    final SchemaRegistryClient registry = stack.registryClient();
    try (StreamsApp a = FeatureApp.create(configA); StreamsApp b = FeatureApp.create(config("iq-b", portB))) {
      a.start();
      b.start();
      await().atMost(Duration.ofSeconds(90)).until(() -> hostsTasks(a) && hostsTasks(b));

      // When events for every card are processed (in order per card, two hours old)
      final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
      final Serializer<Transaction> txns = AvroSerdes.specific(Transaction.class, registry, false).serializer();
      final Properties producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), (topic, data) -> data)) {
        final Channel[] channels = Channel.values();
        for (int i = 0; i < CARDS * EVENTS_PER_CARD; i++) {
          final String card = "card-" + (i % CARDS);
          final Instant at = t0.plusMillis(i * 250L);
          final Transaction t = Txns.txn(card, 1.0 + (i * 7 % 400) / 4.0, at, channels[i % channels.length],
              "m-" + (i % 9), "C" + (i % 3));
          producer.send(new ProducerRecord<>(EVENTS, null, at.toEpochMilli(), card, txns.serialize(EVENTS, t)));
        }
      }
      final Map<String, FeatureVector> newest = newestVectors(registry, CARDS * EVENTS_PER_CARD);

      // Then every card is answered by both instances with the vector of its newest event
      final HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
      final HttpClient direct = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      assertThat(newest).hasSize(CARDS);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        final Map<Integer, Integer> redirectsByPort = new HashMap<>(Map.of(portA, 0, portB, 0));
        for (final FeatureVector expected : newest.values()) {
          for (final int port : List.of(portA, portB)) {
            final URI uri = URI.create("http://127.0.0.1:" + port + "/features/" + expected.getEntityId());
            final HttpResponse<String> answer = following.send(HttpRequest.newBuilder(uri).build(),
                BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET %s", uri).isEqualTo(200);
            assertMatches(JSON.readTree(answer.body()), expected, set, true);
            final URI past = URI.create(uri + "?asOf=" + expected.getEventTime());
            final HttpResponse<String> history = following.send(HttpRequest.newBuilder(past).build(),
                BodyHandlers.ofString());
            assertThat(history.statusCode()).as("GET %s", past).isEqualTo(200);
            final JsonNode emitted = JSON.readTree(history.body());
            assertThat(emitted.get("eventId").asText()).isEqualTo(expected.getEventId());
            assertMatches(emitted, expected, set, false);
            final HttpResponse<String> first = direct.send(HttpRequest.newBuilder(uri).build(),
                BodyHandlers.ofString());
            if (first.statusCode() == 307) {
              final int other = port == portA ? portB : portA;
              assertThat(first.headers().firstValue("Location")).hasValue(
                  "http://127.0.0.1:" + other + "/features/" + expected.getEntityId());
              redirectsByPort.merge(port, 1, Integer::sum);
            } else {
              assertThat(first.statusCode()).as("GET %s", uri).isEqualTo(200);
            }
          }
        }
        // Each instance hosts some cards and redirects the rest: together exactly one redirect per card.
        assertThat(redirectsByPort.get(portA)).isPositive().isLessThan(CARDS);
        assertThat(redirectsByPort.get(portB)).isPositive().isLessThan(CARDS);
        assertThat(redirectsByPort.get(portA) + redirectsByPort.get(portB)).isEqualTo(CARDS);
      });
    }
  }

  private static boolean hostsTasks(final StreamsApp app) {
    return app.streams().state() == KafkaStreams.State.RUNNING
        && app.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
  }

  /** The vector of each card's newest event, read back from the features topic. */
  private Map<String, FeatureVector> newestVectors(final SchemaRegistryClient registry, final int expected) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + FEATURES);
    final Deserializer<FeatureVector> vectors = AvroSerdes.specific(FeatureVector.class, registry, false)
        .deserializer();
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(FEATURES));
      await().atMost(Duration.ofSeconds(120)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
    }
    assertThat(records).hasSize(expected);
    final Map<String, FeatureVector> newest = new LinkedHashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      final FeatureVector v = vectors.deserialize(FEATURES, r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(v.getEntityId());
      newest.merge(v.getEntityId(), v, (old, now) -> now.getEventTime().isAfter(old.getEventTime()) ? now : old);
    }
    return newest;
  }

  private static void assertMatches(final JsonNode body, final FeatureVector expected, final FeatureSet set,
      final boolean current) {
    assertThat(body.get("entityId").asText()).isEqualTo(expected.getEntityId());
    assertThat(body.get("eventTime").asText()).isEqualTo(expected.getEventTime().toString());
    assertThat(body.get("featureSetHash").asText()).isEqualTo(set.hash());
    final JsonNode features = body.get("features");
    assertThat(features).hasSize(expected.getFeatures().size());
    for (int i = 0; i < features.size(); i++) {
      final FeatureValue want = expected.getFeatures().get(i);
      final JsonNode got = features.get(i);
      assertThat(got.get("name").asText()).isEqualTo(want.getName());
      if (want.getValue() == null) {
        assertThat(got.get("value").isNull()).as(want.getName()).isTrue();
      } else {
        assertThat(got.get("value").asDouble()).as(want.getName()).isEqualTo(want.getValue());
      }
      assertThat(got.get("asOf").isNull() ? null : Instant.parse(got.get("asOf").asText())).as(want.getName())
          .isEqualTo(want.getAsOf());
    }
    if (!current) {
      // As of the event's own time nothing is stale.
      assertThat(body.get("stale").asBoolean()).isFalse();
      return;
    }
    // Two hours after the card's events: the 10-minute velocity is past its SLA, the 30-day last amount is not.
    assertThat(feature(features, "txn_count_10m").get("stale").asBoolean()).isTrue();
    assertThat(feature(features, "txn_count_10m").get("ageMs").asLong())
        .isGreaterThan(Duration.ofMinutes(10).toMillis());
    assertThat(feature(features, "amount_last").get("stale").asBoolean()).isFalse();
    assertThat(body.get("stale").asBoolean()).isTrue();
  }

  private static JsonNode feature(final JsonNode features, final String name) {
    for (final JsonNode f : features) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + features);
  }
}
