package io.driftguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdeConfig;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Produces and consumes through the real embedded broker and registry shared by the test JVM. */
@ExtendWith(KafkaStackExtension.class)
class EmbeddedStackTest {
  private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");
  private static final Schema V1 = new Schema.Parser().parse("""
      {"type":"record","name":"Reading","namespace":"it","fields":[
        {"name":"sensor","type":"string"},{"name":"value","type":"double"}]}""");
  private static final Schema V2 = new Schema.Parser().parse("""
      {"type":"record","name":"Reading","namespace":"it","fields":[
        {"name":"sensor","type":"string"},{"name":"value","type":"double"},
        {"name":"unit","type":"string","default":"celsius"}]}""");
  private static final Schema V3_INCOMPATIBLE = new Schema.Parser().parse("""
      {"type":"record","name":"Reading","namespace":"it","fields":[
        {"name":"sensor","type":"string"},{"name":"value","type":"double"},
        {"name":"unit","type":"string","default":"celsius"},{"name":"site","type":"string"}]}""");

  static KafkaStackInfo stack;

  private static <V> void produce(final String topic, final String key, final V value, final Serializer<V> serializer) {
    final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(topic, null, T0.toEpochMilli(), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("produce to " + topic + " failed", e);
    }
  }

  private static <V> List<ConsumerRecord<String, V>> consumeAll(final String topic, final int expected,
      final Deserializer<V> deserializer) {
    final Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    final List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
      final TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(Set.of(partition));
      consumer.seekToBeginning(Set.of(partition));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  @Test
  void shouldConsumeEqualTransactionWhenProducedWithDriftguardSerde() {
    // Given
    stack.createTopics(1, "it-events");
    final SchemaRegistryClient registry = stack.registryClient();
    final Transaction original = Transaction.newBuilder().setEventId("e-1").setCardId("card-1").setEventTime(T0)
        .setAmount(12.5).setCurrency("EUR").setMerchantId("m-1").setMerchantCategory("travel").setCountry("FR")
        .setChannel(Channel.ONLINE).setDeviceId("d-1").setCustomerEmail("a@example.com").build();

    // When
    produce("it-events", "card-1", original,
        AvroSerdes.specific(Transaction.class, registry, false).serializer());
    final var records = consumeAll("it-events", 1,
        AvroSerdes.specific(Transaction.class, stack.registryClient(), false).deserializer());

    // Then
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo("card-1");
    assertThat(records.get(0).value()).isEqualTo(original);
    assertThat(stack.registryClient().getLatest("it-events-value").schema()).isEqualTo(Transaction.getClassSchema());
  }

  @Test
  void shouldReadV1RecordWithV2AndRefuseIncompatibleV3WhenSchemaEvolves() {
    // Given: a record written with v1
    stack.createTopics(1, "it-readings");
    final SchemaRegistryClient registry = stack.registryClient();
    final GenericRecord v1Record = new GenericData.Record(V1);
    v1Record.put("sensor", "s-1");
    v1Record.put("value", 21.5);
    produce("it-readings", "s-1", v1Record, AvroSerdes.generic(registry, false).serializer());

    // When: v2 (a field added with a default) is registered and used to read
    final int v2Id = registry.register("it-readings-value", V2);
    final var records = consumeAll("it-readings", 1,
        AvroSerdes.generic(stack.registryClient(), false, V2, AvroSerdeConfig.defaults()).deserializer());

    // Then
    assertThat(records).hasSize(1);
    final GenericRecord read = records.get(0).value();
    assertThat(read.getSchema()).isEqualTo(V2);
    assertThat(read.get("sensor").toString()).isEqualTo("s-1");
    assertThat(read.get("unit").toString()).isEqualTo("celsius");
    assertThat(registry.getLatest("it-readings-value").id()).isEqualTo(v2Id);
    assertThat(registry.isCompatible("it-readings-value", V3_INCOMPATIBLE)).isFalse();
    assertThatThrownBy(() -> registry.register("it-readings-value", V3_INCOMPATIBLE))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.isIncompatible()).isTrue();
        })
        .hasMessageContaining("HTTP 409")
        .hasMessageContaining("incompatible")
        .hasMessageContaining("site");
    assertThat(registry.versions("it-readings-value")).containsExactly(1, 2);
  }

  @Test
  void shouldAnswerConfigAndCompatibilityWhenClientAsks() {
    // Given
    final SchemaRegistryClient registry = stack.registryClient();
    registry.register("it-config-value", V1);

    // When
    registry.setCompatibility("it-config-value", "FORWARD");

    // Then: adding a required field is forward compatible (old readers ignore it) but not backward
    assertThat(registry.getCompatibility("it-config-value")).isEqualTo("FORWARD");
    assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
    assertThat(registry.isCompatible("it-config-value", V3_INCOMPATIBLE)).isTrue();
    assertThat(registry.getId("it-config-value", V1)).isEqualTo(registry.getVersion("it-config-value", 1).id());
    assertThat(registry.subjects()).contains("it-config-value");
  }
}
