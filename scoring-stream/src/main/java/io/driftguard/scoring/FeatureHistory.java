package io.driftguard.scoring;

import io.driftguard.avro.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The entity's feature vectors by event time, in a plain key-value store: key = entity id (length-prefixed UTF-8)
 * + the vector's timestamp (8 bytes, big-endian, sign bit flipped so byte order is time order); value = the vector
 * in plain Avro binary. "As of t" is one reverse range scan.
 *
 * <p>Why not Kafka Streams' versioned store: in 4.4.0 {@code RocksDBVersionedStore} reopens its local RocksDB
 * without registering the history segments it already holds ({@code LogicalKeyValueSegments.openExisting} only
 * opens the database), and {@code get(key, asOf)} only searches registered segments. So after a restart on reused
 * local state, a lookup that needs an older version than the latest returns nothing until a new put happens to
 * re-register that segment. A full restore from the changelog (empty state dir) does not show it, because restoring
 * puts the records again. {@code ScoringRestartTest} reproduces it.
 *
 * <p>Retention matches the versioned store's: a lookup as of a time older than the features stream time minus the
 * history finds nothing, and a put drops the entity's versions that no lookup inside the history can pick any more
 * (all but the newest at or before the cutoff).
 */
final class FeatureHistory {
  private static final Serde<FeatureVector> VALUES = AvroBinary.serde(FeatureVector.class,
      FeatureVector.getClassSchema());

  private FeatureHistory() {
  }

  static Bytes key(final String entityId, final long timestamp) {
    final byte[] id = entityId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(4 + id.length + 8).putInt(id.length).put(id)
        .putLong(timestamp ^ Long.MIN_VALUE).array());
  }

  static byte[] encode(final FeatureVector vector) {
    return VALUES.serializer().serialize(null, vector);
  }

  static FeatureVector decode(final byte[] bytes) {
    return VALUES.deserializer().deserialize(null, bytes);
  }

  /**
   * Stores {@code vector} at {@code timestamp} and prunes the entity's versions older than the newest one at or
   * before {@code streamTime - history}.
   */
  static void put(final KeyValueStore<Bytes, byte[]> store, final String entityId, final FeatureVector vector,
      final long timestamp, final long streamTime, final long historyMs) {
    store.put(key(entityId, timestamp), encode(vector));
    if (streamTime == Long.MIN_VALUE) {
      return;
    }
    final List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> older = store.reverseRange(key(entityId, Long.MIN_VALUE),
        key(entityId, streamTime - historyMs))) {
      if (older.hasNext()) {
        older.next();
      }
      while (older.hasNext()) {
        expired.add(older.next().key);
      }
    }
    expired.forEach(store::delete);
  }

  /**
   * The entity's newest vector stamped at or before {@code asOfMs}; null when there is none, or when
   * {@code asOfMs} is older than {@code streamTime - historyMs} (pass {@code Long.MIN_VALUE} as stream time to skip
   * that check).
   */
  static FeatureVector asOf(final ReadOnlyKeyValueStore<Bytes, byte[]> store, final String entityId,
      final long asOfMs, final long streamTime, final long historyMs) {
    if (streamTime != Long.MIN_VALUE && asOfMs < streamTime - historyMs) {
      return null;
    }
    try (KeyValueIterator<Bytes, byte[]> newest = store.reverseRange(key(entityId, Long.MIN_VALUE),
        key(entityId, asOfMs))) {
      if (!newest.hasNext()) {
        return null;
      }
      final KeyValue<Bytes, byte[]> hit = newest.next();
      return decode(hit.value);
    }
  }
}
