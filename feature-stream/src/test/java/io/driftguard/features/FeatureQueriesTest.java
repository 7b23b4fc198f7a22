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
import org.apache.kafka.streams.state.KeyValueStore;
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

  private FeatureQueries queries() {
    final KeyValueStore<String, byte[]> entities = h.driver.getKeyValueStore(FeatureTopology.ENTITY_STORE);
    final KeyValueStore<Integer, Long> times = h.driver.getKeyValueStore(FeatureTopology.STREAM_TIME_STORE);
    return new FeatureQueries(h.set, id -> new FeatureQueries.Lookup(entities.get(id), times.get(0), null));
  }

  @Test
  void shouldAnswerWithTheStoredStateWhenAskedAsOfTheNewestEvent() {
    // Given
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, WALL);
    h.pipe(txn("card-1", 2.0, T0));
    h.pipe(txn("card-1", 3.0, T0.plusSeconds(60)));
    final FeatureVector emitted = h.features.readValuesToList().get(1);

    // When
    final FeatureQueries.Answer answer = queries().vector("card-1", null, WALL.toEpochMilli());

    // Then
    assertThat(answer).isInstanceOf(FeatureQueries.Found.class);
    final FeatureVector v = ((FeatureQueries.Found) answer).vector();
    assertThat(v.getEventId()).isNull();
    assertThat(v.getEventTime()).isEqualTo(emitted.getEventTime());
    assertThat(value(v, "cnt")).isEqualTo(value(emitted, "cnt")).isEqualTo(2.0);
    assertThat(value(v, "sum")).isEqualTo(5.0);
    assertThat(asOf(v, "sum")).isEqualTo(T0.plusSeconds(60));
    assertThat(value(v, "since")).isEqualTo(0.0);
    assertThat(h.features.isEmpty()).isTrue();
  }

  @Test
  void shouldSlideTheWindowsWhenAskedAsOfALaterTime() {
    // Given
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, WALL);
    h.pipe(txn("card-1", 2.0, T0));
    h.pipe(txn("card-1", 3.0, T0.plusSeconds(60)));

    // When
    final FeatureQueries.Answer later = queries().vector("card-1", T0.plusSeconds(630), WALL.toEpochMilli());

    // Then: (T0+30s, T0+630s] keeps only the second event
    final FeatureVector v = ((FeatureQueries.Found) later).vector();
    assertThat(value(v, "cnt")).isEqualTo(1.0);
    assertThat(value(v, "sum")).isEqualTo(3.0);
    assertThat(value(v, "since")).isEqualTo(570.0);
    assertThat(h.features.readValuesToList()).hasSize(2);
  }

  @Test
  void shouldRefuseWhenAskedOlderThanStreamTimeMinusGrace() {
    // Given
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, WALL);
    h.pipe(txn("card-1", 2.0, T0.plusSeconds(600)));

    // When
    final FeatureQueries.Answer answer = queries().vector("card-1", T0.plusSeconds(539), WALL.toEpochMilli());

    // Then
    assertThat(answer).isInstanceOf(FeatureQueries.BadRequest.class);
    assertThat(((FeatureQueries.BadRequest) answer).reason()).contains("older than stream time minus grace");
    assertThat(h.features.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldReportNotFoundWhenTheEntityWasNeverSeen() {
    // Given
    h = new TopologyHarness(FeatureSet.parse(YAML, Transaction.getClassSchema()), stateDir, WALL);
    h.pipe(txn("card-1", 2.0, T0));

    // When / Then
    assertThat(queries().vector("card-404", null, WALL.toEpochMilli()))
        .isEqualTo(new FeatureQueries.NotFound("card-404"));
    assertThat(h.features.readValuesToList()).hasSize(1);
  }
}
