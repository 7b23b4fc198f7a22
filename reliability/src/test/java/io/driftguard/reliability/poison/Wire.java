package io.driftguard.reliability.poison;

import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A producer of raw bytes, as a careless or hostile producer would be, plus the registry-aware serializers a good
 * producer uses. Every send waits for the broker's ack and returns where the record landed.
 */
public final class Wire implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final SchemaRegistryClient registry;
  private final Serializer<Transaction> transactions;
  private final Serializer<Label> labels;
  private final Serializer<ModelCommand> commands;

  private Wire(final Map<String, Object> props, final SchemaRegistryClient registry) {
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.registry = registry;
    this.transactions = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    this.labels = AvroSerdes.specific(Label.class, registry, false).serializer();
    this.commands = AvroSerdes.specific(ModelCommand.class, registry, false).serializer();
  }

  /** Idempotent producer on the stack's plain listener; requests up to 32 MB for the huge-record cases. */
  public static Wire plain(final KafkaStackInfo stack) {
    return of(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), stack.registryClient());
  }

  public static Wire of(final Map<String, Object> clientProps, final SchemaRegistryClient registry) {
    final Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 96L * 1024 * 1024);
    return new Wire(props, registry);
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public byte[] transaction(final String topic, final Transaction t) {
    return transactions.serialize(topic, t);
  }

  public byte[] label(final String topic, final Label l) {
    return labels.serialize(topic, l);
  }

  public byte[] modelCommand(final String topic, final ModelCommand c) {
    return commands.serialize(topic, c);
  }

  /** Sends and waits; a null {@code timestamp} lets the producer stamp the record. */
  public RecordMetadata send(final String topic, final String key, final byte[] value, final Long timestamp) {
    try {
      return producer.send(new ProducerRecord<>(topic, null, timestamp,
          key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot send to " + topic + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
    labels.close();
    transactions.close();
    commands.close();
  }
}
