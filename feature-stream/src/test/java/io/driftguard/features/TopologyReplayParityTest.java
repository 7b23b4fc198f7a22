package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.Channel;
import io.driftguard.avro.DeadLetter;
import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** For random event sequences the topology's vectors equal FeatureReplay's, exactly, event by event. */
class TopologyReplayParityTest {
  private static final Instant WALL = T0.plus(Duration.ofDays(1));
  private static final String WINDOWS = "name: w\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\n"
      + "idleTtl: 40m\nconstraints: {amount: {min: 0}}\nfeatures:\n"
      + "  - {name: slide, source: amount, aggregation: sum, window: {type: sliding, size: 10m, grace: 1m}, freshnessSla: 1h}\n"
      + "  - {name: tumble, source: amount, aggregation: max, window: {type: tumbling, size: 15m, grace: 3m}, freshnessSla: 1h}\n"
      + "  - {name: hop, aggregation: count, window: {type: hopping, size: 20m, advance: 5m}, freshnessSla: 1h}\n"
      + "  - {name: sd, source: amount, aggregation: stddev, window: {type: sliding, size: 30m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: min_online, source: amount, aggregation: min, filter: \"channel in [ONLINE, MOBILE]\", "
      + "window: {type: sliding, size: 30m, grace: 2m}, freshnessSla: 1h, default: -1}\n"
      + "  - {name: merchants, source: merchantId, aggregation: distinct_count, exactLimit: 4, "
      + "window: {type: sliding, size: 30m, grace: 2m}, freshnessSla: 1h}\n"
      + "  - {name: last_big, source: amount, aggregation: last, filter: amount >= 50, freshnessSla: 1h}\n"
      + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n"
      + "  - {name: per_hop, aggregation: ratio, numerator: slide, denominator: hop, freshnessSla: 1h}\n";

  @TempDir
  Path stateDir;

  private static List<Transaction> randomEvents(final long seed, final int n) {
    final Random random = new Random(seed);
    final List<Transaction> out = new ArrayList<>(n);
    long clock = T0.toEpochMilli();
    final Channel[] channels = Channel.values();
    for (int i = 0; i < n; i++) {
      clock += random.nextInt(90_000);
      long t = clock;
      final double roll = random.nextDouble();
      if (roll < 0.15) {
        t -= random.nextInt(240_000);
      } else if (roll < 0.17) {
        t += Duration.ofDays(2).toMillis();
      }
      double amount = Math.round(random.nextDouble() * 20_000) / 100.0;
      final double bad = random.nextDouble();
      if (bad < 0.04) {
        amount = -amount - 1;
      } else if (bad < 0.06) {
        amount = Double.NaN;
      }
      out.add(Txns.txn("card-" + random.nextInt(6), amount, Instant.ofEpochMilli(t),
          channels[random.nextInt(channels.length)], "m-" + random.nextInt(9), "C" + random.nextInt(4)));
    }
    return out;
  }

  private static String encoded(final FeatureVector v) {
    try {
      return java.util.HexFormat.of().formatHex(v.toByteBuffer().array()) + " " + v.getEntityId() + "@"
          + v.getEventTime();
    } catch (final java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 1234, 99_991})
  void shouldEmitExactlyTheReplayVectorsWhenEventsAreRandom(final long seed) {
    for (final FeatureSet set : List.of(
        FeatureSet.parse(WINDOWS, Transaction.getClassSchema()),
        FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema()))) {
      // Given
      final List<Transaction> events = randomEvents(seed, 400);
      final FeatureReplay.Result replay = FeatureReplay.builder(set)
          .clock(Clock.fixed(WALL, ZoneOffset.UTC)).partitions(1).build().run(events);

      // When
      final List<FeatureVector> vectors;
      final List<DeadLetter> deadLetters;
      try (TopologyHarness h = new TopologyHarness(set, stateDir.resolve(set.name() + seed), WALL)) {
        events.forEach(h::pipe);
        vectors = h.features.readValuesToList();
        deadLetters = h.deadLetters.readValuesToList();
        assertThat(h.features.isEmpty()).isTrue();
        assertThat(h.deadLetters.isEmpty()).isTrue();
      }

      // Then
      assertThat(replay.vectors()).hasSizeGreaterThan(250);
      assertThat(replay.rejects()).extracting(r -> r.verdict().reasonCode())
          .contains(ReasonCode.LATE, ReasonCode.OUT_OF_RANGE, ReasonCode.NON_FINITE, ReasonCode.FUTURE_TIMESTAMP);
      // Compared by their Avro encoding: exact to the bit, and FeatureVector.equals cannot compare a deserialized
      // features array holding timestamp-millis Instants (Avro's GenericData.Array.equals ignores conversions).
      assertThat(vectors).map(TopologyReplayParityTest::encoded)
          .containsExactlyElementsOf(replay.vectors().stream().map(TopologyReplayParityTest::encoded).toList());
      assertThat(deadLetters).extracting(DeadLetter::getReasonCode)
          .containsExactlyElementsOf(replay.rejects().stream().map(r -> r.verdict().reasonCode().name()).toList());
      assertThat(deadLetters).extracting(DeadLetter::getOffset)
          .containsExactlyElementsOf(replay.rejects().stream().map(FeatureReplay.Reject::index).toList());
    }
  }
}
