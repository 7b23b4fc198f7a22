package io.driftguard.demo;

import io.driftguard.avro.Alert;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the output topics back as a downstream consumer would (read_committed, so only committed exactly-once output
 * is seen) and records what it sees in {@link RunStats}: predictions (and shadow predictions), feature vectors,
 * model-control commands, alerts and dead letters. One thread, no consumer group (assigned partitions).
 */
final class RunMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunMonitor.class);
  /** scoring-stream's reason code for an event scored before its features arrived. */
  static final String FEATURES_LATE = "FEATURES_LATE";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicSettings topics;
  private final RunStats stats;
  private final Deserializer<Prediction> predictions;
  private final Deserializer<FeatureVector> features;
  private final Deserializer<ModelCommand> commands;
  private final Deserializer<Alert> alerts;
  private final Deserializer<DeadLetter> deadLetters;
  private final Deserializer<Transaction> transactions;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  RunMonitor(final String bootstrapServers, final SchemaRegistryClient registry, final TopicSettings topics,
      final RunStats stats) {
    this.consumer = new KafkaConsumer<>(consumerProps(bootstrapServers, "driftguard-demo-monitor"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topics = topics;
    this.stats = stats;
    this.predictions = AvroSerdes.specific(Prediction.class, registry, false).deserializer();
    this.features = AvroSerdes.specific(FeatureVector.class, registry, false).deserializer();
    this.commands = AvroSerdes.specific(ModelCommand.class, registry, false).deserializer();
    this.alerts = AvroSerdes.specific(Alert.class, registry, false).deserializer();
    this.deadLetters = AvroSerdes.specific(DeadLetter.class, registry, false).deserializer();
    this.transactions = AvroSerdes.specific(Transaction.class, registry, false).deserializer();
    final List<TopicPartition> partitions = new ArrayList<>();
    for (final String topic : List.of(topics.predictions(), topics.predictionsShadow(), topics.features(),
        topics.modelControl(), topics.alerts(), topics.deadLetters())) {
      for (final PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::loop, "demo-monitor");
    this.thread.setDaemon(true);
  }

  static Properties consumerProps(final String bootstrapServers, final String clientId) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return props;
  }

  void start() {
    thread.start();
  }

  /** The error that stopped the monitor thread, or null. */
  Throwable failure() {
    return failure;
  }

  private void loop() {
    try {
      while (running) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          handle(r);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("demo monitor stopped: {}", e.toString(), e);
    }
  }

  private void handle(final ConsumerRecord<byte[], byte[]> r) {
    final String topic = r.topic();
    if (r.value() == null) {
      return;
    }
    if (topic.equals(topics.predictions()) || topic.equals(topics.predictionsShadow())) {
      final Prediction p = predictions.deserialize(topic, r.value());
      stats.predictionRead(p.getEventId(), p.getModelVersion(), p.getArm(), p.getScore(), p.getDecision(),
          p.getReasonCodes().contains(FEATURES_LATE), p.getScoringLatencyMicros());
    } else if (topic.equals(topics.features())) {
      stats.featureVectorRead(features.deserialize(topic, r.value()).getEventId());
    } else if (topic.equals(topics.modelControl())) {
      final ModelCommand c = commands.deserialize(topic, r.value());
      // When the demo read it: the policy stamps its commands with stream (event) time, not wall time.
      stats.controlRead(new RunStats.Control(stats.nowMs(), c.getAction().name(),
          c.getVersion(), c.getCanaryPercent(), c.getReason(), c.getIssuedBy()));
    } else if (topic.equals(topics.alerts())) {
      final Alert a = alerts.deserialize(topic, r.value());
      stats.alertRead(new RunStats.AlertSeen(a.getRaisedAt().toEpochMilli() - stats.startMillis(), a.getMonitor(),
          a.getSubject(), a.getStatistic(), a.getValue(), a.getThreshold(), a.getSeverity().name(),
          a.getStatus().name(), a.getMessage(), a.getWindowEnd() == null ? null : a.getWindowEnd().toEpochMilli(),
          a.getArm() == null ? null : a.getArm().toString()));
    } else if (topic.equals(topics.deadLetters())) {
      stats.deadLetterRead(eventIdOf(deadLetters.deserialize(topic, r.value())));
    }
  }

  /** The event id of a dead-lettered {@code events} record, or null when it is another topic's or undecodable. */
  private String eventIdOf(final DeadLetter d) {
    if (!topics.events().equals(d.getTopic()) || d.getOriginalValue() == null) {
      return null;
    }
    final ByteBuffer buf = d.getOriginalValue().duplicate();
    final byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    try {
      return transactions.deserialize(topics.events(), bytes).getEventId();
    } catch (RuntimeException e) {
      LOG.debug("dead letter at {}-{}@{} is not a decodable Transaction: {}", d.getTopic(), d.getPartition(),
          d.getOffset(), e.toString());
      return null;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("demo monitor thread did not stop within 10 s");
    } else {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  static String fmtMs(final double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
  }
}
