package io.driftguard.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a stage's output topic from the beginning with read_committed and counts records. Counting by reading is the
 * only honest count under exactly-once: end offsets also count transaction markers, and aborted records are skipped.
 */
final class OutputCounter implements AutoCloseable {
  /** After the expected count is reached, keep reading this long to catch duplicates. */
  private static final Duration DRAIN = Duration.ofSeconds(1);

  private final KafkaConsumer<byte[], byte[]> consumer;

  /** Assigns every partition of {@code topic} and seeks to the start; call before the stage starts. */
  OutputCounter(final String bootstrapServers, final String topic, final int partitions) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    final List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    // Resolve the start positions now, so the first measured poll does no offset lookups.
    tps.forEach(consumer::position);
  }

  /**
   * Polls until {@code expected} records were read, then drains briefly.
   *
   * @param startNanos {@link System#nanoTime()} when the stage was started
   * @param healthCheck called between polls; throws to abort the wait when the stage has failed
   * @throws IllegalStateException naming the count reached when the deadline passes first
   */
  Count await(final long expected, final long startNanos, final Duration timeout, final Runnable healthCheck) {
    final long deadline = startNanos + timeout.toNanos();
    long count = 0;
    long firstNanos = -1;
    long firstBatch = 0;
    while (count < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("read " + count + " of " + expected + " expected output records within "
            + timeout.toSeconds() + " s");
      }
      healthCheck.run();
      final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
      if (!records.isEmpty() && firstNanos < 0) {
        firstNanos = System.nanoTime();
        firstBatch = records.count();
      }
      count += records.count();
    }
    final long doneNanos = System.nanoTime();
    final long drainUntil = doneNanos + DRAIN.toNanos();
    long extra = count - expected;
    while (System.nanoTime() < drainUntil) {
      extra += consumer.poll(Duration.ofMillis(100)).count();
    }
    return new Count(expected, extra, doneNanos - startNanos, firstNanos - startNanos,
        doneNanos - firstNanos, expected - firstBatch);
  }

  @Override
  public void close() {
    consumer.close();
  }

  /**
   * @param records records expected and read
   * @param extra records read beyond the expected count (duplicates), 0 when exact
   * @param totalNanos stage start to last expected record read
   * @param firstNanos stage start to first record read (start-up, group join, first commit)
   * @param steadyNanos first record read to last expected record read
   * @param steadyRecords records read after the first poll that returned any
   */
  record Count(long records, long extra, long totalNanos, long firstNanos, long steadyNanos, long steadyRecords) {
    double totalPerSecond() {
      return records * 1e9 / totalNanos;
    }

    double steadyPerSecond() {
      return steadyNanos <= 0 ? Double.NaN : steadyRecords * 1e9 / steadyNanos;
    }
  }
}
