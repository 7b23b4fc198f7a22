package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.asOf;
import static io.driftguard.features.Txns.txn;
import static io.driftguard.features.Txns.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.avro.Channel;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class FeatureEngineTest {
  private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofDays(30)), ZoneOffset.UTC);
  private static final String HEADER = "name: t\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\n";
  private static final String AGGS = HEADER + "features:\n"
      + "  - {name: cnt, aggregation: count, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: sum, source: amount, aggregation: sum, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: mean, source: amount, aggregation: mean, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: min, source: amount, aggregation: min, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: max, source: amount, aggregation: max, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: sd, source: amount, aggregation: stddev, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: last, source: amount, aggregation: last, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n"
      + "  - {name: merchants, source: merchantId, aggregation: distinct_count, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: online, aggregation: count, filter: channel == ONLINE, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: big_mean, source: amount, aggregation: mean, filter: amount > 100, window: {type: sliding, size: 10m, grace: 2m}, freshnessSla: 1h, default: -1}\n"
      + "  - {name: share, aggregation: ratio, numerator: online, denominator: cnt, freshnessSla: 1h}\n";

  private static FeatureSet set(final String yaml) {
    return FeatureSet.parse(yaml, Transaction.getClassSchema());
  }

  private static FeatureReplay.Result replay(final String yaml, final GenericRecord... events) {
    return FeatureReplay.builder(set(yaml)).clock(CLOCK).build().run(List.of(events));
  }

  private static FeatureVector lastVector(final FeatureReplay.Result r) {
    return r.vectors().get(r.vectors().size() - 1);
  }

  private static String windowed(final String type, final String extra) {
    return HEADER + "features:\n  - {name: c, aggregation: count, window: {type: " + type + extra
        + "}, freshnessSla: 1h}\n";
  }

  @Test
  void shouldReflectOnlyTheEventItselfWhenItIsTheFirstOfItsEntity() {
    // When
    final FeatureReplay.Result r = replay(AGGS, txn("card-1", 42.0, T0));

    // Then
    final FeatureVector v = r.vectors().get(0);
    assertThat(r.rejects()).isEmpty();
    assertThat(v.getEntityId()).isEqualTo("card-1");
    assertThat(v.getEventTime()).isEqualTo(T0);
    assertThat(v.getFeatureSetHash()).isEqualTo(set(AGGS).hash());
    assertThat(v.getComputedAt()).isEqualTo(CLOCK.instant());
    assertThat(value(v, "cnt")).isEqualTo(1.0);
    assertThat(value(v, "sum")).isEqualTo(42.0);
    assertThat(value(v, "mean")).isEqualTo(42.0);
    assertThat(value(v, "sd")).isEqualTo(0.0);
    assertThat(value(v, "last")).isEqualTo(42.0);
    assertThat(value(v, "merchants")).isEqualTo(1.0);
    assertThat(asOf(v, "cnt")).isEqualTo(T0);
    assertThat(value(v, "since")).isNull();
    assertThat(asOf(v, "since")).isNull();
    assertThat(value(v, "online")).isEqualTo(0.0);
    assertThat(asOf(v, "online")).isNull();
    assertThat(value(v, "big_mean")).isEqualTo(-1.0);
    assertThat(asOf(v, "big_mean")).isNull();
    assertThat(value(v, "share")).isEqualTo(0.0);
    assertThat(asOf(v, "share")).isEqualTo(T0);
  }

  @Test
  void shouldComputeEveryAggregationWhenSeveralEventsAreInTheWindow() {
    // When
    final FeatureReplay.Result r = replay(AGGS,
        txn("card-1", 10.0, T0, Channel.ONLINE, "m-1", "DE"),
        txn("card-1", 20.0, T0.plusSeconds(60), Channel.POS, "m-2", "DE"),
        txn("card-1", 160.0, T0.plusSeconds(150), Channel.POS, "m-1", "DE"));

    // Then
    final FeatureVector v = lastVector(r);
    assertThat(value(v, "cnt")).isEqualTo(3.0);
    assertThat(value(v, "sum")).isEqualTo(190.0);
    assertThat(value(v, "mean")).isCloseTo(190.0 / 3, within(1e-12));
    assertThat(value(v, "min")).isEqualTo(10.0);
    assertThat(value(v, "max")).isEqualTo(160.0);
    final double m = 190.0 / 3;
    final double sd = Math.sqrt(((10 - m) * (10 - m) + (20 - m) * (20 - m) + (160 - m) * (160 - m)) / 3);
    assertThat(value(v, "sd")).isCloseTo(sd, within(1e-9));
    assertThat(value(v, "last")).isEqualTo(160.0);
    assertThat(value(v, "since")).isEqualTo(90.0);
    assertThat(asOf(v, "since")).isEqualTo(T0.plusSeconds(150));
    assertThat(value(v, "merchants")).isEqualTo(2.0);
    assertThat(value(v, "online")).isEqualTo(1.0);
    assertThat(asOf(v, "online")).isEqualTo(T0);
    assertThat(value(v, "big_mean")).isEqualTo(160.0);
    assertThat(value(v, "share")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(asOf(v, "share")).isEqualTo(T0.plusSeconds(150));
  }

  @Test
  void shouldExcludeTheEventExactlyOneSizeAgoWhenTheWindowIsSliding() {
    // When
    final FeatureReplay.Result r = replay(windowed("sliding", ", size: 10m"),
        txn("card-1", 1, T0),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10)).minusMillis(1)),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10))));

    // Then: (t - 10m, t] keeps T0 at t = T0+10m-1ms and drops it at t = T0+10m
    assertThat(r.vectors()).extracting(v -> value(v, "c")).containsExactly(1.0, 2.0, 2.0);
    assertThat(asOf(r.vectors().get(2), "c")).isEqualTo(T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void shouldStartAFreshWindowWhenATumblingBoundaryIsCrossed() {
    // Given T0 = 10:00:00, aligned to 10m
    // When
    final FeatureReplay.Result r = replay(windowed("tumbling", ", size: 10m"),
        txn("card-1", 1, T0.minusMillis(1)),
        txn("card-1", 1, T0),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10)).minusMillis(1)),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10))));

    // Then
    assertThat(r.vectors()).extracting(v -> value(v, "c")).containsExactly(1.0, 1.0, 2.0, 1.0);
  }

  @Test
  void shouldUseTheEarliestHopContainingTWhenTheWindowIsHopping() {
    // Given size 10m, advance 5m: as of 10:12 the earliest hop containing it starts at 10:05
    // When
    final FeatureReplay.Result r = replay(windowed("hopping", ", size: 10m, advance: 5m"),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(5)).minusMillis(1)),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(5))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(12))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(15))));

    // Then: at 10:15 the earliest hop is [10:10, 10:20), so only 10:12 and 10:15 count
    assertThat(r.vectors()).extracting(v -> value(v, "c")).containsExactly(1.0, 2.0, 2.0, 2.0);
  }

  @Test
  void shouldAcceptAtTheGraceEdgeAndRejectAsLateBeyondIt() {
    // When
    final FeatureReplay.Result r = replay(windowed("sliding", ", size: 1h, grace: 2m"),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(8))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(8)).minusMillis(1)));

    // Then
    assertThat(r.vectors()).extracting(v -> value(v, "c")).containsExactly(1.0, 1.0);
    assertThat(r.rejects()).singleElement().satisfies(rej -> {
      assertThat(rej.index()).isEqualTo(2);
      assertThat(rej.entityId()).isEqualTo("card-1");
      assertThat(rej.verdict().reasonCode()).isEqualTo(ReasonCode.LATE);
      assertThat(rej.verdict().field()).isEqualTo("eventTime");
    });
  }

  @Test
  void shouldUseStreamTimeOfThePartitionWhenJudgingLateness() {
    // Given another entity on the same (single) partition moved stream time forward
    // When
    final FeatureReplay.Result r = replay(windowed("sliding", ", size: 1h, grace: 2m"),
        txn("card-2", 1, T0.plus(Duration.ofMinutes(30))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(27))));

    // Then
    assertThat(r.vectors()).hasSize(1);
    assertThat(r.rejects()).singleElement()
        .satisfies(rej -> assertThat(rej.verdict().reasonCode()).isEqualTo(ReasonCode.LATE));
  }

  @Test
  void shouldComputeAsOfItsOwnTimeWhenAnEventArrivesOutOfOrder() {
    // When
    final FeatureReplay.Result r = replay(AGGS,
        txn("card-1", 10.0, T0.plus(Duration.ofMinutes(5))),
        txn("card-1", 20.0, T0.plus(Duration.ofMinutes(9))),
        txn("card-1", 5.0, T0.plus(Duration.ofMinutes(7))),
        txn("card-1", 1.0, T0.plus(Duration.ofMinutes(10))));

    // Then the late-arriving 10:07 event sees 10:05 and itself only
    final FeatureVector late = r.vectors().get(2);
    assertThat(late.getEventTime()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
    assertThat(value(late, "cnt")).isEqualTo(2.0);
    assertThat(value(late, "sum")).isEqualTo(15.0);
    assertThat(value(late, "last")).isEqualTo(5.0);
    assertThat(asOf(late, "last")).isEqualTo(T0.plus(Duration.ofMinutes(7)));
    assertThat(value(late, "since")).isEqualTo(120.0);
    // and the next event's windows include it
    final FeatureVector next = r.vectors().get(3);
    assertThat(value(next, "cnt")).isEqualTo(4.0);
    assertThat(value(next, "sum")).isEqualTo(36.0);
    assertThat(value(next, "last")).isEqualTo(1.0);
    assertThat(value(next, "since")).isEqualTo(60.0);
  }

  @Test
  void shouldNotUpdateAFeatureWhenTheEventIsBeyondThatFeaturesOwnGrace() {
    // Given
    final String yaml = HEADER + "features:\n"
        + "  - {name: strict, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n"
        + "  - {name: lenient, aggregation: count, window: {type: sliding, size: 1h, grace: 5m}, freshnessSla: 1h}\n";

    // When
    final FeatureReplay.Result r = replay(yaml,
        txn("card-1", 1, T0.plus(Duration.ofMinutes(10))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(8))),
        txn("card-1", 1, T0.plus(Duration.ofMinutes(11))));

    // Then
    final FeatureVector late = r.vectors().get(1);
    assertThat(value(late, "strict")).isEqualTo(0.0);
    assertThat(value(late, "lenient")).isEqualTo(1.0);
    final FeatureVector after = r.vectors().get(2);
    assertThat(value(after, "strict")).isEqualTo(2.0);
    assertThat(value(after, "lenient")).isEqualTo(3.0);
  }

  @Test
  void shouldCountBothAndReportZeroSecondsWhenTwoEventsShareATimestamp() {
    // When
    final FeatureReplay.Result r = replay(AGGS, txn("card-1", 1.0, T0), txn("card-1", 2.0, T0));

    // Then
    final FeatureVector v = lastVector(r);
    assertThat(value(v, "cnt")).isEqualTo(2.0);
    assertThat(value(v, "since")).isEqualTo(0.0);
    assertThat(value(v, "last")).isEqualTo(2.0);
  }

  @Test
  void shouldKeepEntitiesApartWhenTheyInterleave() {
    // When
    final FeatureReplay.Result r = replay(AGGS, txn("card-1", 1.0, T0), txn("card-2", 5.0, T0.plusSeconds(1)),
        txn("card-1", 3.0, T0.plusSeconds(2)));

    // Then
    assertThat(value(r.vectors().get(1), "cnt")).isEqualTo(1.0);
    assertThat(value(r.vectors().get(2), "sum")).isEqualTo(4.0);
  }

  @Test
  void shouldSwitchToAnHllEstimateWhenDistinctValuesExceedTheExactLimit() {
    // Given
    final String yaml = HEADER + "features:\n"
        + "  - {name: d, source: merchantId, aggregation: distinct_count, exactLimit: 3, "
        + "window: {type: sliding, size: 1h}, freshnessSla: 1h}\n";
    final GenericRecord[] events = new GenericRecord[50];
    for (int i = 0; i < events.length; i++) {
      events[i] = txn("card-1", 1, T0.plusSeconds(i), Channel.POS, "m-" + (i % 40), "DE");
    }

    // When
    final FeatureReplay.Result r = replay(yaml, events);

    // Then: exact up to the limit, a close estimate of 40 beyond it
    assertThat(value(r.vectors().get(2), "d")).isEqualTo(3.0);
    assertThat(value(lastVector(r), "d")).isCloseTo(40.0, within(1.0));
  }

  @Test
  void shouldRememberTheLastEventAfterItsRowIsPrunedWhenTheFeatureHasNoWindow() {
    // Given retention 10m; unbounded last and time_since_last
    final String yaml = HEADER + "idleTtl: 1d\nfeatures:\n"
        + "  - {name: c, aggregation: count, window: {type: sliding, size: 10m}, freshnessSla: 1h}\n"
        + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n"
        + "  - {name: last_online, source: amount, aggregation: last, filter: channel == ONLINE, freshnessSla: 1h}\n";

    // When
    final FeatureReplay.Result r = replay(yaml,
        txn("card-1", 7.0, T0, Channel.ONLINE, "m", "DE"),
        txn("card-1", 1.0, T0.plus(Duration.ofHours(1))),
        txn("card-1", 1.0, T0.plus(Duration.ofHours(3))));

    // Then
    final FeatureVector v = lastVector(r);
    assertThat(value(v, "c")).isEqualTo(1.0);
    assertThat(value(v, "since")).isEqualTo(7200.0);
    assertThat(value(v, "last_online")).isEqualTo(7.0);
    assertThat(asOf(v, "last_online")).isEqualTo(T0);
  }

  @Test
  void shouldForgetAnEntityWhenItWasIdleLongerThanTheTtl() {
    // Given
    final String yaml = HEADER + "idleTtl: 1d\nfeatures:\n"
        + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n";

    // When
    final FeatureReplay.Result r = replay(yaml,
        txn("card-1", 1, T0), txn("card-1", 1, T0.plus(Duration.ofHours(23))),
        txn("card-1", 1, T0.plus(Duration.ofHours(48))));

    // Then
    assertThat(r.vectors()).extracting(v -> value(v, "since")).containsExactly(null, 23 * 3600.0, null);
  }

  @Test
  void shouldKeepOnlyRowsWithinRetentionWhenStreamTimeAdvances() {
    // Given
    final FeatureSet set = set(windowed("sliding", ", size: 10m, grace: 1m"));
    final FeatureEngine engine = new FeatureEngine(set);
    final MapAccess access = new MapAccess();

    // When one event per minute for two hours
    for (int i = 0; i < 120; i++) {
      engine.process(txn("card-1", 1, T0.plus(Duration.ofMinutes(i))), access, CLOCK.millis());
    }

    // Then rows older than stream time - (10m + 1m) are gone
    final EntityState state = access.entities.get("card-1");
    assertThat(state.rows()).hasSize(11);
    assertThat(state.rows().get(0).timestamp).isEqualTo(T0.plus(Duration.ofMinutes(109)).toEpochMilli());
    assertThat(state.nextSeq()).isEqualTo(120);
  }

  @Test
  void shouldReturnRejectsWithReasonsWhenTheContractIsBroken() {
    // Given
    final Transaction bad = txn("card-1", -5.0, T0);

    // When
    final FeatureReplay.Result r = FeatureReplay.builder(
            FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema()))
        .clock(CLOCK).build().run(List.of(txn("card-1", 5.0, T0), bad));

    // Then
    assertThat(r.vectors()).hasSize(1);
    assertThat(r.rejects()).singleElement().satisfies(rej -> {
      assertThat(rej.index()).isEqualTo(1);
      assertThat(rej.eventId()).isEqualTo(bad.getEventId());
      assertThat(rej.verdict().reasonCode()).isEqualTo(ReasonCode.OUT_OF_RANGE);
    });
  }

  @Test
  void shouldEmitEveryDemoFeatureInDeclarationOrderWhenReplayingTheDemoSet() {
    // Given
    final FeatureSet set = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());

    // When
    final FeatureReplay.Result r = FeatureReplay.builder(set).clock(CLOCK).build().run(List.of(
        txn("card-1", 10.0, T0, Channel.ONLINE, "m-1", "DE"),
        txn("card-1", 30.0, T0.plus(Duration.ofMinutes(30)), Channel.POS, "m-2", "FR")));

    // Then
    final FeatureVector v = lastVector(r);
    assertThat(v.getFeatures()).extracting(f -> f.getName()).containsExactlyElementsOf(set.featureNames());
    assertThat(value(v, "txn_count_10m")).isEqualTo(1.0);
    assertThat(value(v, "txn_count_1h")).isEqualTo(2.0);
    assertThat(value(v, "amount_mean_24h")).isEqualTo(20.0);
    assertThat(value(v, "amount_vs_mean_24h")).isEqualTo(1.5);
    assertThat(value(v, "country_distinct_24h")).isEqualTo(2.0);
    assertThat(value(v, "online_share_24h")).isEqualTo(0.5);
    assertThat(value(v, "seconds_since_last_txn")).isEqualTo(1800.0);
  }

  /** In-memory state access with a single stream time. */
  static final class MapAccess implements StateAccess {
    final Map<String, EntityState> entities = new HashMap<>();
    long streamTime = Long.MIN_VALUE;

    @Override
    public EntityState get(final String entityId) {
      return entities.get(entityId);
    }

    @Override
    public void put(final String entityId, final EntityState state) {
      entities.put(entityId, state);
    }

    @Override
    public long streamTime(final String entityId) {
      return streamTime;
    }

    @Override
    public void advanceStreamTime(final String entityId, final long t) {
      streamTime = t;
    }
  }

  static Instant at(final int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }
}
