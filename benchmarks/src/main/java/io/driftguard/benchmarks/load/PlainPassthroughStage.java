package io.driftguard.benchmarks.load;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 1.00 baseline ({@code plain}): one thread, a read_committed consumer and an idempotent producer, copying every
 * record to the output. After each poll it flushes the producer and commits synchronously, so nothing is committed
 * before it is written (at-least-once, no transactions). Client settings are Kafka's defaults otherwise.
 *
 * <p>The {@code plain-async} variant commits asynchronously after each poll without flushing: cheaper, but an offset
 * may be committed before its output is acknowledged, so a crash can lose records. It shows how much the baseline's
 * definition moves every ratio.
 */
final class PlainPassthroughStage implements LoadStage {
  private static final Logger LOG = LoggerFactory.getLogger(PlainPassthroughStage.class);

  private final boolean flushAndCommitSync;

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running;

  private PlainPassthroughStage(final boolean flushAndCommitSync) {
    this.flushAndCommitSync = flushAndCommitSync;
  }

  /** Flush and commitSync per poll: the baseline. */
  static PlainPassthroughStage atLeastOnce() {
    return new PlainPassthroughStage(true);
  }

  /** commitAsync per poll, no flush. */
  static PlainPassthroughStage asyncCommit() {
    return new PlainPassthroughStage(false);
  }

  @Override
  public String name() {
    return flushAndCommitSync ? "plain" : "plain-async";
  }

  @Override
  public void start(final StageContext context) {
    final Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + name() + "-" + context.runId());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-" + name() + "-" + context.runId());
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer());
    final String out = outputTopic(context);
    running = true;
    thread = new Thread(() -> loop(consumer, producer, context.inputTopic(), out), "bench-plain-loop");
    thread.start();
  }

  private void loop(final KafkaConsumer<byte[], byte[]> consumer, final KafkaProducer<byte[], byte[]> producer,
      final String in, final String out) {
    try (consumer; producer) {
      consumer.subscribe(List.of(in));
      while (running) {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        for (final ConsumerRecord<byte[], byte[]> r : records) {
          producer.send(new ProducerRecord<>(out, null, r.timestamp(), r.key(), r.value()));
        }
        if (flushAndCommitSync) {
          producer.flush();
          consumer.commitSync();
        } else {
          consumer.commitAsync();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure.set(e);
      }
    } catch (RuntimeException e) {
      LOG.error("plain passthrough loop failed", e);
      failure.set(e);
    }
  }

  @Override
  public void checkHealthy() {
    if (failure.get() != null) {
      throw new IllegalStateException("plain passthrough failed: " + failure.get().getMessage(), failure.get());
    }
  }

  @Override
  public void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    checkHealthy();
  }
}
