package io.driftguard.scoring;

import io.driftguard.avro.FeatureVector;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.VersionedRecord;

/** Where {@code POST /score} finds an entity's vector as of just before the event. */
@FunctionalInterface
public interface FeatureLookup {
  /**
   * The entity's vector as of {@code asOfMs}, or null when there is none.
   *
   * @throws IllegalStateException when the store cannot answer (not running, entity hosted elsewhere)
   */
  FeatureVector asOf(String entityId, long asOfMs);

  /** Interactive query (IQv2) on this instance's {@link ScoringTopology#FEATURES_STORE} partitions. */
  static FeatureLookup of(final KafkaStreams streams) {
    return (entityId, asOfMs) -> {
      final StateQueryRequest<VersionedRecord<FeatureVector>> request =
          StateQueryRequest.inStore(ScoringTopology.FEATURES_STORE)
              .withQuery(VersionedKeyQuery.<String, FeatureVector>withKey(entityId).asOf(Instant.ofEpochMilli(asOfMs)));
      final StateQueryResult<VersionedRecord<FeatureVector>> result = streams.query(request);
      for (final Map.Entry<Integer, QueryResult<VersionedRecord<FeatureVector>>> e
          : result.getPartitionResults().entrySet()) {
        final QueryResult<VersionedRecord<FeatureVector>> r = e.getValue();
        if (r.isSuccess() && r.getResult() != null) {
          return r.getResult().value();
        }
        if (r.isFailure()) {
          throw new IllegalStateException("feature store partition " + e.getKey() + " cannot answer: "
              + r.getFailureReason() + " " + r.getFailureMessage());
        }
      }
      return null;
    };
  }
}
