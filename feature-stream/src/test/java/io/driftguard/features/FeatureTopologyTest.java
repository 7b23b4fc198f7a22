package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.asOf;
import static io.driftguard.features.Txns.txn;
import static io.driftguard.features.Txns.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.avro.Channel;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicSpecs;
import io.driftguard.schemas.registry.SchemaRegistryException;
import io.driftguard.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTopologyTest {
  private static final Instant WALL = T0.plus(Duration.ofDays(1));
  private static final String HEADER = "name: t\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\n"
      + "constraints: {amount: {min: 0}}\n";
  private static final String AGGS = HEADER + "features:\n"
      + "  - {name: cnt, aggregation: count, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: sum, source: amount, aggregation: sum, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: mean, source: amount, aggregation: mean, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: min, source: amount, aggregation: min, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: max, source: amount, aggregation: max, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: sd, source: amount, aggregation: stddev, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: last, source: amount, aggregation: last, freshnessSla: 1h}\n"
      + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n"
      + "  - {name: merchants, source: merchantId, aggregation: distinct_count, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: online, aggregation: count, filter: channel == ONLINE, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: share, aggregation: ratio, numerator: online, denominator: cnt, freshnessSla: 1h}\n"
      + "  - {name: tumbling, aggregation: count, window: {type: tumbling, size: 10m}, freshnessSla: 1h}\n"
      + "  - {name: hopping, aggregation: count, window: {type: hopping, size: 10m, advance: 5m}, freshnessSla: 1h}\n";

  @TempDir
  Path stateDir;
  private TopologyHarness harness;

  private TopologyHarness start(final String yaml) {
    harness = new TopologyHarness(FeatureSet.parse(yaml, Transaction.getClassSchema()), stateDir, WALL);
    return harness;
  }

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static Instant at(final long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void shouldNameEveryNodeAndStoreWhenBuilt() {
    // Given
    final TopologyHarness h = start(AGGS);

    // When
    final TopologyDescription description = FeatureTopology.build(h.set,
        TopicSpecs.create(
            TopicSettings.defaults(), h.registry),
        new SimpleMeterRegistry()).describe();

    // Then
    assertThat(description.toString())
        .contains(FeatureTopology.SOURCE, FeatureTopology.PROCESSOR, FeatureTopology.FEATURES_SINK,
            FeatureTopology.DEAD_LETTERS_SINK, FeatureTopology.ENTITY_STORE, FeatureTopology.STREAM_TIME_STORE)
        .doesNotContain("KSTREAM-");
  }

  @Test
  void shouldEmitOnlyTheEventItselfWhenItIsTheFirstOfItsEntity() {
    // Given
    final TopologyHarness h = start(AGGS);
    final Transaction t = txn("card-1", 42.0, at(0));

    // When
    h.pipe(t);

    // Then
    final TestRecord<String, FeatureVector> out = h.features.readRecord();
    assertThat(out.key()).isEqualTo("card-1");
    assertThat(out.getRecordTime()).isEqualTo(at(0));
    final FeatureVector v = out.value();
    assertThat(v.getEventId()).isEqualTo(t.getEventId());
    assertThat(v.getEventTime()).isEqualTo(at(0));
    assertThat(v.getFeatureSet()).isEqualTo("t");
    assertThat(v.getFeatureSetHash()).isEqualTo(h.set.hash());
    assertThat(v.getComputedAt()).isEqualTo(WALL);
    assertThat(value(v, "cnt")).isEqualTo(1.0);
    assertThat(value(v, "sum")).isEqualTo(42.0);
    assertThat(value(v, "sd")).isEqualTo(0.0);
    assertThat(value(v, "since")).isNull();
    assertThat(asOf(v, "since")).isNull();
    assertThat(value(v, "online")).isEqualTo(0.0);
    assertThat(asOf(v, "online")).isNull();
    assertThat(asOf(v, "cnt")).isEqualTo(at(0));
    assertThat(h.features.isEmpty()).isTrue();
    assertThat(h.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldComputeEveryAggregationExactlyWhenEventsAccumulate() {
    // Given
    final TopologyHarness h = start(AGGS);

    // When
    h.pipe(txn("card-1", 10.0, at(0), Channel.ONLINE, "m-1", "DE"));
    h.pipe(txn("card-1", 20.0, at(60), Channel.POS, "m-2", "DE"));
    h.pipe(txn("card-1", 60.0, at(150), Channel.POS, "m-1", "DE"));

    // Then
    final List<FeatureVector> vs = h.features.readValuesToList();
    assertThat(vs).hasSize(3);
    final FeatureVector v = vs.get(2);
    assertThat(value(v, "cnt")).isEqualTo(3.0);
    assertThat(value(v, "sum")).isEqualTo(90.0);
    assertThat(value(v, "mean")).isEqualTo(30.0);
    assertThat(value(v, "min")).isEqualTo(10.0);
    assertThat(value(v, "max")).isEqualTo(60.0);
    assertThat(value(v, "sd")).isCloseTo(Math.sqrt((400.0 + 100.0 + 900.0) / 3), within(1e-12));
    assertThat(value(v, "last")).isEqualTo(60.0);
    assertThat(asOf(v, "last")).isEqualTo(at(150));
    assertThat(value(v, "since")).isEqualTo(90.0);
    assertThat(value(v, "merchants")).isEqualTo(2.0);
    assertThat(value(v, "online")).isEqualTo(1.0);
    assertThat(asOf(v, "online")).isEqualTo(at(0));
    assertThat(value(v, "share")).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldRespectEveryWindowEdgeWhenEventsStraddleIt() {
    // Given T0 = 10:00:00 (aligned to 5m and 10m)
    final TopologyHarness h = start(AGGS);

    // When
    h.pipe(txn("card-1", 1, T0.minusMillis(1)));                                        // 09:59:59.999
    h.pipe(txn("card-1", 1, T0));                                                       // 10:00
    h.pipe(txn("card-1", 1, T0.plus(Duration.ofMinutes(10)).minusMillis(1)));            // 10:09:59.999
    h.pipe(txn("card-1", 1, T0.plus(Duration.ofMinutes(10))));                          // 10:10

    // Then
    final List<FeatureVector> vs = h.features.readValuesToList();
    // sliding (t-10m, t]: at 10:09:59.999 the event at 09:59:59.999 is exactly 10m old and out
    assertThat(vs).extracting(v -> value(v, "cnt")).containsExactly(1.0, 2.0, 2.0, 2.0);
    // tumbling [floor(t/10m)*10m, t]
    assertThat(vs).extracting(v -> value(v, "tumbling")).containsExactly(1.0, 1.0, 2.0, 1.0);
    // hopping 10m/5m: earliest hop containing t, e.g. at 10:09:59.999 it is [10:00, 10:10)
    assertThat(vs).extracting(v -> value(v, "hopping")).containsExactly(1.0, 2.0, 2.0, 2.0);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAsLateWhenBeyondGraceAndAcceptAtTheEdge() {
    // Given
    final TopologyHarness h = start(AGGS);
    final Transaction late = txn("card-1", 5.0, at(600 - 120).minusMillis(1));

    // When
    h.pipe(txn("card-1", 1.0, at(600)));
    h.pipe(txn("card-1", 2.0, at(600 - 120)));
    h.pipe(late);

    // Then
    final List<FeatureVector> vs = h.features.readValuesToList();
    assertThat(vs).hasSize(2);
    assertThat(value(vs.get(1), "cnt")).isEqualTo(1.0);
    assertThat(value(vs.get(1), "sum")).isEqualTo(2.0);
    final TestRecord<byte[], DeadLetter> dl = h.deadLetters.readRecord();
    assertThat(new String(dl.key(), StandardCharsets.UTF_8)).isEqualTo("card-1");
    assertThat(dl.value().getStage()).isEqualTo("feature");
    assertThat(dl.value().getReasonCode()).isEqualTo("LATE");
    assertThat(dl.value().getReason()).contains("older than stream time");
    assertThat(dl.value().getApp()).isEqualTo("feature-test");
    assertThat(dl.value().getTopic()).isEqualTo("events");
    assertThat(dl.value().getOffset()).isEqualTo(2L);
    assertThat(dl.value().getOriginalValue()).isEqualTo(ByteBuffer.wrap(h.bytes(late)));
    assertThat(h.deadLetterCount("feature", ReasonCode.LATE)).isEqualTo(1.0);
    assertThat(h.features.isEmpty()).isTrue();
    assertThat(h.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldComputeAsOfTheEventTimeWhenAnEventArrivesOutOfOrder() {
    // Given
    final TopologyHarness h = start(AGGS);

    // When
    h.pipe(txn("card-1", 10.0, at(300)));
    h.pipe(txn("card-1", 20.0, at(540)));
    h.pipe(txn("card-1", 5.0, at(420)));
    h.pipe(txn("card-1", 1.0, at(600)));

    // Then
    final List<TestRecord<String, FeatureVector>> out = h.features.readRecordsToList();
    final FeatureVector ooo = out.get(2).value();
    assertThat(out.get(2).getRecordTime()).isEqualTo(at(420));
    assertThat(value(ooo, "cnt")).isEqualTo(2.0);
    assertThat(value(ooo, "sum")).isEqualTo(15.0);
    assertThat(value(ooo, "last")).isEqualTo(5.0);
    assertThat(asOf(ooo, "sum")).isEqualTo(at(420));
    assertThat(value(ooo, "since")).isEqualTo(120.0);
    final FeatureVector next = out.get(3).value();
    assertThat(value(next, "cnt")).isEqualTo(4.0);
    assertThat(value(next, "sum")).isEqualTo(36.0);
    assertThat(value(next, "since")).isEqualTo(60.0);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldCountOnlyMatchingEventsWhenAFeatureHasAFilter() {
    // Given
    final TopologyHarness h = start(AGGS);

    // When
    h.pipe(txn("card-1", 1, at(0), Channel.ONLINE, "m", "DE"));
    h.pipe(txn("card-1", 1, at(10), Channel.POS, "m", "DE"));
    h.pipe(txn("card-1", 1, at(20), Channel.ONLINE, "m", "DE"));
    h.pipe(txn("card-1", 1, at(30), Channel.ATM, "m", "DE"));

    // Then
    final List<FeatureVector> vs = h.features.readValuesToList();
    assertThat(vs).extracting(v -> value(v, "online")).containsExactly(1.0, 1.0, 2.0, 2.0);
    assertThat(vs).extracting(v -> asOf(v, "online")).containsExactly(at(0), at(0), at(20), at(20));
    assertThat(value(vs.get(3), "share")).isEqualTo(0.5);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterWithTheFieldWhenTheContractIsBroken() {
    // Given
    final TopologyHarness h = start(AGGS);
    final Transaction negative = txn("card-1", -1.0, at(0));
    final Transaction nan = txn("card-1", Double.NaN, at(1));

    // When
    h.pipe(negative);
    h.pipe(nan);

    // Then
    final List<DeadLetter> dls = h.deadLetters.readValuesToList();
    assertThat(dls).extracting(DeadLetter::getReasonCode).containsExactly("OUT_OF_RANGE", "NON_FINITE");
    assertThat(dls).extracting(DeadLetter::getStage).containsOnly("validate");
    assertThat(dls.get(0).getReason()).contains("'amount'");
    assertThat(dls).extracting(DeadLetter::getReason).noneMatch(r -> r.contains("alice@example.com"));
    assertThat(h.deadLetterCount("validate", ReasonCode.OUT_OF_RANGE)).isEqualTo(1.0);
    assertThat(h.features.isEmpty()).isTrue();
    assertThat(h.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterWithTheWireFormatProblemWhenTheBytesAreNotAvro() {
    // Given
    final TopologyHarness h = start(AGGS);
    final byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    final byte[] shortHeader = {0, 0, 1};
    final byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 4};
    final byte[] good = h.bytes(txn("card-1", 1.0, at(0)));
    final byte[] badBody = java.util.Arrays.copyOf(good, 9);
    final byte[] key = "card-1".getBytes(StandardCharsets.UTF_8);

    // When
    h.rawEvents.pipeInput(key, garbage, at(0));
    h.rawEvents.pipeInput(key, shortHeader, at(0));
    h.rawEvents.pipeInput(key, unknownId, at(0));
    h.rawEvents.pipeInput(key, badBody, at(0));
    h.rawEvents.pipeInput(key, new byte[0], at(0));

    // Then
    final List<DeadLetter> dls = h.deadLetters.readValuesToList();
    assertThat(dls).extracting(DeadLetter::getReasonCode).containsExactly("WRONG_MAGIC_BYTE", "TRUNCATED",
        "UNKNOWN_SCHEMA_ID", "MALFORMED_BYTES", "EMPTY_VALUE");
    assertThat(dls).extracting(DeadLetter::getStage).containsOnly("deserialize");
    assertThat(dls.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(h.features.isEmpty()).isTrue();
    assertThat(h.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterWhenTheKeyIsNotTheEntityId() {
    // Given
    final TopologyHarness h = start(AGGS);
    final Transaction t = txn("card-1", 1.0, at(0));

    // When
    h.events.pipeInput("card-2", t, at(0));

    // Then
    final DeadLetter dl = h.deadLetters.readValue();
    assertThat(dl.getReasonCode()).isEqualTo("KEY_MISMATCH");
    assertThat(dl.getReason()).contains("'cardId'");
    assertThat(h.features.isEmpty()).isTrue();
    assertThat(h.deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldKeepStateAcrossRestartsWhenTheStoreIsPersistent() {
    // Given
    final TopologyHarness h = start(AGGS);
    h.pipe(txn("card-1", 4.0, at(0)));
    h.features.readValue();

    // When
    final KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(FeatureTopology.ENTITY_STORE);
    final EntityState state = new EntityStateCodec(h.set).decode(store.get("card-1"));

    // Then
    assertThat(state.rows()).hasSize(1);
    assertThat(state.newestEventTime()).isEqualTo(at(0).toEpochMilli());
    final KeyValueStore<Integer, Long> times = h.driver.getKeyValueStore(FeatureTopology.STREAM_TIME_STORE);
    assertThat(times.get(0)).isEqualTo(at(0).toEpochMilli());
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldDeleteIdleEntitiesWhenThePunctuatorRunsPastTheTtl() {
    // Given idle TTL = retention = 10m + 2m
    final TopologyHarness h = start(AGGS.replace("constraints:", "idleTtl: 12m\nconstraints:"));
    h.pipe(txn("card-1", 1.0, at(0)));

    // When another entity moves stream time past the TTL and the (10m) punctuation interval
    h.pipe(txn("card-2", 1.0, at(0).plus(Duration.ofMinutes(30))));

    // Then
    final KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(FeatureTopology.ENTITY_STORE);
    assertThat(store.get("card-1")).isNull();
    assertThat(store.get("card-2")).isNotNull();
    assertThat(h.meters.find(FeatureMetrics.EXPIRED).counter().count()).isEqualTo(1.0);
    assertThat(h.features.readValuesToList()).hasSize(2);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldUseDefaultsWhenTheEntityWasExpired() {
    // Given
    final TopologyHarness h = start(AGGS.replace("constraints:", "idleTtl: 12m\nconstraints:"));
    h.pipe(txn("card-1", 7.0, at(0)));

    // When
    h.pipe(txn("card-1", 1.0, at(0).plus(Duration.ofMinutes(13))));

    // Then
    final List<FeatureVector> vs = h.features.readValuesToList();
    assertThat(value(vs.get(1), "since")).isNull();
    assertThat(value(vs.get(1), "last")).isEqualTo(1.0);
    assertThat(h.features.isEmpty()).isTrue();
  }


  @Test
  void shouldRecordTheEmitLagWhenAVectorIsEmitted() {
    // Given the wall clock is one day after the event
    final TopologyHarness h = start(AGGS);

    // When
    h.pipe(txn("card-1", 1.0, at(0)));

    // Then
    final Timer lag = h.meters.find(FeatureMetrics.FRESHNESS_LAG).timer();
    assertThat(lag.count()).isEqualTo(1L);
    assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(Duration.ofDays(1).toMillis());
    assertThat(h.meters.find(FeatureMetrics.VECTORS).counter().count()).isEqualTo(1.0);
    assertThat(h.features.readValuesToList()).hasSize(1);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldCountEntitiesPerFeatureWhenTheirVectorsBreachTheSla() {
    // Given two features with SLAs 10m and 1h
    final TopologyHarness h = start(HEADER + "idleTtl: 1d\nfeatures:\n"
        + "  - {name: quick, aggregation: count, window: {type: sliding, size: 10m}, freshnessSla: 10m}\n"
        + "  - {name: slow, aggregation: count, window: {type: sliding, size: 10m}, freshnessSla: 1h}\n");
    h.pipe(txn("card-1", 1.0, WALL.minus(Duration.ofMinutes(30))));
    h.pipe(txn("card-2", 1.0, WALL.minus(Duration.ofMinutes(5))));

    // When the wall-clock punctuator runs at WALL + 30s
    h.driver.advanceWallClockTime(Duration.ofSeconds(30));

    // Then
    assertThat(breached(h, "quick")).isEqualTo(1.0);
    assertThat(breached(h, "slow")).isEqualTo(0.0);

    // When it runs again 40 minutes later
    h.driver.advanceWallClockTime(Duration.ofMinutes(40));

    // Then
    assertThat(breached(h, "quick")).isEqualTo(2.0);
    assertThat(breached(h, "slow")).isEqualTo(1.0);
    assertThat(h.features.readValuesToList()).hasSize(2);
    assertThat(h.features.isEmpty()).isTrue();
  }

  private static double breached(final TopologyHarness h, final String feature) {
    return h.meters.find(FeatureMetrics.SLA_BREACHED).tag("feature", feature).gauge().value();
  }

  @Test
  void shouldFailTheTaskInsteadOfDeadLetteringWhenTheRegistryIsDown() {
    // Given a registry that answers every lookup with a 503
    final FeatureSet set = FeatureSet.parse(AGGS, Transaction.getClassSchema());
    final Serde<GenericRecord> down =
        Serdes.serdeFrom(
            (topic, data) -> new byte[0],
            (topic, data) -> {
              throw new SerializationException("cannot fetch schema id 1",
                  new SchemaRegistryException(503, 50001, "registry unavailable"));
            });
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feature-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("down").toString());
    final TopologyHarness fixture = start(AGGS);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        FeatureTopology.build(new FeatureTopologyConfig(set, "events", "features", "dead-letters", null, null),
            down, AvroSerdes.specific(FeatureVector.class, fixture.registry, false),
            AvroSerdes.specific(DeadLetter.class, fixture.registry, false),
            new SimpleMeterRegistry()),
        props, WALL)) {
      final TestInputTopic<byte[], byte[]> in = driver.createInputTopic("events",
          new ByteArraySerializer(),
          new ByteArraySerializer());

      // When / Then
      assertThatThrownBy(() -> in.pipeInput(
              "card-1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, 2}, at(0)))
          .hasRootCauseInstanceOf(SchemaRegistryException.class);
      assertThat(driver.createOutputTopic("dead-letters",
          new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).isEmpty()).isTrue();
    }
  }

  @Test
  void shouldStartTheEntityAfreshWhenItsStoredStateCameFromAnotherFeatureSet() {
    // Given bytes in the store that this feature set did not write
    final TopologyHarness h = start(AGGS);
    final KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(FeatureTopology.ENTITY_STORE);
    store.put("card-1", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});

    // When
    h.pipe(txn("card-1", 3.0, at(0)));

    // Then
    assertThat(value(h.features.readValue(), "cnt")).isEqualTo(1.0);
    assertThat(h.meters.find(FeatureMetrics.INCOMPATIBLE).counter().count()).isEqualTo(1.0);
    assertThat(h.features.isEmpty()).isTrue();
  }
}
