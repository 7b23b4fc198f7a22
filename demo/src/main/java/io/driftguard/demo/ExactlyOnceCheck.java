package io.driftguard.demo;

import io.driftguard.avro.Arm;
import io.driftguard.avro.Prediction;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The exactly-once check of a run: reads {@code predictions} from the beginning with a fresh read_committed consumer
 * and counts champion-or-canary predictions per event id. It passes when every valid event (published, not
 * dead-lettered) has exactly one, and no prediction names an event the demo did not publish. Under exactly-once v2 the
 * end offsets include transaction markers, so records are counted by reading them, up to the end offsets taken when
 * the check starts.
 */
final class ExactlyOnceCheck {

  /**
   * @param validEvents events published and not dead-lettered
   * @param exactlyOne valid events with exactly one champion/canary prediction
   * @param missing valid events with none
   * @param duplicated valid events with more than one
   * @param unknown champion/canary predictions for event ids the demo never published
   * @param deadLettered published events that went to dead-letters instead
   * @param predictionsRead champion/canary records read
   * @param examples up to 5 offending event ids per kind
   */
  record Result(long validEvents, long exactlyOne, long missing, long duplicated, long unknown, long deadLettered,
      long predictionsRead, Map<String, List<String>> examples) {
    boolean passed() {
      return validEvents > 0 && missing == 0 && duplicated == 0 && unknown == 0;
    }

    Map<String, Object> toJson() {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", passed());
      m.put("rule", "every valid event (published, not dead-lettered) has exactly one CHAMPION or CANARY prediction "
          + "in 'predictions', read read_committed from the beginning");
      m.put("validEvents", validEvents);
      m.put("exactlyOne", exactlyOne);
      m.put("missing", missing);
      m.put("duplicated", duplicated);
      m.put("unknownEventIds", unknown);
      m.put("deadLettered", deadLettered);
      m.put("predictionsRead", predictionsRead);
      m.put("examples", examples);
      return m;
    }
  }

  private ExactlyOnceCheck() {
  }

  static Result run(final String bootstrapServers, final SchemaRegistryClient registry, final String topic,
      final Set<String> published, final Set<String> deadLettered, final Duration timeout) {
    final Deserializer<Prediction> predictions = AvroSerdes.specific(Prediction.class, registry, false)
        .deserializer();
    final Map<String, Integer> counts = new HashMap<>();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        RunMonitor.consumerProps(bootstrapServers, "driftguard-demo-eos-check"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("exactly-once check: could not read '" + topic + "' up to " + end
              + " within " + timeout);
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() == null) {
            continue;
          }
          final Prediction p = predictions.deserialize(topic, r.value());
          if (p.getArm() == Arm.CHAMPION || p.getArm() == Arm.CANARY) {
            counts.merge(p.getEventId(), 1, Integer::sum);
            read++;
          }
        }
      }
    }
    return tally(published, deadLettered, counts, read);
  }

  /** Pure tally, unit-tested. */
  static Result tally(final Set<String> published, final Set<String> deadLettered, final Map<String, Integer> counts,
      final long read) {
    long valid = 0;
    long one = 0;
    long missing = 0;
    long dup = 0;
    long dead = 0;
    final Map<String, List<String>> examples = new LinkedHashMap<>();
    for (final String id : published) {
      if (deadLettered.contains(id)) {
        dead++;
        continue;
      }
      valid++;
      final int n = counts.getOrDefault(id, 0);
      if (n == 1) {
        one++;
      } else if (n == 0) {
        missing++;
        example(examples, "missing", id);
      } else {
        dup++;
        example(examples, "duplicated", id);
      }
    }
    long unknown = 0;
    for (final String id : counts.keySet()) {
      if (!published.contains(id)) {
        unknown++;
        example(examples, "unknown", id);
      }
    }
    return new Result(valid, one, missing, dup, unknown, dead, read, examples);
  }

  private static void example(final Map<String, List<String>> examples, final String kind, final String id) {
    final List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    if (list.size() < 5) {
      list.add(id);
    }
  }

  private static boolean reached(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> end) {
    for (final Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
