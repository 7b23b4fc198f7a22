package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.asOf;
import static io.driftguard.features.Txns.txn;
import static io.driftguard.features.Txns.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureQueriesTest {
  private static final Instant WALL = T0.plus(Duration.ofDays(1));
  private static final String YAML = "name: q\nentityKey: cardId\ntimestamp: eventTime\neventId: eventId\n"
      + "idleTtl: 1d\nfeatures:\n"
      + "  - {name: cnt, aggregation: count, window: {type: sliding, size: 10m, grace: 1m}, freshnessSla: 1h}\n"
      + "  - {name: sum, source: amount, aggregation: sum, window: {type: sliding, size: 10m, grace: 1m}, freshnessSla: 1h}\n"
      + "  - {name: since, aggregation: time_since_last, freshnessSla: 1h}\n";

  @TempDir
  Path stateDir;
  private TopologyHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private void start() {
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, WALL);
  }

  @Test
  void shouldAnswerWithTheVectorOfTheNewestEventWhenAskedWithoutAsOf() {
    // Given
    start();
    h.pipe(txn("card-1", 2.0, T0));
    h.pipe(txn("card-1", 3.0, T0.plusSeconds(60)));
    final FeatureVector emitted = h.features.readValuesToList().get(1);

    // When
    final FeatureQueries.Answer answer = h.queries().vector("card-1", null, WALL.toEpochMilli());

    // Then
    assertThat(answer).isInstanceOf(FeatureQueries.Found.class);
    final FeatureVector v = ((FeatureQueries.Found) answer).vector();
    assertThat(v.getEventId()).isNull();
    assertThat(v.getEventTime()).isEqualTo(emitted.getEventTime());
    assertThat(value(v, "cnt")).isEqualTo(value(emitted, "cnt")).isEqualTo(2.0);
    assertThat(value(v, "sum")).isEqualTo(5.0);
    assertThat(asOf(v, "sum")).isEqualTo(T0.plusSeconds(60));
    assertThat(value(v, "since")).isEqualTo(value(emitted, "since")).isEqualTo(60.0);
    assertThat(v.getFeatures()).isEqualTo(emitted.getFeatures());
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldAnswerWithTheVectorEmittedAtOrBeforeAsOfWhenAskedForAPastTime() {
    // Given three events, the last one out of order
    start();
    h.pipe(txn("card-1", 2.0, T0));
    h.pipe(txn("card-1", 4.0, T0.plusSeconds(120)));
    h.pipe(txn("card-1", 3.0, T0.plusSeconds(60)));
    final List<FeatureVector> emitted = h.features.readValuesToList();

    // When
    final FeatureQueries.Answer between = h.queries().vector("card-1", T0.plusSeconds(90), WALL.toEpochMilli());
    final FeatureQueries.Answer exact = h.queries().vector("card-1", T0.plusSeconds(120), WALL.toEpochMilli());
    final FeatureQueries.Answer before = h.queries().vector("card-1", T0.minusMillis(1), WALL.toEpochMilli());

    // Then each is the vector the topology emitted, byte for byte, with freshness measured at the asked time
    final FeatureQueries.Found found = (FeatureQueries.Found) between;
    // (Avro's GenericData.Array.equals cannot compare logical-type unions, so compare the encodings.)
    assertThat(VectorBytes.encode(found.vector())).isEqualTo(VectorBytes.encode(emitted.get(2)));
    assertThat(found.vector().getEventId()).isEqualTo(emitted.get(2).getEventId()).isNotNull();
    assertThat(value(found.vector(), "sum")).isEqualTo(5.0);
    assertThat(found.freshness().get(0).ageMs()).isEqualTo(30_000L);
    assertThat(found.anyStale()).isFalse();
    assertThat(VectorBytes.encode(((FeatureQueries.Found) exact).vector())).isEqualTo(VectorBytes.encode(emitted.get(1)));
    assertThat(before).isInstanceOf(FeatureQueries.NotFound.class);
    assertThat(((FeatureQueries.NotFound) before).reason()).contains("no vector at or before");
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseWhenAskedOlderThanTheHistoryRetention() {
    // Given retention = 10m window + 1m grace
    start();
    h.pipe(txn("card-1", 2.0, T0.plusSeconds(3600)));

    // When
    final FeatureQueries.Answer answer = h.queries().vector("card-1", T0.plusSeconds(3600 - 11 * 60 - 1),
        WALL.toEpochMilli());

    // Then
    assertThat(answer).isInstanceOf(FeatureQueries.BadRequest.class);
    assertThat(((FeatureQueries.BadRequest) answer).reason()).contains("history retention");
    assertThat(h.features.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldEmitTheSameVectorsAndRefuseAsOfWhenHistoryIsOff(@TempDir final Path otherStateDir) {
    // Given the same events through a topology with history and one without
    start();
    final TopologyHarness without =
        new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), otherStateDir, WALL, false);
    try (without) {
      for (final Transaction t : List.of(txn("card-1", 2.0, T0), txn("card-1", 3.0, T0.plusSeconds(60)))) {
        h.pipe(t);
        without.pipe(t);
      }

      // When
      final FeatureQueries.Answer past = without.queries().vector("card-1", T0.plusSeconds(30), WALL.toEpochMilli());
      final FeatureQueries.Answer current = without.queries().vector("card-1", null, WALL.toEpochMilli());

      // Then
      assertThat(without.driver.getAllStateStores()).doesNotContainKey(FeatureTopology.HISTORY_STORE)
          .containsKey(FeatureTopology.ENTITY_STORE);
      // Avro's equals cannot compare the nested Instant fields; the JSON form is exact.
      assertThat(without.features.readValuesToList()).map(FeatureVector::toString)
          .isEqualTo(h.features.readValuesToList().stream().map(FeatureVector::toString).toList());
      assertThat(past).isInstanceOf(FeatureQueries.BadRequest.class);
      assertThat(((FeatureQueries.BadRequest) past).reason()).contains("features.history: false");
      assertThat(current).isInstanceOf(FeatureQueries.Found.class);
      assertThat(value(((FeatureQueries.Found) current).vector(), "sum")).isEqualTo(5.0);
    }
  }

  @Test
  void shouldReportNotFoundWhenTheEntityWasNeverSeen() {
    // Given
    start();
    h.pipe(txn("card-1", 2.0, T0));

    // When
    final FeatureQueries.Answer answer = h.queries().vector("card-404", null, WALL.toEpochMilli());

    // Then
    assertThat(answer).isInstanceOf(FeatureQueries.NotFound.class);
    assertThat(((FeatureQueries.NotFound) answer).entityId()).isEqualTo("card-404");
    assertThat(h.features.readValuesToList()).hasSize(1);
  }
}
