package io.driftguard.features;

import io.driftguard.avro.FeatureVector;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on the feature topology's state: the vector of an entity as of a time, computed by the same
 * engine from the stored rows. As of the entity's newest event time by default; any time not older than the
 * partition's stream time minus the largest grace may be asked (older rows may already be pruned).
 */
public final class FeatureQueries {
  private final FeatureEngine engine;
  private final EntityStateCodec codec;
  private final StateSource source;

  /** What a query found. */
  public sealed interface Answer permits Found, NotFound, Elsewhere, Unavailable, BadRequest {}

  /** The vector. */
  public record Found(FeatureVector vector) implements Answer {}

  /** No state for the entity on its partition (never seen, or forgotten after the idle TTL). */
  public record NotFound(String entityId) implements Answer {}

  /** Another instance hosts the entity's partition; ask {@code host:port}. */
  public record Elsewhere(String host, int port) implements Answer {}

  /** The store cannot be queried now (rebalancing, starting). */
  public record Unavailable(String reason) implements Answer {}

  /** The request cannot be answered as asked. */
  public record BadRequest(String reason) implements Answer {}

  /** Where the stored bytes come from: a running KafkaStreams instance, or a test driver. */
  interface StateSource {
    /** The partition's raw entity state and stream time, or an answer that ends the query. */
    Lookup lookup(String entityId);
  }

  /** A located entity: its state bytes (or null) and its partition's stream time (or null). */
  record Lookup(byte[] state, Long streamTime, Answer failure) {}

  FeatureQueries(final FeatureSet set, final StateSource source) {
    this.engine = new FeatureEngine(set);
    this.codec = new EntityStateCodec(set);
    this.source = source;
  }

  /**
   * Queries over a running {@link KafkaStreams} of {@link FeatureTopology}.
   *
   * @param self this instance's {@code application.server}, or null when there is only one instance
   */
  public static FeatureQueries over(final KafkaStreams streams, final FeatureSet set, final HostInfo self) {
    Objects.requireNonNull(streams, "streams");
    return new FeatureQueries(set, entityId -> locate(streams, self, entityId));
  }

  private static Lookup locate(final KafkaStreams streams, final HostInfo self, final String entityId) {
    try {
      if (self == null) {
        // Without application.server Streams keeps no key metadata: look in this instance's own partitions.
        for (final ThreadMetadata thread : streams.metadataForLocalThreads()) {
          for (final TaskMetadata task : thread.activeTasks()) {
            final Lookup found = read(streams, task.taskId().partition(), entityId);
            if (found.state() != null) {
              return found;
            }
          }
        }
        return new Lookup(null, null, null);
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
      return read(streams, meta.partition(), entityId);
    } catch (final InvalidStateStoreException e) {
      return new Lookup(null, null, new Unavailable(e.getMessage()));
    }
  }

  private static Lookup read(final KafkaStreams streams, final int partition, final String entityId) {
    final ReadOnlyKeyValueStore<String, byte[]> entities = streams.store(StoreQueryParameters
        .fromNameAndType(FeatureTopology.ENTITY_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
        .withPartition(partition));
    final ReadOnlyKeyValueStore<Integer, Long> times = streams.store(StoreQueryParameters
        .fromNameAndType(FeatureTopology.STREAM_TIME_STORE, QueryableStoreTypes.<Integer, Long>keyValueStore())
        .withPartition(partition));
    return new Lookup(entities.get(entityId), times.get(partition), null);
  }

  /**
   * The vector of {@code entityId} as of {@code asOf} (null: the entity's newest event time).
   *
   * @param nowMs wall clock, stamped as {@code computedAt}
   */
  public Answer vector(final String entityId, final Instant asOf, final long nowMs) {
    if (entityId == null || entityId.isBlank()) {
      return new BadRequest("entity id is empty");
    }
    final Lookup lookup = source.lookup(entityId);
    if (lookup.failure() != null) {
      return lookup.failure();
    }
    if (lookup.state() == null) {
      return new NotFound(entityId);
    }
    final EntityState state;
    try {
      state = codec.decode(lookup.state());
    } catch (final EntityStateCodec.IncompatibleStateException e) {
      return new NotFound(entityId);
    }
    final long streamTime = lookup.streamTime() == null ? state.newestEventTime() : lookup.streamTime();
    if (engine.expired(state.newestEventTime(), streamTime)) {
      return new NotFound(entityId);
    }
    final long t = asOf == null ? state.newestEventTime() : asOf.toEpochMilli();
    final long oldest = streamTime - engine.featureSet().maxGrace().toMillis();
    if (t < oldest) {
      return new BadRequest("asOf " + Instant.ofEpochMilli(t) + " is older than stream time minus grace ("
          + Instant.ofEpochMilli(oldest) + "); older windows are no longer stored");
    }
    return new Found(engine.vectorAsOf(entityId, state, t, nowMs));
  }
}
