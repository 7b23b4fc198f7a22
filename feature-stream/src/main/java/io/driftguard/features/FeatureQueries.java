package io.driftguard.features;

import io.driftguard.avro.FeatureVector;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Interactive queries on the feature topology's state.
 *
 * <ul>
 *   <li>Without {@code asOf}: the entity's current vector, the one its newest event produced, computed by the same
 *   engine from the stored rows (see {@link FeatureEngine#currentVector}); freshness is measured at the wall clock.</li>
 *   <li>With {@code asOf}: the vector the topology emitted for the entity's newest event at or before {@code asOf}, read
 *   from the versioned history store ({@value FeatureTopology#HISTORY_STORE}): what a point-in-time join on the
 *   {@code features} topic at {@code asOf} sees. Freshness is measured at {@code asOf}. History is kept for the feature
 *   set's retention behind stream time; older times are refused. When the topology runs without history
 *   ({@link FeatureTopologyConfig#history()} off), every {@code asOf} query is refused as a bad request.</li>
 * </ul>
 */
public final class FeatureQueries {
  private final FeatureEngine engine;
  private final EntityStateCodec codec;
  private final StateSource source;
  private final long historyRetentionMs;
  private final boolean history;

  /** What a query found. */
  public sealed interface Answer permits Found, NotFound, Elsewhere, Unavailable, BadRequest {}

  /**
   * The vector, and the read-time freshness of each of its features (same order).
   *
   * @param vector the entity's vector
   * @param freshness each feature's age and stale flag ({@link Freshness}) at the read time
   */
  public record Found(FeatureVector vector, List<Freshness.Feature> freshness) implements Answer {
    public Found {
      Objects.requireNonNull(vector, "vector");
      freshness = List.copyOf(freshness);
    }

    /** Whether any feature is stale. */
    public boolean anyStale() {
      return freshness.stream().anyMatch(Freshness.Feature::stale);
    }
  }

  /** Nothing to answer with: the entity is unknown or expired, or had no vector at or before the asked time. */
  public record NotFound(String entityId, String reason) implements Answer {}

  /** Another instance hosts the entity's partition; ask {@code host:port}. */
  public record Elsewhere(String host, int port) implements Answer {}

  /** The store cannot be queried now (rebalancing, starting). */
  public record Unavailable(String reason) implements Answer {}

  /** The request cannot be answered as asked. */
  public record BadRequest(String reason) implements Answer {}

  /** Where the stored bytes come from: a running KafkaStreams instance, or a test driver. */
  interface StateSource {
    /** The entity's raw state and its partition's stream time, or an answer that ends the query. */
    Lookup lookup(String entityId);

    /** The entity's newest emitted vector at or before {@code asOfMs} and its partition's stream time. */
    Lookup history(String entityId, long asOfMs);
  }

  /** A located entity: the stored bytes (or null), its partition's stream time (or null), or a failure. */
  record Lookup(byte[] bytes, Long streamTime, Answer failure) {}

  FeatureQueries(final FeatureSet set, final StateSource source) {
    this(set, source, true);
  }

  FeatureQueries(final FeatureSet set, final StateSource source, final boolean history) {
    this.engine = new FeatureEngine(set);
    this.codec = new EntityStateCodec(set);
    this.source = source;
    this.historyRetentionMs = FeatureTopology.historyRetention(set).toMillis();
    this.history = history;
  }

  /**
   * Queries over a running {@link KafkaStreams} of {@link FeatureTopology}.
   *
   * @param self this instance's {@code application.server}, or null when there is only one instance
   */
  public static FeatureQueries over(final KafkaStreams streams, final FeatureSet set, final HostInfo self) {
    return over(streams, set, self, true);
  }

  /**
   * As {@link #over(KafkaStreams, FeatureSet, HostInfo)}, for a topology built with {@code history} as its
   * {@link FeatureTopologyConfig#history()}.
   */
  public static FeatureQueries over(final KafkaStreams streams, final FeatureSet set, final HostInfo self,
      final boolean history) {
    Objects.requireNonNull(streams, "streams");
    return new FeatureQueries(set, new StreamsSource(streams, self), history);
  }

  /** Reads a running KafkaStreams' stores, on this instance or by pointing at the one that hosts the entity. */
  private record StreamsSource(KafkaStreams streams, HostInfo self) implements StateSource {
    @Override
    public Lookup lookup(final String entityId) {
      return locate(entityId, false, 0L);
    }

    @Override
    public Lookup history(final String entityId, final long asOfMs) {
      return locate(entityId, true, asOfMs);
    }

    private Lookup locate(final String entityId, final boolean history, final long asOfMs) {
      try {
        if (self == null) {
          // Without application.server Streams keeps no key metadata: look in this instance's own partitions.
          Lookup found = new Lookup(null, null, null);
          for (final ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (final TaskMetadata task : thread.activeTasks()) {
              final int partition = task.taskId().partition();
              if (entity(partition, entityId) != null) {
                return read(partition, entityId, history, asOfMs);
              }
              found = new Lookup(null, streamTime(partition), null);
            }
          }
          return found;
        }
        final KeyQueryMetadata meta =
            streams.queryMetadataForKey(FeatureTopology.ENTITY_STORE, entityId, new StringSerializer());
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
          return new Lookup(null, null, new Unavailable("no metadata for the entity's partition yet"));
        }
        final HostInfo active = meta.activeHost();
        if (active != null && !active.equals(self)) {
          return new Lookup(null, null, new Elsewhere(active.host(), active.port()));
        }
        return read(meta.partition(), entityId, history, asOfMs);
      } catch (final InvalidStateStoreException e) {
        return new Lookup(null, null, new Unavailable(e.getMessage()));
      }
    }

    private Lookup read(final int partition, final String entityId, final boolean history, final long asOfMs) {
      if (!history) {
        return new Lookup(entity(partition, entityId), streamTime(partition), null);
      }
      final StateQueryResult<VersionedRecord<byte[]>> result = streams.query(StateQueryRequest
          .inStore(FeatureTopology.HISTORY_STORE)
          .withQuery(VersionedKeyQuery.<String, byte[]>withKey(entityId).asOf(Instant.ofEpochMilli(asOfMs)))
          .withPartitions(Set.of(partition)));
      final QueryResult<VersionedRecord<byte[]>> answer = result.getPartitionResults().get(partition);
      if (answer == null || answer.isFailure()) {
        return new Lookup(null, null, new Unavailable(answer == null ? "partition " + partition + " not answered"
            : answer.getFailureReason() + ": " + answer.getFailureMessage()));
      }
      final VersionedRecord<byte[]> record = answer.getResult();
      return new Lookup(record == null ? null : record.value(), streamTime(partition), null);
    }

    private byte[] entity(final int partition, final String entityId) {
      final ReadOnlyKeyValueStore<String, byte[]> entities = streams.store(StoreQueryParameters
          .fromNameAndType(FeatureTopology.ENTITY_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
          .withPartition(partition));
      return entities.get(entityId);
    }

    private Long streamTime(final int partition) {
      final ReadOnlyKeyValueStore<Integer, Long> times = streams.store(StoreQueryParameters
          .fromNameAndType(FeatureTopology.STREAM_TIME_STORE, QueryableStoreTypes.<Integer, Long>keyValueStore())
          .withPartition(partition));
      return times.get(partition);
    }
  }

  /**
   * The vector of {@code entityId}: current without {@code asOf}, as emitted at or before {@code asOf} with it.
   *
   * @param nowMs wall clock: stamped as {@code computedAt} of a current vector, and the time its freshness is measured
   */
  public Answer vector(final String entityId, final Instant asOf, final long nowMs) {
    if (entityId == null || entityId.isBlank()) {
      return new BadRequest("entity id is empty");
    }
    return asOf == null ? current(entityId, nowMs) : history(entityId, asOf.toEpochMilli());
  }

  private Answer current(final String entityId, final long nowMs) {
    final Lookup lookup = source.lookup(entityId);
    if (lookup.failure() != null) {
      return lookup.failure();
    }
    if (lookup.bytes() == null) {
      return new NotFound(entityId, "no features for entity");
    }
    final EntityState state;
    try {
      state = codec.decode(lookup.bytes());
    } catch (final EntityStateCodec.IncompatibleStateException e) {
      return new NotFound(entityId, "the stored state was written by another feature-set definition");
    }
    final long streamTime = lookup.streamTime() == null ? state.newestEventTime() : lookup.streamTime();
    if (engine.expired(state.newestEventTime(), streamTime)) {
      return new NotFound(entityId, "entity idle longer than the feature set's idleTtl");
    }
    final FeatureVector current = engine.currentVector(entityId, state, nowMs);
    return new Found(current, Freshness.assess(engine.featureSet(), current, nowMs));
  }

  private Answer history(final String entityId, final long asOfMs) {
    if (!history) {
      return new BadRequest("asOf queries are off: this feature stream keeps no vector history "
          + "(features.history: false)");
    }
    final Lookup lookup = source.history(entityId, asOfMs);
    if (lookup.failure() != null) {
      return lookup.failure();
    }
    if (lookup.streamTime() != null && asOfMs < lookup.streamTime() - historyRetentionMs) {
      return new BadRequest("asOf " + Instant.ofEpochMilli(asOfMs) + " is older than stream time minus the history "
          + "retention (" + Instant.ofEpochMilli(lookup.streamTime() - historyRetentionMs) + ")");
    }
    if (lookup.bytes() == null) {
      return new NotFound(entityId, "no vector at or before " + Instant.ofEpochMilli(asOfMs));
    }
    final FeatureVector vector;
    try {
      vector = VectorBytes.decode(lookup.bytes());
    } catch (final IOException | RuntimeException e) {
      return new NotFound(entityId, "the stored vector was written under another FeatureVector schema");
    }
    if (!vector.getFeatureSetHash().equals(engine.featureSet().hash())) {
      return new NotFound(entityId, "the stored vector was computed by another feature-set definition");
    }
    return new Found(vector, Freshness.assess(engine.featureSet(), vector, asOfMs));
  }
}
