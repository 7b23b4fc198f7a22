package io.driftguard.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic read_committed and records, per record, the wall clock at read minus the record's timestamp:
 * the lag until an event's output is visible to a downstream read_committed consumer (it includes the commit interval
 * under exactly-once).
 */
final class LagReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  LagReader(final String bootstrapServers, final String topic, final int partitions) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    final List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    tps.forEach(consumer::position);
  }

  /**
   * Reads until {@code expected} records were seen; lags of records stamped before {@code countFromMs} are not kept.
   *
   * @throws IllegalStateException naming the count reached when {@code timeout} passes first
   */
  Lags read(final long expected, final long countFromMs, final Duration timeout, final Runnable healthCheck) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final long[] lags = new long[Math.toIntExact(expected)];
    int kept = 0;
    long seen = 0;
    while (seen < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lag phase: read " + seen + " of " + expected + " output records within "
            + timeout.toSeconds() + " s");
      }
      healthCheck.run();
      for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        final long now = System.currentTimeMillis();
        seen++;
        if (r.timestamp() >= countFromMs && kept < lags.length) {
          lags[kept++] = now - r.timestamp();
        }
      }
    }
    final long[] sorted = Arrays.copyOf(lags, kept);
    Arrays.sort(sorted);
    return new Lags(sorted);
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** Sorted lags in ms. */
  record Lags(long[] sortedMs) {
    int counted() {
      return sortedMs.length;
    }

    long percentile(final double q) {
      if (sortedMs.length == 0) {
        throw new IllegalStateException("no output record was stamped after the skipped start-up period");
      }
      return sortedMs[Math.min(sortedMs.length - 1, (int) Math.ceil(q * sortedMs.length) - 1)];
    }
  }
}
