package io.driftguard.scoring;

import io.driftguard.avro.FeatureVector;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Where {@code POST /score} finds an entity's vector as of just before the event. */
@FunctionalInterface
public interface FeatureLookup {
  /**
   * The entity's vector as of {@code asOfMs}, or null when there is none.
   *
   * @throws IllegalStateException when the store cannot answer (not running, entity hosted elsewhere)
   */
  FeatureVector asOf(String entityId, long asOfMs);

  /**
   * Interactive query on this instance's {@link ScoringTopology#FEATURES_STORE} partitions (the newest vector at or
   * before {@code asOfMs}, by {@link FeatureHistory}). The history cutoff is left to the store's pruning: a request
   * is scored as of now, well inside the history.
   */
  static FeatureLookup of(final KafkaStreams streams) {
    return (entityId, asOfMs) -> {
      final ReadOnlyKeyValueStore<Bytes, byte[]> store;
      try {
        store = streams.store(StoreQueryParameters.fromNameAndType(ScoringTopology.FEATURES_STORE,
            QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
        return FeatureHistory.asOf(store, entityId, asOfMs, Long.MIN_VALUE, 0L);
      } catch (InvalidStateStoreException e) {
        throw new IllegalStateException("feature store " + ScoringTopology.FEATURES_STORE + " cannot answer for '"
            + entityId + "': " + e.getMessage(), e);
      }
    };
  }
}
