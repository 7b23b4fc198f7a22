package io.driftguard.reliability.support;

import io.driftguard.avro.Transaction;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers events {@code [from, to)} of a {@link Transactions} series at a fixed rate on a background thread, through an
 * idempotent producer whose delivery timeout outlasts a broker outage (the producer buffers and retries; idempotence
 * keeps retries from duplicating). Records the send time of every event for end-to-end latency.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  private final Transactions events;
  private final String topic;
  private final long from;
  private final long to;
  private final double ratePerSecond;
  private final KafkaProducer<String, Transaction> producer;
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Map<String, Long> sendNanos = new ConcurrentHashMap<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopped;

  public LoadGenerator(final String bootstrapServers, final SchemaRegistryClient registry, final String topic,
      final Transactions events, final long from, final long to, final double ratePerSecond) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("need 0 <= from <= to, got [" + from + ", " + to + ")");
    }
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("ratePerSecond must be > 0, was " + ratePerSecond);
    }
    this.events = events;
    this.topic = topic;
    this.from = from;
    this.to = to;
    this.ratePerSecond = ratePerSecond;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis(),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(2).toMillis()),
        new StringSerializer(), AvroSerdes.specific(Transaction.class, registry, false).serializer());
    this.thread = new Thread(this::run, "load-" + topic);
    this.thread.setDaemon(true);
  }

  public LoadGenerator start() {
    thread.start();
    return this;
  }

  private void run() {
    final long startNanos = System.nanoTime();
    try {
      for (long i = from; i < to && !stopped; i++) {
        // Pacing an offered load, not waiting for a result: park until event i is due.
        final long due = startNanos + (long) ((i - from) * 1e9 / ratePerSecond);
        long wait;
        while ((wait = due - System.nanoTime()) > 0 && !stopped) {
          LockSupport.parkNanos(wait);
        }
        final Transaction t = events.event(i);
        sendNanos.put(t.getEventId(), System.nanoTime());
        producer.send(new ProducerRecord<>(topic, null, t.getEventTime().toEpochMilli(), t.getCardId(), t),
            (metadata, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
            });
        sent.incrementAndGet();
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
      LOG.error("load on {} failed after {} events", topic, sent.get(), e);
    } finally {
      done.countDown();
    }
  }

  /** Waits until every event is sent and acknowledged; throws the first send failure. */
  public void awaitDone(final Duration timeout) throws InterruptedException {
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("load on " + topic + " not done within " + timeout + ": sent " + sent.get()
          + " of " + (to - from));
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a send to " + topic + " failed", failure.get());
    }
    if (acked.get() != to - from) {
      throw new IllegalStateException("only " + acked.get() + " of " + (to - from) + " events to " + topic
          + " were acknowledged");
    }
  }

  /**
   * Stops offering (the event being sent is the last), waits for every sent event to be acknowledged and returns how
   * many were sent: events {@code [from, from + n)}.
   */
  public long finish(final Duration timeout) throws InterruptedException {
    stopped = true;
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("load on " + topic + " did not stop within " + timeout);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a send to " + topic + " failed", failure.get());
    }
    if (acked.get() != sent.get()) {
      throw new IllegalStateException(acked.get() + " of " + sent.get() + " events to " + topic + " acknowledged");
    }
    return sent.get();
  }

  public boolean isDone() {
    return done.getCount() == 0;
  }

  public long sent() {
    return sent.get();
  }

  public long acked() {
    return acked.get();
  }

  /** Send time (System.nanoTime) of an event, removed on read; null when unknown. */
  public Long takeSendNanos(final String eventId) {
    return sendNanos.remove(eventId);
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(30));
  }
}
