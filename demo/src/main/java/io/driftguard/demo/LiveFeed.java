package io.driftguard.demo;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Transaction;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The event producer of the demo: publishes generator records (Transactions to {@code events}, Labels to
 * {@code labels}) with their own timestamps, paced on the scenario clock, and the demo operator's rollout commands
 * to {@code model-control}. Registry-checked Confluent wire format through the project's serdes.
 */
final class LiveFeed implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final TopicSettings topics;
  private final Serializer<Transaction> transactions;
  private final Serializer<Label> labels;
  private final Serializer<ModelCommand> commands;
  private final RunStats stats;
  private final java.util.concurrent.atomic.AtomicLong sendFailures = new java.util.concurrent.atomic.AtomicLong();

  LiveFeed(final String bootstrapServers, final SchemaRegistryClient registry, final TopicSettings topics,
      final RunStats stats) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "driftguard-demo-feed");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.topics = topics;
    this.transactions = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    this.labels = AvroSerdes.specific(Label.class, registry, false).serializer();
    this.commands = AvroSerdes.specific(ModelCommand.class, registry, false).serializer();
    this.stats = stats;
  }

  /** Publishes one generator record now, stamped with its own timestamp. */
  void publish(final TimedRecord record, final boolean live) {
    final long ts = record.timestamp().toEpochMilli();
    if (record.value() instanceof Transaction t) {
      producer.send(new ProducerRecord<>(topics.events(), null, ts, record.key(),
          transactions.serialize(topics.events(), t)), failOnError(topics.events()));
      final boolean cardNotPresent = t.getChannel() == Channel.ONLINE || t.getChannel() == Channel.MOBILE;
      stats.eventPublished(t.getEventId(), ts, live, cardNotPresent, cardNotPresent && t.getDeviceId() == null,
          String.valueOf(t.getChannel()), String.valueOf(t.getCountry()));
    } else if (record.value() instanceof Label l) {
      producer.send(new ProducerRecord<>(topics.labels(), null, ts, record.key(),
          labels.serialize(topics.labels(), l)), failOnError(topics.labels()));
      stats.labelPublished(l.getEventId(), l.getLabel());
    }
  }

  void command(final ModelCommand command) {
    producer.send(new ProducerRecord<>(topics.modelControl(), command.getModelName(),
        commands.serialize(topics.modelControl(), command)), failOnError(topics.modelControl()));
    producer.flush();
  }

  void flush() {
    producer.flush();
  }

  /**
   * Waits until {@code wallOffsetMs} after {@code liveStartNanos}, or until {@code stop} opens.
   *
   * @return false when stopped
   */
  static boolean waitUntil(final long liveStartNanos, final long wallOffsetMs, final CountDownLatch stop)
      throws InterruptedException {
    final long remainingNanos = liveStartNanos + TimeUnit.MILLISECONDS.toNanos(wallOffsetMs) - System.nanoTime();
    if (remainingNanos > TimeUnit.MILLISECONDS.toNanos(2)) {
      return !stop.await(remainingNanos, TimeUnit.NANOSECONDS);
    }
    return stop.getCount() > 0;
  }

  private org.apache.kafka.clients.producer.Callback failOnError(final String topic) {
    return (metadata, exception) -> {
      if (exception != null) {
        sendFailures.incrementAndGet();
        org.slf4j.LoggerFactory.getLogger(LiveFeed.class).error("publishing to {} failed: {}", topic,
            exception.toString());
      }
    };
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** Sends the broker refused (each also logged); a failed event is missing from the exactly-once check. */
  long sendFailures() {
    return sendFailures.get();
  }
}
