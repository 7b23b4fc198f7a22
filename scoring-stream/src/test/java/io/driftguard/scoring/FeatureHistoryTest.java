package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.avro.FeatureVector;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeatureHistoryTest {
  private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");
  private static final long HISTORY = Duration.ofHours(1).toMillis();

  private KeyValueStore<Bytes, byte[]> store;

  @BeforeEach
  void openStore() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("history"), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private void put(final String card, final Instant at, final double marker, final Instant streamTime) {
    FeatureHistory.put(store, card, ScoringHarness.vector(card, at, ScoringHarness.values(marker)), at.toEpochMilli(),
        streamTime.toEpochMilli(), HISTORY);
  }

  private Double markerAsOf(final String card, final Instant asOf, final Instant streamTime) {
    final FeatureVector v = FeatureHistory.asOf(store, card, asOf.toEpochMilli(), streamTime.toEpochMilli(), HISTORY);
    return v == null ? null : v.getFeatures().stream().filter(f -> f.getName().equals("amount_mean_24h"))
        .findFirst().orElseThrow().getValue();
  }

  @Test
  void shouldReturnTheNewestVectorAtOrBeforeTheTimeWhenVersionsArriveOutOfOrder() {
    // Given card-1 vectors at +10s, +30s and (late) +20s, and card-10 at +25s
    final Instant now = T0.plusSeconds(30);
    put("card-1", T0.plusSeconds(10), 1.0, now);
    put("card-1", T0.plusSeconds(30), 3.0, now);
    put("card-1", T0.plusSeconds(20), 2.0, now);
    put("card-10", T0.plusSeconds(25), 9.0, now);

    // When / Then each lookup gets the newest version at or before its time, never another entity's
    assertThat(markerAsOf("card-1", T0.plusSeconds(5), now)).isNull();
    assertThat(markerAsOf("card-1", T0.plusSeconds(10), now)).isEqualTo(1.0);
    assertThat(markerAsOf("card-1", T0.plusSeconds(20).minusMillis(1), now)).isEqualTo(1.0);
    assertThat(markerAsOf("card-1", T0.plusSeconds(26), now)).isEqualTo(2.0);
    assertThat(markerAsOf("card-1", T0.plusSeconds(300), now)).isEqualTo(3.0);
    assertThat(markerAsOf("card-10", T0.plusSeconds(300), now)).isEqualTo(9.0);
    assertThat(markerAsOf("card", T0.plusSeconds(300), now)).isNull();
  }

  @Test
  void shouldFindNothingAndPruneOldVersionsWhenTheLookupIsOlderThanTheHistory() {
    // Given card-1 vectors at 0, +10 min and +20 min, then one at +2 h that moves stream time past the history
    put("card-1", T0, 1.0, T0);
    put("card-1", T0.plus(Duration.ofMinutes(10)), 2.0, T0.plus(Duration.ofMinutes(10)));
    put("card-1", T0.plus(Duration.ofMinutes(20)), 3.0, T0.plus(Duration.ofMinutes(20)));
    final Instant later = T0.plus(Duration.ofHours(2));
    put("card-1", later, 4.0, later);

    // When / Then a lookup older than stream time - history finds nothing
    assertThat(markerAsOf("card-1", later.minus(Duration.ofMinutes(61)), later)).isNull();
    // and one inside it still finds the version that was valid then, the newest before the cutoff
    assertThat(markerAsOf("card-1", later.minus(Duration.ofMinutes(59)), later)).isEqualTo(3.0);
    // and the two older versions are gone from the store
    assertThat(markerAsOf("card-1", T0.plus(Duration.ofMinutes(15)), Instant.ofEpochMilli(Long.MIN_VALUE)))
        .isNull();
  }
}
