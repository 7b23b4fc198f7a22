package io.driftguard.reliability.support;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureReplay;
import io.driftguard.features.FeatureSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** read_committed audits of the output topics against what was offered. */
public final class Audit {
  private Audit() {
  }

  /**
   * Reads {@code topic} from the start, read_committed, until {@code expected} records are in, then keeps reading for
   * {@code quiet} more so that a duplicate behind them shows up too.
   */
  public static <V> List<V> readCommitted(final String bootstrapServers, final String topic,
      final Deserializer<V> values, final long expected, final Duration timeout, final Duration quiet) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-" + topic + "-" + UUID.randomUUID());
    final List<V> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      Awaitility.await("%d records on %s".formatted(expected, topic)).atMost(timeout)
          .pollInterval(Duration.ofMillis(10)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(r.value()));
            return records.size() >= expected;
          });
      final long end = System.nanoTime() + quiet.toNanos();
      while (System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(r.value()));
      }
    }
    return records;
  }

  /** How the predictions compare with the valid event ids: each list empty means exactly once. */
  public record PredictionCheck(int predictions, List<String> missing, List<String> duplicated,
      List<String> unexpected) {
    public boolean exactlyOnce() {
      return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    }

    @Override
    public String toString() {
      return "%d predictions; missing %d %s; duplicated %d %s; unexpected %d %s".formatted(predictions,
          missing.size(), head(missing), duplicated.size(), head(duplicated), unexpected.size(), head(unexpected));
    }
  }

  public static PredictionCheck checkPredictions(final List<Prediction> predictions, final Set<String> validIds) {
    return checkIds(predictions.stream().map(Prediction::getEventId).toList(), validIds);
  }

  /** Compares a list of ids (one per output record) with the set that must appear exactly once each. */
  public static PredictionCheck checkIds(final List<String> ids, final Set<String> expectedIds) {
    final Set<String> seen = new HashSet<>();
    final Set<String> duplicated = new LinkedHashSet<>();
    final List<String> unexpected = new ArrayList<>();
    for (final String id : ids) {
      if (!seen.add(id)) {
        duplicated.add(id);
      } else if (!expectedIds.contains(id)) {
        unexpected.add(id);
      }
    }
    final List<String> missing = expectedIds.stream().filter(id -> !seen.contains(id)).sorted().toList();
    return new PredictionCheck(ids.size(), missing, List.copyOf(duplicated), unexpected);
  }

  /** Valid event ids of events {@code [0, count)}. */
  public static Set<String> validIds(final Transactions events, final long count) {
    final Set<String> ids = new HashSet<>();
    LongStream.range(0, count).filter(events::isValid).forEach(i -> ids.add(events.eventId(i)));
    return ids;
  }

  /**
   * Compares the live feature vectors (one per event id) with an offline replay of the same events in the same
   * per-partition order through {@link FeatureReplay}. {@code computedAt} is wall-clock and left out; everything
   * else (entity, event time, feature-set hash, every value and as-of time) must be equal.
   *
   * @return one line per difference, empty when the live run equals the replay
   */
  public static List<String> compareWithReplay(final List<FeatureVector> live, final Transactions events,
      final long count, final int partitions) {
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());
    final List<Transaction> input = LongStream.range(0, count).mapToObj(events::event).toList();
    final FeatureReplay.Result replay = FeatureReplay.builder(set).partitions(partitions).build().run(input);
    final Map<String, FeatureVector> expected = byEventId(replay.vectors(), v -> v.getEventId());
    final List<String> differences = new ArrayList<>();
    final Map<String, FeatureVector> actual = new HashMap<>();
    for (final FeatureVector v : live) {
      if (v.getEventId() == null) {
        continue;
      }
      if (actual.put(v.getEventId(), v) != null) {
        differences.add("duplicate vector for " + v.getEventId());
      }
    }
    for (final Map.Entry<String, FeatureVector> e : expected.entrySet()) {
      final FeatureVector a = actual.get(e.getKey());
      final FeatureVector x = e.getValue();
      if (a == null) {
        differences.add("no live vector for " + e.getKey());
      } else if (!a.getEntityId().equals(x.getEntityId()) || !a.getEventTime().equals(x.getEventTime())
          || !a.getFeatureSetHash().equals(x.getFeatureSetHash()) || !values(a).equals(values(x))) {
        differences.add(e.getKey() + ": live " + values(a) + " != replay " + values(x));
      }
    }
    actual.keySet().stream().filter(id -> !expected.containsKey(id))
        .forEach(id -> differences.add("live vector for " + id + " that the replay refused"));
    return differences;
  }

  /** One feature's value as compared: Avro's own array equality cannot compare the timestamp logical type. */
  private record Value(String name, Double value, Instant asOf) {
  }

  private static List<Value> values(final FeatureVector v) {
    return v.getFeatures().stream().map(f -> new Value(f.getName(), f.getValue(), f.getAsOf())).toList();
  }

  private static <T> Map<String, T> byEventId(final List<T> values, final Function<T, String> id) {
    final Map<String, T> map = new HashMap<>();
    values.forEach(v -> map.put(id.apply(v), v));
    return map;
  }

  private static String head(final List<String> ids) {
    return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + "...";
  }
}
