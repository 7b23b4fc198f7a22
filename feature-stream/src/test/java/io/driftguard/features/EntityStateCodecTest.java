package io.driftguard.features;

import static io.driftguard.features.Txns.T0;
import static io.driftguard.features.Txns.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Channel;
import io.driftguard.avro.Transaction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EntityStateCodecTest {
  private static final FeatureSet DEMO =
      FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema());

  private static EntityState stateAfterSomeEvents() {
    final FeatureEngine engine = new FeatureEngine(DEMO);
    final FeatureEngineTest.MapAccess access = new FeatureEngineTest.MapAccess();
    for (int i = 0; i < 40; i++) {
      engine.process(txn("card-1", 3.5 * i, T0.plus(Duration.ofHours(i)), i % 2 == 0 ? Channel.ONLINE : Channel.POS,
          "m-" + i, "DE"), access, T0.plus(Duration.ofDays(10)).toEpochMilli());
    }
    return access.entities.get("card-1");
  }

  @Test
  void shouldRoundTripWhenEncodedAndDecoded() {
    // Given
    final EntityState state = stateAfterSomeEvents();
    final EntityStateCodec codec = new EntityStateCodec(DEMO);

    // When
    final byte[] bytes = codec.encode(state);
    final EntityState back = codec.decode(bytes);

    // Then
    assertThat(back).isEqualTo(state);
    assertThat(state.rows()).isNotEmpty();
    assertThat(state.tails()).anyMatch(t -> t != null);
    assertThat(bytes.length).isLessThan(state.rows().size() * (8 * 13 + 16) + 200);
  }

  @Test
  void shouldRefuseStateWhenWrittenByAnotherFeatureSet() {
    // Given
    final byte[] bytes = new EntityStateCodec(DEMO).encode(stateAfterSomeEvents());
    final FeatureSet other = FeatureSet.parse(
        "name: o\nentityKey: cardId\ntimestamp: eventTime\nfeatures:\n"
            + "  - {name: c, aggregation: count, window: {type: sliding, size: 1h}, freshnessSla: 1h}\n",
        Transaction.getClassSchema());

    // When / Then
    assertThatThrownBy(() -> new EntityStateCodec(other).decode(bytes))
        .isInstanceOf(EntityStateCodec.IncompatibleStateException.class)
        .hasMessageContaining("another feature-set definition");
  }

  @Test
  void shouldRefuseWhenTheBytesAreTruncated() {
    // Given
    final byte[] bytes = new EntityStateCodec(DEMO).encode(stateAfterSomeEvents());
    final byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);

    // When / Then
    assertThatThrownBy(() -> new EntityStateCodec(DEMO).decode(cut))
        .isInstanceOf(EntityStateCodec.IncompatibleStateException.class);
  }
}
