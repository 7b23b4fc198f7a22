package io.driftguard.benchmarks.load;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Seeded, valid Avro {@link Transaction}s through the driftguard registry serde, keyed by card id, record timestamp =
 * event time (the input the feature topology expects). Values are within the demo data contract, so every event yields
 * one feature vector.
 */
final class TransactionInput implements AutoCloseable {
  private static final String[] COUNTRIES = {"DE", "FR", "NL", "ES", "IT", "PL", "AT", "BE"};
  private static final String[] CATEGORIES = {"grocery", "fuel", "travel", "electronics", "restaurants"};

  private final SchemaRegistryClient registry;
  private final Serializer<Transaction> serializer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SplittableRandom rnd;
  private final int cards;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  TransactionInput(final String bootstrapServers, final String registryUrl, final int cards, final long seed) {
    this.registry = RestSchemaRegistryClient.of(registryUrl);
    this.serializer = AvroSerdes.specific(Transaction.class, registry, false).serializer();
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.rnd = new SplittableRandom(seed);
    this.cards = cards;
  }

  /** Sends event {@code i} with event time and record timestamp {@code eventTimeMs}. */
  void send(final String topic, final long i, final long eventTimeMs) {
    if (failure.get() != null) {
      throw new IllegalStateException("producing transactions to " + topic + " failed: "
          + failure.get().getMessage(), failure.get());
    }
    final String card = String.format("card-%06d", rnd.nextInt(cards));
    final Transaction t = Transaction.newBuilder()
        .setEventId("bench-" + topic + "-" + i)
        .setCardId(card)
        .setEventTime(Instant.ofEpochMilli(eventTimeMs))
        .setAmount(Math.round(rnd.nextDouble() * 50_000) / 100.0)
        .setCurrency("EUR")
        .setMerchantId("m-" + rnd.nextInt(500))
        .setMerchantCategory(CATEGORIES[rnd.nextInt(CATEGORIES.length)])
        .setCountry(COUNTRIES[rnd.nextInt(COUNTRIES.length)])
        .setChannel(Channel.values()[rnd.nextInt(Channel.values().length)])
        .setDeviceId(null)
        .setCustomerEmail("bench@example.com")
        .build();
    producer.send(new ProducerRecord<>(topic, null, eventTimeMs, card.getBytes(StandardCharsets.UTF_8),
        serializer.serialize(topic, t)), (m, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
  }

  void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("producing transactions failed: " + failure.get().getMessage(), failure.get());
    }
  }

  /**
   * Pre-loads {@code count} events, event times increasing by 1 ms from now (in order per card, like a live stream).
   */
  void produce(final String topic, final long count, final PrintStream out) {
    final long start = System.nanoTime();
    final long t0 = System.currentTimeMillis();
    for (long i = 0; i < count; i++) {
      send(topic, i, t0 + i);
    }
    flush();
    final double seconds = (System.nanoTime() - start) / 1e9;
    out.printf("produced %,d Avro transactions to %s in %.1f s (%,.0f rec/s)%n", count, topic, seconds,
        count / seconds);
  }

  @Override
  public void close() {
    producer.close();
    registry.close();
  }
}
