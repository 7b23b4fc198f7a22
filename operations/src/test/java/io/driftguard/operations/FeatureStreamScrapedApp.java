package io.driftguard.operations;

import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;

/** feature-stream ({@link FeatureApp}) with the demo feature set: a few valid transactions and one garbage record. */
final class FeatureStreamScrapedApp implements ScrapedApp {
  private static final String EVENTS = "ops-contract-events";
  private static final String FEATURES = "ops-contract-features";
  private static final String DEAD_LETTERS = "ops-contract-dead-letters";
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final int VALID_EVENTS = 20;

  @Override
  public String name() {
    return "feature-stream";
  }

  @Override
  public Running start(final KafkaStackInfo stack, final Path workDir) {
    stack.createTopics(2, EVENTS, FEATURES, DEAD_LETTERS);
    final DriftguardConfig config = ConfigLoader.withEnv(Map.of(
        "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
        "DRIFTGUARD_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
        "DRIFTGUARD_STREAMS_STATE_DIR", workDir.resolve("feature-stream").toString(),
        "DRIFTGUARD_TOPICS_EVENTS", EVENTS,
        "DRIFTGUARD_TOPICS_FEATURES", FEATURES,
        "DRIFTGUARD_TOPICS_DEAD_LETTERS", DEAD_LETTERS)).loadYaml("""
        applicationId: ops-contract-features
        instanceId: ops-1
        streams: {commitInterval: 100ms, shutdownTimeout: 20s}
        metrics: {host: 127.0.0.1, port: 0}
        """, "MetricsContractTest").common();
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    final StreamsApp app = FeatureApp.create(config, set);
    try {
      app.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
      final Serializer<Transaction> txns =
          AvroSerdes.specific(Transaction.class, stack.registryClient(), false).serializer();
      final Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < VALID_EVENTS; i++) {
          final Transaction t = txn(i);
          producer.send(new ProducerRecord<>(EVENTS, null, t.getEventTime().toEpochMilli(),
              t.getCardId().getBytes(StandardCharsets.UTF_8), txns.serialize(EVENTS, t)));
        }
        // Not Confluent wire format: registers the dead-letter counter.
        producer.send(new ProducerRecord<>(EVENTS, "card-x".getBytes(StandardCharsets.UTF_8), new byte[] {7, 7}));
      }
      awaitCommitted(stack, FEATURES, VALID_EVENTS);
      awaitCommitted(stack, DEAD_LETTERS, 1);
      return new Running(app.server().port(), app);
    } catch (final RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private static Transaction txn(final int i) {
    return Transaction.newBuilder()
        .setEventId("ops-e-" + i)
        .setCardId("card-" + (i % 4))
        .setEventTime(T0.plusSeconds(i))
        .setAmount(10.0 + i)
        .setCurrency("EUR")
        .setMerchantId("m-" + (i % 3))
        .setMerchantCategory("grocery")
        .setCountry("DE")
        .setChannel(i % 2 == 0 ? Channel.POS : Channel.ONLINE)
        .setDeviceId(null)
        .setCustomerEmail("ops@example.com")
        .build();
  }

  private static void awaitCommitted(final KafkaStackInfo stack, final String topic, final int expected) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "ops-contract-reader-" + topic);
    final AtomicInteger seen = new AtomicInteger();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        seen.addAndGet(consumer.poll(Duration.ofMillis(200)).count());
        return seen.get() >= expected;
      });
    }
  }
}
