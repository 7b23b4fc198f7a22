package io.driftguard.reliability.poison;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison pills and hostile input against the three real apps on the embedded broker: every bad record on
 * {@code events}, {@code labels} and {@code model-control} ends in {@code dead-letters} with a specific reason (or,
 * for commands, is refused with a FIRING audit alert), the apps keep running, the healthy records around them are
 * all processed, and for each app reading {@code events}: records in = outputs + dead letters.
 */
@ExtendWith(KafkaStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoisonPillTest {
  private static final Logger LOG = LoggerFactory.getLogger(PoisonPillTest.class);
  private static final String PREFIX = "poison-";
  private static final Duration BOUND = Duration.ofMinutes(2);
  /** events and dead-letters accept 16 MB records; the other topics keep the broker default (about 1 MB). */
  private static final int HUGE_TOPIC_BYTES = 16 * 1024 * 1024;

  static KafkaStackInfo stack;
  @TempDir
  static Path dir;
  private static Pipeline pipeline;
  private static Wire wire;

  /** One hostile input: what is sent and the dead-letter reason each app must give it (null: app accepts it). */
  record Poison(String name, String key, byte[] value, Long timestamp, String featuresReason,
      String scoringReason) {
  }

  /** Where a poison landed. */
  record Sent(Poison poison, RecordMetadata at) {
  }

  @BeforeAll
  static void startApps() throws Exception {
    // To accept 10 MB events, the apps' producers must send records that large (dead letters carry the original
    // bytes) and their internal topics must store them: scoring-stream parks every event in a changelogged store
    // while it waits for features. Without topic.max.message.bytes a 10 MB event stops scoring-stream (ERROR on
    // RecordTooLargeException from its parked-events changelog): see docs/reliability.md.
    pipeline = Pipeline.start(stack, dir, PREFIX, Map.of(
        "KAFKA_PRODUCER_MAX_REQUEST_SIZE", Integer.toString(32 * 1024 * 1024),
        "KAFKA_TOPIC_MAX_MESSAGE_BYTES", Integer.toString(HUGE_TOPIC_BYTES)), true);
    try (org.apache.kafka.clients.admin.Admin admin = stack.admin()) {
      final org.apache.kafka.clients.admin.AlterConfigOp bigger = new org.apache.kafka.clients.admin.AlterConfigOp(
          new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", Integer.toString(HUGE_TOPIC_BYTES)),
          org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
      final Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<
          org.apache.kafka.clients.admin.AlterConfigOp>> ops = new HashMap<>();
      for (final String t : List.of(pipeline.topics().events(), pipeline.topics().deadLetters())) {
        ops.put(new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t), List.of(bigger));
      }
      admin.incrementalAlterConfigs(ops).all().get();
    }
    wire = Wire.plain(stack);
  }

  @AfterAll
  static void stopApps() {
    if (wire != null) {
      wire.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String events() {
    return pipeline.topics().events();
  }

  private static List<Poison> eventPoisons(final Instant now) throws Exception {
    final String topic = events();
    final byte[] good = wire.transaction(topic, Pipeline.txn("template", "p-card", now, 10));
    final int transactionId = ByteBuffer.wrap(good, 1, 4).getInt();
    final List<Poison> list = new ArrayList<>();
    final byte[] random = new byte[64];
    new SplittableRandom(9).nextBytes(random);
    random[0] = 0x42;
    list.add(new Poison("random bytes", "p-card", random, null, "WRONG_MAGIC_BYTE", "WRONG_MAGIC_BYTE"));
    final byte[] garbageBody = new byte[40];
    new SplittableRandom(10).nextBytes(garbageBody);
    garbageBody[0] = 0;
    ByteBuffer.wrap(garbageBody).putInt(1, transactionId);
    // A string length far beyond the bytes present, right after a valid header.
    garbageBody[5] = (byte) 0xfe;
    garbageBody[6] = (byte) 0xff;
    garbageBody[7] = (byte) 0xff;
    garbageBody[8] = (byte) 0x7f;
    // feature-stream decodes in its processor and calls every decode failure MALFORMED_BYTES (see the report);
    // scoring-stream classifies through the platform's DeserializationFailures.
    list.add(new Poison("random bytes behind a valid header", "p-card", garbageBody, null, "MALFORMED_BYTES",
        "TRUNCATED"));
    list.add(new Poison("empty value", "p-card", new byte[0], null, "EMPTY_VALUE", "EMPTY_VALUE"));
    final byte[] wrongMagic = good.clone();
    wrongMagic[0] = 1;
    list.add(new Poison("wrong magic byte", "p-card", wrongMagic, null, "WRONG_MAGIC_BYTE", "WRONG_MAGIC_BYTE"));
    final byte[] unknownId = good.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 987_654);
    list.add(new Poison("unknown schema id", "p-card", unknownId, null, "UNKNOWN_SCHEMA_ID",
        "UNKNOWN_SCHEMA_ID"));
    // An incompatible Transaction registered under another subject (the registry refuses it under events-value).
    final Schema incompatible = SchemaBuilder.record("Transaction").namespace("io.driftguard.avro").fields()
        .requiredInt("eventId").requiredString("amount").endRecord();
    final int incompatibleId = wire.registry().register(PREFIX + "rogue-value", incompatible);
    final GenericRecord bad = new GenericData.Record(incompatible);
    bad.put("eventId", 7);
    bad.put("amount", "lots");
    list.add(new Poison("incompatible schema", "p-card", Pipeline.frame(incompatibleId, incompatible, bad), null,
        "MALFORMED_BYTES", "SCHEMA_RESOLUTION"));
    final Label label = Label.newBuilder().setEventId("e").setEntityId("p-card").setLabel(1).setLabelTime(now)
        .build();
    list.add(new Poison("record of another subject (Label)", "p-card",
        wire.label(pipeline.topics().labels(), label), null, "MALFORMED_BYTES", "SCHEMA_RESOLUTION"));
    final Schema nested = nestedSchema(60);
    final int nestedId = wire.registry().register(PREFIX + "nested-value", nested);
    list.add(new Poison("60-level nested record", "p-card", Pipeline.frame(nestedId, nested, nestedRecord(nested)),
        null, "MALFORMED_BYTES", "SCHEMA_RESOLUTION"));
    list.add(new Poison("amount NaN", "p-card", wire.transaction(topic, Pipeline.txn("p-nan", "p-card", now,
        Double.NaN)), now.toEpochMilli(), "NON_FINITE", "NON_FINITE"));
    list.add(new Poison("amount +Inf", "p-card", wire.transaction(topic, Pipeline.txn("p-pinf", "p-card", now,
        Double.POSITIVE_INFINITY)), now.toEpochMilli(), "NON_FINITE", "NON_FINITE"));
    list.add(new Poison("amount -Inf", "p-card", wire.transaction(topic, Pipeline.txn("p-ninf", "p-card", now,
        Double.NEGATIVE_INFINITY)), now.toEpochMilli(), "NON_FINITE", "NON_FINITE"));
    // Ancient event times are LATE for the windows; the scorer has no lower bound and scores them (without a
    // vector): a prediction, so still counted (see the report).
    list.add(new Poison("event time 0", "p-card-0", wire.transaction(topic, Pipeline.txn("p-t0", "p-card-0",
        Instant.EPOCH, 10)), 0L, "LATE", null));
    list.add(new Poison("event time negative", "p-card-neg", wire.transaction(topic, Pipeline.txn("p-tneg",
        "p-card-neg", Instant.ofEpochMilli(-86_400_000L), 10)), now.toEpochMilli(), "LATE", null));
    final Instant future = now.plus(Duration.ofDays(3653));
    list.add(new Poison("event time 10 years ahead", "p-card-future", wire.transaction(topic,
        Pipeline.txn("p-future", "p-card-future", future, 10)), null, "FUTURE_TIMESTAMP",
        "FUTURE_TIMESTAMP"));
    list.add(new Poison("null key", null, wire.transaction(topic, Pipeline.txn("p-nokey", "p-card", now, 10)),
        now.toEpochMilli(), "KEY_MISMATCH", "NULL_KEY"));
    list.add(new Poison("key is not the entity id", "someone-else", wire.transaction(topic,
        Pipeline.txn("p-wrongkey", "p-card", now, 10)), now.toEpochMilli(), "KEY_MISMATCH", "CONTRACT_VIOLATION"));
    list.add(new Poison("negative amount", "p-card", wire.transaction(topic, Pipeline.txn("p-negamount",
        "p-card", now, -5)), now.toEpochMilli(), "OUT_OF_RANGE", "OUT_OF_RANGE"));
    return list;
  }

  static Schema nestedSchema(final int depth) {
    Schema inner = SchemaBuilder.record("Level" + depth).fields().requiredDouble("x").endRecord();
    for (int i = depth - 1; i >= 1; i--) {
      inner = SchemaBuilder.record("Level" + i).fields().name("child").type(inner).noDefault().endRecord();
    }
    return inner;
  }

  static GenericRecord nestedRecord(final Schema schema) {
    final GenericRecord r = new GenericData.Record(schema);
    final Schema.Field child = schema.getField("child");
    if (child == null) {
      r.put("x", 1.5);
    } else {
      r.put("child", nestedRecord(child.schema()));
    }
    return r;
  }

  private static Map<String, DeadLetter> deadLettersByPosition(final String sourceTopic, final int atLeast) {
    final Deserializer<DeadLetter> dls = AvroSerdes.specific(DeadLetter.class, wire.registry(), false)
        .deserializer();
    final List<ConsumerRecord<byte[], byte[]>> raw = Pipeline.readUntil(stack.bootstrapServers(),
        pipeline.topics().deadLetters(), got -> got.stream().map(r -> dls.deserialize("x", r.value()))
            .filter(d -> d.getTopic().equals(sourceTopic)).count() >= atLeast, BOUND, Map.of());
    final Map<String, DeadLetter> byPosition = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : raw) {
      final DeadLetter d = dls.deserialize("x", r.value());
      if (d.getTopic().equals(sourceTopic)) {
        final String key = d.getApp() + "/" + d.getPartition() + "@" + d.getOffset();
        assertThat(byPosition.put(key, d)).as("second dead letter for %s", key).isNull();
      }
    }
    return byPosition;
  }

  private static void assertAllRunning() {
    pipeline.streams().forEach((app, streams) -> {
      assertThat(streams.state()).as("state of %s", app).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(streams.metadataForLocalThreads()).as("stream threads of %s", app).hasSize(1);
    });
  }

  @Test
  @Order(1)
  void shouldDeadLetterEveryPoisonEventWithItsReasonWhenHealthyEventsSurroundThem() throws Exception {
    // Given healthy events before and after a batch of hostile ones
    final Instant now = Instant.now();
    final Instant start = now.minus(Duration.ofMinutes(30));
    final List<Transaction> healthy = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      healthy.add(Pipeline.txn("h-" + i, "h-card-" + (i % 8), start.plusSeconds(20L * i), 5 + i));
    }
    final List<Poison> poisons = eventPoisons(now);

    // When they are sent: 20 healthy, every poison, 20 healthy
    final Map<String, Sent> sentAt = new LinkedHashMap<>();
    int sent = 0;
    for (final Transaction t : healthy.subList(0, 20)) {
      wire.send(events(), t.getCardId(), wire.transaction(events(), t), t.getEventTime().toEpochMilli());
      sent++;
    }
    for (final Poison p : poisons) {
      final RecordMetadata at = wire.send(events(), p.key(), p.value(), p.timestamp());
      sentAt.put(at.partition() + "@" + at.offset(), new Sent(p, at));
      sent++;
    }
    for (final Transaction t : healthy.subList(20, 40)) {
      wire.send(events(), t.getCardId(), wire.transaction(events(), t), t.getEventTime().toEpochMilli());
      sent++;
    }
    final int expectedFeatureDls = (int) poisons.stream().filter(p -> p.featuresReason() != null).count();
    final int expectedScoringDls = (int) poisons.stream().filter(p -> p.scoringReason() != null).count();

    // Then every healthy event has one feature vector and one prediction
    final Set<String> healthyIds = new HashSet<>();
    healthy.forEach(t -> healthyIds.add(t.getEventId()));
    final Deserializer<FeatureVector> vectors = AvroSerdes.specific(FeatureVector.class, wire.registry(), false)
        .deserializer();
    final Deserializer<Prediction> predictions = AvroSerdes.specific(Prediction.class, wire.registry(), false)
        .deserializer();
    final List<FeatureVector> featuresOut = Pipeline.readUntil(stack.bootstrapServers(),
        pipeline.topics().features(), got -> got.size() >= healthy.size(), BOUND, Map.of()).stream()
        .map(r -> vectors.deserialize("x", r.value())).toList();
    final List<Prediction> predictionsOut = Pipeline.readUntil(stack.bootstrapServers(),
        pipeline.topics().predictions(), got -> got.size() >= healthy.size(), BOUND, Map.of()).stream()
        .map(r -> predictions.deserialize("x", r.value())).toList();
    assertThat(featuresOut).extracting(FeatureVector::getEventId).containsAll(healthyIds);
    assertThat(predictionsOut).extracting(Prediction::getEventId).containsAll(healthyIds);

    // and every poison is a dead letter of each app with the reason expected of it
    final Map<String, DeadLetter> dls = deadLettersByPosition(events(), expectedFeatureDls + expectedScoringDls);
    final Map<String, String> outcome = new TreeMap<>();
    final Map<String, String> expected = new TreeMap<>();
    for (final Sent s : sentAt.values()) {
      for (final String app : List.of("features", "scoring")) {
        final DeadLetter d = dls.get(pipeline.appId(app) + "/" + s.at().partition() + "@" + s.at().offset());
        outcome.put(s.poison().name() + " / " + app, d == null ? "no dead letter" : d.getReasonCode());
        final String reason = app.equals("features") ? s.poison().featuresReason() : s.poison().scoringReason();
        expected.put(s.poison().name() + " / " + app, reason == null ? "no dead letter" : reason);
        if (d != null) {
          assertThat(d.getReason()).as("reason text of %s / %s", s.poison().name(), app).isNotBlank()
              .doesNotContain("@example.com");
          // an empty value may come back as no bytes at all
          assertThat(d.getOriginalValue() == null ? ByteBuffer.allocate(0) : d.getOriginalValue())
              .as("original bytes of %s", s.poison().name()).isEqualTo(ByteBuffer.wrap(s.poison().value()));
        }
      }
    }
    LOG.info("poison outcomes on events ({} inputs): {}", poisons.size(), outcome);
    assertThat(outcome).isEqualTo(expected);

    // and counts add up per app: in = out + dead letters, and no email reached an output
    final long featureDls = dls.values().stream().filter(d -> d.getApp().equals(pipeline.appId("features")))
        .count();
    final long scoringDls = dls.values().stream().filter(d -> d.getApp().equals(pipeline.appId("scoring")))
        .count();
    assertThat(featuresOut.size() + featureDls).as("features: in = vectors + dead letters").isEqualTo(sent);
    assertThat(predictionsOut.size() + scoringDls).as("scoring: in = predictions + dead letters").isEqualTo(sent);
    assertThat(predictionsOut).extracting(Prediction::getEventId).contains("p-t0", "p-tneg");
    assertThat(featuresOut).allSatisfy(v -> assertThat(v.toString()).doesNotContain("@example.com"));
    assertThat(predictionsOut).allSatisfy(p -> assertThat(p.toString()).doesNotContain("@example.com"));
    LOG.info("events: {} in, {} vectors + {} feature dead letters, {} predictions + {} scoring dead letters", sent,
        featuresOut.size(), featureDls, predictionsOut.size(), scoringDls);

    // and no app stopped or lost a thread
    assertAllRunning();
  }

  @Test
  @Order(2)
  void shouldRefuseAtTheBrokerWhenTheRecordTimestampIsTenYearsAhead() {
    // Given a valid event whose Kafka record timestamp is 10 years ahead
    final Instant future = Instant.now().plus(Duration.ofDays(3653));
    final byte[] value = wire.transaction(events(), Pipeline.txn("p-future-ts", "p-card", future, 10));

    // When it is sent, Then the broker refuses it (log.message.timestamp.after.max.ms): it never reaches an app
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> wire.send(events(), "p-card", value,
            future.toEpochMilli()))
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidTimestampException.class);
  }

  private static Map<String, Double> counters(final io.micrometer.core.instrument.MeterRegistry registry,
      final String name, final String tag) {
    final Map<String, Double> out = new TreeMap<>();
    registry.find(name).counters().forEach(c -> out.merge(String.valueOf(c.getId().getTag(tag)), c.count(),
        Double::sum));
    return out;
  }

  @Test
  @Order(3)
  void shouldDeadLetterEveryPoisonLabelWhenTheDriftMonitorReadsThem() throws Exception {
    // Given hostile records on labels between healthy labels for scored events
    final String topic = pipeline.topics().labels();
    final Instant now = Instant.now();
    final byte[] good = wire.label(topic, Label.newBuilder().setEventId("h-0").setEntityId("h-card-0")
        .setLabel(1).setLabelTime(now).build());
    final List<Poison> poisons = new ArrayList<>();
    final byte[] random = new byte[48];
    new SplittableRandom(11).nextBytes(random);
    random[0] = 0x13;
    poisons.add(new Poison("random bytes", "h-card-0", random, null, null, "WRONG_MAGIC_BYTE"));
    poisons.add(new Poison("empty value", "h-card-0", new byte[0], null, null, "EMPTY_VALUE"));
    final byte[] wrongMagic = good.clone();
    wrongMagic[0] = 7;
    poisons.add(new Poison("wrong magic byte", "h-card-0", wrongMagic, null, null, "WRONG_MAGIC_BYTE"));
    final byte[] unknownId = good.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 876_543);
    poisons.add(new Poison("unknown schema id", "h-card-0", unknownId, null, null, "UNKNOWN_SCHEMA_ID"));
    final Schema incompatible = SchemaBuilder.record("Label").namespace("io.driftguard.avro").fields()
        .requiredBoolean("label").endRecord();
    final int incompatibleId = wire.registry().register(PREFIX + "rogue-label-value", incompatible);
    final GenericRecord bad = new GenericData.Record(incompatible);
    bad.put("label", true);
    poisons.add(new Poison("incompatible schema", "h-card-0", Pipeline.frame(incompatibleId, incompatible, bad),
        null, null, "SCHEMA_RESOLUTION"));
    poisons.add(new Poison("record of another subject (Transaction)", "h-card-0",
        wire.transaction(events(), Pipeline.txn("x", "h-card-0", now, 1)), null, null, "SCHEMA_RESOLUTION"));
    final Schema nested = nestedSchema(60);
    final int nestedId = wire.registry().register(PREFIX + "nested-label-value", nested);
    poisons.add(new Poison("60-level nested record", "h-card-0", Pipeline.frame(nestedId, nested,
        nestedRecord(nested)), null, null, "SCHEMA_RESOLUTION"));
    final Map<String, Sent> sentAt = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      wire.send(topic, "h-card-" + i, wire.label(topic, Label.newBuilder().setEventId("h-" + i)
          .setEntityId("h-card-" + i).setLabel(i % 2).setLabelTime(now).build()), now.toEpochMilli());
    }
    for (final Poison p : poisons) {
      final RecordMetadata at = wire.send(topic, p.key(), p.value(), p.timestamp());
      sentAt.put(at.partition() + "@" + at.offset(), new Sent(p, at));
    }
    // and labels that decode but are nonsense: counted as skipped by the monitor, not dead letters
    final Map<String, Double> skippedBefore = counters(pipeline.drift().metrics().registry(),
        "driftguard.drift.records.skipped", "reason");
    wire.send(topic, "h-card-1", wire.label(topic, Label.newBuilder().setEventId("h-1").setEntityId("h-card-1")
        .setLabel(7).setLabelTime(now).build()), now.toEpochMilli());
    wire.send(topic, "h-card-2", wire.label(topic, Label.newBuilder().setEventId("never-scored")
        .setEntityId("h-card-2").setLabel(1).setLabelTime(now).build()), now.toEpochMilli());
    for (int i = 4; i < 8; i++) {
      wire.send(topic, "h-card-" + i, wire.label(topic, Label.newBuilder().setEventId("h-" + i)
          .setEntityId("h-card-" + i).setLabel(i % 2).setLabelTime(now).build()), now.toEpochMilli());
    }

    // When the drift monitor has read them
    final Map<String, DeadLetter> dls = deadLettersByPosition(topic, poisons.size());

    // Then each poison is a dead letter of drift-monitor with its reason
    final Map<String, String> outcome = new TreeMap<>();
    final Map<String, String> expected = new TreeMap<>();
    for (final Sent s : sentAt.values()) {
      final DeadLetter d = dls.get(pipeline.appId("drift") + "/" + s.at().partition() + "@" + s.at().offset());
      outcome.put(s.poison().name(), d == null ? "no dead letter" : d.getReasonCode());
      expected.put(s.poison().name(), s.poison().scoringReason());
    }
    LOG.info("poison outcomes on labels ({} inputs): {}", poisons.size(), outcome);
    assertThat(outcome).isEqualTo(expected);
    assertThat(dls).hasSize(poisons.size());

    // and the non-binary label is counted as skipped (the unknown event id waits for its prediction)
    org.awaitility.Awaitility.await().atMost(BOUND).untilAsserted(() ->
        assertThat(counters(pipeline.drift().metrics().registry(), "driftguard.drift.records.skipped", "reason")
            .getOrDefault("label-not-binary", 0.0))
            .isEqualTo(skippedBefore.getOrDefault("label-not-binary", 0.0) + 1));
    assertAllRunning();
  }

  @Test
  @Order(4)
  void shouldRefuseAndAuditEveryPoisonCommandWhenModelControlCarriesThem() throws Exception {
    // Given a registered v2 whose model file no longer matches its checksum
    pipeline.registerCorrupt(dir, "v2");
    final String topic = pipeline.topics().modelControl();
    final byte[] good = wire.modelCommand(topic, Pipeline.command(ModelAction.PROMOTE, "v1"));
    final Map<String, String> why = new LinkedHashMap<>();
    final Map<String, RecordMetadata> at = new LinkedHashMap<>();
    final byte[] random = new byte[32];
    new SplittableRandom(12).nextBytes(random);
    random[0] = 0x21;
    at.put("random bytes", wire.send(topic, Pipeline.MODEL, random, null));
    why.put("random bytes", "refused: undecodable command");
    at.put("tombstone (empty value)", wire.send(topic, Pipeline.MODEL, null, null));
    why.put("tombstone (empty value)", "refused: empty command value");
    final byte[] wrongMagic = good.clone();
    wrongMagic[0] = 9;
    at.put("wrong magic byte", wire.send(topic, Pipeline.MODEL, wrongMagic, null));
    why.put("wrong magic byte", "refused: undecodable command");
    final byte[] unknownId = good.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 765_432);
    at.put("unknown schema id", wire.send(topic, Pipeline.MODEL, unknownId, null));
    why.put("unknown schema id", "refused: undecodable command");
    at.put("record of another subject (Transaction)", wire.send(topic, Pipeline.MODEL,
        wire.transaction(events(), Pipeline.txn("x", "c", Instant.now(), 1)), null));
    why.put("record of another subject (Transaction)", "refused: undecodable command");
    at.put("PROMOTE of a nonexistent version", wire.send(topic, Pipeline.MODEL,
        wire.modelCommand(topic, Pipeline.command(ModelAction.PROMOTE, "v9")), null));
    why.put("PROMOTE of a nonexistent version", "refused: version v9 refused");
    at.put("PROMOTE of a version failing its checksum", wire.send(topic, Pipeline.MODEL,
        wire.modelCommand(topic, Pipeline.command(ModelAction.PROMOTE, "v2")), null));
    why.put("PROMOTE of a version failing its checksum", "refused: version v2 refused");
    at.put("SET_CANARY with canaryPercent 250", wire.send(topic, Pipeline.MODEL, wire.modelCommand(topic,
        io.driftguard.avro.ModelCommand.newBuilder(Pipeline.command(ModelAction.SET_CANARY, "v1"))
            .setCanaryPercent(250.0).build()), null));
    why.put("SET_CANARY with canaryPercent 250", "refused: SET_CANARY needs canaryPercent in (0, 100]");
    // A keyless PROMOTE of the broken version: no model name, so no scorer may look it up (logged, not audited).
    wire.send(topic, null, wire.modelCommand(topic, Pipeline.command(ModelAction.PROMOTE, "v2")), null);

    // When healthy events arrive afterwards on every partition
    final Instant start = Instant.now().minus(Duration.ofMinutes(10));
    final Set<String> ids = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      final Transaction t = Pipeline.txn("mc-" + i, "mc-card-" + i, start.plusSeconds(i), 12);
      wire.send(events(), t.getCardId(), wire.transaction(events(), t), t.getEventTime().toEpochMilli());
      ids.add(t.getEventId());
    }

    // Then every poison command is refused with a FIRING audit alert naming why
    final Deserializer<Alert> alerts = AvroSerdes.specific(Alert.class, wire.registry(), false).deserializer();
    final java.util.function.Function<List<ConsumerRecord<byte[], byte[]>>, Map<String, String>> refusals =
        got -> {
          final Map<String, String> byOffset = new HashMap<>();
          got.stream().map(r -> alerts.deserialize("x", r.value()))
              .filter(a -> a.getStatus() == AlertStatus.FIRING && "model-control".equals(a.getMonitor()))
              .forEach(a -> byOffset.put(a.getAttributes().get("controlOffset"), a.getMessage()));
          return byOffset;
        };
    final List<ConsumerRecord<byte[], byte[]>> alertRecords = Pipeline.readUntil(stack.bootstrapServers(),
        pipeline.topics().alerts(), got -> refusals.apply(got).keySet().containsAll(
            at.values().stream().map(m -> Long.toString(m.offset())).toList()), BOUND, Map.of());
    final Map<String, String> byOffset = refusals.apply(alertRecords);
    final Map<String, String> outcome = new TreeMap<>();
    at.forEach((name, m) -> outcome.put(name, byOffset.get(Long.toString(m.offset()))));
    LOG.info("poison outcomes on model-control ({} inputs): {}", at.size() + 1, outcome);
    at.forEach((name, m) -> assertThat(outcome.get(name)).as(name).contains(why.get(name)));
    assertThat(outcome.get("PROMOTE of a version failing its checksum")).containsIgnoringCase("checksum");
    assertThat(outcome.get("PROMOTE of a nonexistent version")).contains("v9");

    // and the broken artifact is never loaded: every later event is scored by v1 and the apps still run
    final Deserializer<Prediction> predictions = AvroSerdes.specific(Prediction.class, wire.registry(), false)
        .deserializer();
    final List<Prediction> scored = Pipeline.readUntil(stack.bootstrapServers(), pipeline.topics().predictions(),
        got -> got.stream().map(r -> predictions.deserialize("x", r.value())).filter(p -> ids.contains(
            p.getEventId())).count() >= ids.size(), BOUND, Map.of()).stream()
        .map(r -> predictions.deserialize("x", r.value())).filter(p -> ids.contains(p.getEventId())).toList();
    assertThat(scored).hasSize(ids.size()).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo("v1"));
    assertThat(pipeline.scoring().rollout().champion()).isEqualTo("v1");
    assertAllRunning();
  }

  @Test
  @Order(5)
  void shouldKeepRunningAndAccountForItWhenAnEventCarriesATenMegabyteString() throws Exception {
    // Given a healthy event, then one whose merchantId (a feature source) is a 10 MB string, then healthy ones
    final Instant start = Instant.now().minus(Duration.ofMinutes(5));
    final List<Transaction> healthy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      healthy.add(Pipeline.txn("big-h-" + i, "big-card-" + i, start.plusSeconds(i), 3));
    }
    final Transaction huge = Transaction.newBuilder(Pipeline.txn("big-poison", "big-card-0", start.plusSeconds(3),
        4)).setMerchantId("m".repeat(10 * 1024 * 1024)).build();
    final byte[] hugeBytes = wire.transaction(events(), huge);

    // When they are sent
    send(healthy.get(0));
    send(healthy.get(1));
    final RecordMetadata at = wire.send(events(), huge.getCardId(), hugeBytes, huge.getEventTime().toEpochMilli());
    for (final Transaction t : healthy.subList(2, 6)) {
      send(t);
    }

    // Then the healthy events are all scored, the huge one is scored or dead-lettered by each app, never lost
    final Deserializer<Prediction> predictions = AvroSerdes.specific(Prediction.class, wire.registry(), false)
        .deserializer();
    final Set<String> want = new HashSet<>();
    healthy.forEach(t -> want.add(t.getEventId()));
    final List<String> scored = Pipeline.readUntil(stack.bootstrapServers(), pipeline.topics().predictions(),
        got -> got.stream().map(r -> predictions.deserialize("x", r.value()).getEventId())
            .filter(want::contains).count() >= want.size(), BOUND, Map.of()).stream()
        .map(r -> predictions.deserialize("x", r.value()).getEventId()).toList();
    assertThat(scored).containsAll(want);
    final Map<String, DeadLetter> dls = deadLettersByPosition(events(), 0);
    final Map<String, String> outcome = new TreeMap<>();
    for (final String app : List.of("features", "scoring")) {
      final DeadLetter d = dls.get(pipeline.appId(app) + "/" + at.partition() + "@" + at.offset());
      outcome.put(app, d == null ? "no dead letter" : d.getReasonCode() + " (" + d.getStage() + ")");
    }
    LOG.info("10 MB merchantId at {}-{}@{}: {}; scored: {}", events(), at.partition(), at.offset(), outcome,
        scored.contains("big-poison"));
    assertThat(outcome.get("scoring").equals("no dead letter")).isEqualTo(scored.contains("big-poison"));
    assertAllRunning();
  }

  private static void send(final Transaction t) {
    wire.send(events(), t.getCardId(), wire.transaction(events(), t), t.getEventTime().toEpochMilli());
  }
}
