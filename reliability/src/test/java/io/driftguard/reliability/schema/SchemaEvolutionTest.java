package io.driftguard.reliability.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.reliability.poison.Pipeline;
import io.driftguard.reliability.poison.Wire;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema evolution of {@code Transaction} under running feature-stream and scoring-stream: a backward-compatible v2
 * (one field added with a default) mid-stream is processed like v1; an incompatible v3 is refused by the registry
 * (409); a rogue producer that registers v3 under another subject and writes it to {@code events} anyway gets every
 * such record dead-lettered by both apps, and the healthy records around them are still processed.
 */
@ExtendWith(KafkaStackExtension.class)
class SchemaEvolutionTest {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolutionTest.class);
  private static final String PREFIX = "schema-";
  private static final Duration BOUND = Duration.ofMinutes(2);

  static KafkaStackInfo stack;
  @TempDir
  Path dir;

  /** Transaction plus one string field with a default. */
  private static Schema evolved(final String field) {
    final String json = Transaction.getClassSchema().toString();
    final String extra = ",{\"name\":\"" + field + "\",\"type\":\"string\",\"default\":\"none\"}]}";
    return new Schema.Parser().parse(json.substring(0, json.lastIndexOf("]}")) + extra);
  }

  /** Transaction with {@code amount} a string: neither v1 readers read its data nor it v1 data. */
  private static Schema amountAsString() {
    final String json = Transaction.getClassSchema().toString();
    final String amount = "{\"name\":\"amount\",\"type\":\"double\"";
    assertThat(json).contains(amount);
    return new Schema.Parser().parse(json.replace(amount, "{\"name\":\"amount\",\"type\":\"string\""));
  }

  private static GenericRecord asVersion(final Transaction t, final Schema schema, final String field) {
    final GenericRecord r = new GenericData.Record(schema);
    for (final Schema.Field f : Transaction.getClassSchema().getFields()) {
      final Object v = t.get(f.name());
      r.put(f.name(), v instanceof Instant i ? i.toEpochMilli()
          : v instanceof Enum<?> e ? new GenericData.EnumSymbol(schema.getField(f.name()).schema(), e.name()) : v);
    }
    if (field != null) {
      r.put(field, "gold");
    }
    if (schema.getField("amount").schema().getType() == Schema.Type.STRING) {
      r.put("amount", Double.toString(t.getAmount()));
    }
    return r;
  }

  @Test
  void shouldKeepProcessingOnV2AndDeadLetterRogueV3WhenTheProducerChangesSchemaMidStream() throws Exception {
    // Given feature-stream and scoring-stream running on v1 events
    try (Pipeline pipeline = Pipeline.start(stack, dir, PREFIX, Map.of(), false);
        Wire wire = Wire.plain(stack)) {
      final String events = pipeline.topics().events();
      final String subject = events + "-value";
      final Instant start = Instant.now().minus(Duration.ofMinutes(20));
      final List<Transaction> all = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        all.add(Pipeline.txn("ev-" + i, "ev-card-" + (i % 5), start.plusSeconds(10L * i), 10 + i));
      }
      for (final Transaction t : all.subList(0, 10)) {
        wire.send(events, t.getCardId(), wire.transaction(events, t), t.getEventTime().toEpochMilli());
      }

      // When the producer switches to v2 (a field with a default): the registry accepts it under the subject
      final Schema v2 = evolved("loyaltyTier");
      final int v2Id = wire.registry().register(subject, v2);
      assertThat(wire.registry().versions(subject)).hasSize(2);
      for (final Transaction t : all.subList(10, 20)) {
        wire.send(events, t.getCardId(), Pipeline.frame(v2Id, v2, asVersion(t, v2, "loyaltyTier")),
            t.getEventTime().toEpochMilli());
      }

      // and an incompatible v3 (amount turned into a string) is refused by the registry with 409
      final Schema v3 = amountAsString();
      final SchemaRegistryException refused = catchThrowableOfType(SchemaRegistryException.class,
          () -> wire.registry().register(subject, v3));
      assertThat(refused).as("registering v3 under %s", subject).isNotNull();
      assertThat(refused.httpStatus()).isEqualTo(409);
      assertThat(refused.isIncompatible()).isTrue();
      assertThat(wire.registry().versions(subject)).hasSize(2);

      // and a rogue producer registers v3 under another subject and writes it to events anyway, between v1 events
      final int rogueId = wire.registry().register(PREFIX + "rogue-v3-value", v3);
      final List<RecordMetadata> rogue = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        final Transaction t = Pipeline.txn("rogue-" + i, "ev-card-0", start.plusSeconds(5L * i), 5);
        final GenericRecord r = asVersion(t, v3, null);
        rogue.add(wire.send(events, t.getCardId(), Pipeline.frame(rogueId, v3, r),
            t.getEventTime().toEpochMilli()));
      }
      for (final Transaction t : all.subList(20, 30)) {
        wire.send(events, t.getCardId(), wire.transaction(events, t), t.getEventTime().toEpochMilli());
      }

      // Then every v1 and v2 event has a feature vector and a prediction
      final Set<String> ids = new HashSet<>();
      all.forEach(t -> ids.add(t.getEventId()));
      final Deserializer<FeatureVector> vectors = AvroSerdes.specific(FeatureVector.class, wire.registry(), false)
          .deserializer();
      final Deserializer<Prediction> predictions = AvroSerdes.specific(Prediction.class, wire.registry(), false)
          .deserializer();
      final List<String> vectorIds = Pipeline.readUntil(stack.bootstrapServers(), pipeline.topics().features(),
          got -> got.size() >= ids.size(), BOUND, Map.of()).stream()
          .map(r -> vectors.deserialize("x", r.value()).getEventId()).toList();
      final List<String> predictionIds = Pipeline.readUntil(stack.bootstrapServers(),
          pipeline.topics().predictions(), got -> got.size() >= ids.size(), BOUND, Map.of()).stream()
          .map(r -> predictions.deserialize("x", r.value()).getEventId()).toList();
      assertThat(vectorIds).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(predictionIds).containsExactlyInAnyOrderElementsOf(ids);

      // and each rogue v3 record is a dead letter of both apps, at its offset, naming the writer schema
      final Deserializer<DeadLetter> dls = AvroSerdes.specific(DeadLetter.class, wire.registry(), false)
          .deserializer();
      final List<DeadLetter> letters = Pipeline.readUntil(stack.bootstrapServers(),
          pipeline.topics().deadLetters(), got -> got.size() >= 2 * rogue.size(), BOUND, Map.of()).stream()
          .map(r -> dls.deserialize("x", r.value())).toList();
      final Map<String, String> byPosition = new HashMap<>();
      letters.forEach(d -> byPosition.put(d.getApp() + "/" + d.getPartition() + "@" + d.getOffset(),
          d.getReasonCode() + ": " + d.getReason()));
      LOG.info("rogue v3 dead letters: {}", byPosition);
      assertThat(letters).hasSize(2 * rogue.size());
      for (final RecordMetadata m : rogue) {
        final String at = "/" + m.partition() + "@" + m.offset();
        // feature-stream calls every decode failure MALFORMED_BYTES; scoring-stream says SCHEMA_RESOLUTION
        assertThat(byPosition.get(pipeline.appId("features") + at)).startsWith("MALFORMED_BYTES")
            .contains("schema id " + rogueId);
        assertThat(byPosition.get(pipeline.appId("scoring") + at)).startsWith("SCHEMA_RESOLUTION")
            .contains("schema id " + rogueId);
      }
      assertThat(pipeline.streams().values()).allSatisfy(s ->
          assertThat(s.state()).isEqualTo(KafkaStreams.State.RUNNING));
    }
  }
}
