package io.driftguard.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Immutable per-entity engine state: the raw rows still inside retention (sorted by event time, then arrival) and, for
 * features without a window, the newest contribution already pruned (the "tail"), so last/time_since_last stay exact
 * after pruning.
 *
 * @param newestEventTime largest event time accepted for this entity (drives idle expiry)
 * @param nextSeq arrival counter; the next row gets this sequence number
 * @param rows retained rows, ordered by (timestamp, seq)
 * @param tails per feature index: the newest pruned contribution, or null
 */
record EntityState(long newestEventTime, long nextSeq, List<Row> rows, List<Row.Tail> tails) {

  EntityState {
    rows = Collections.unmodifiableList(new ArrayList<>(rows));
    tails = Collections.unmodifiableList(new ArrayList<>(tails));
  }

  static EntityState empty(final int featureCount) {
    return new EntityState(Long.MIN_VALUE, 0L, List.of(), Collections.nCopies(featureCount, null));
  }

  /** One event's contributions: for each feature slot, present or not, with its value bits. */
  static final class Row {
    final long timestamp;
    final long seq;
    final boolean[] present;
    final long[] values;

    Row(final long timestamp, final long seq, final boolean[] present, final long[] values) {
      this.timestamp = timestamp;
      this.seq = seq;
      this.present = present;
      this.values = values;
    }

    boolean anyPresent() {
      for (final boolean p : present) {
        if (p) {
          return true;
        }
      }
      return false;
    }

    /** Ordering of rows: event time, then arrival. */
    boolean after(final long otherTimestamp, final long otherSeq) {
      return timestamp > otherTimestamp || (timestamp == otherTimestamp && seq > otherSeq);
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Row r && r.timestamp == timestamp && r.seq == seq && Arrays.equals(r.present, present)
          && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(timestamp) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
      return "Row[t=" + timestamp + ", seq=" + seq + "]";
    }

    /** The newest pruned contribution of one feature. */
    record Tail(long timestamp, long seq, long value) {}
  }
}
