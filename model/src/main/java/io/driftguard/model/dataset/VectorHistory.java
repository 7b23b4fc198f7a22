package io.driftguard.model.dataset;

import io.driftguard.avro.FeatureVector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code features} topic as the scorer's versioned table sees it: per entity, the vectors that have arrived so
 * far, by their event time. An as-of lookup returns the vector with the largest event time {@code <= asOf}; among
 * vectors with the same time the later arrival wins, as a versioned store overwrites a key at the same timestamp.
 *
 * <p>Bounded: per entity it keeps the vectors newer than {@code newest - keepBehind} plus the newest one at or
 * before that edge, which is all a non-LATE event can still look up.
 */
final class VectorHistory {
  private record Entry(long time, FeatureVector vector) {
  }

  private final Map<String, List<Entry>> byEntity = new HashMap<>();
  private final long keepBehindMs;

  VectorHistory(final long keepBehindMs) {
    this.keepBehindMs = keepBehindMs;
  }

  /** The vector of {@code entity} with the largest event time {@code <= asOfMs}, or null. */
  FeatureVector asOf(final String entity, final long asOfMs) {
    final List<Entry> entries = byEntity.get(entity);
    if (entries == null) {
      return null;
    }
    final int idx = upperBound(entries, asOfMs) - 1;
    return idx < 0 ? null : entries.get(idx).vector();
  }

  void add(final String entity, final long timeMs, final FeatureVector vector) {
    final List<Entry> entries = byEntity.computeIfAbsent(entity, k -> new ArrayList<>());
    final int at = upperBound(entries, timeMs);
    if (at > 0 && entries.get(at - 1).time() == timeMs) {
      entries.set(at - 1, new Entry(timeMs, vector));
    } else {
      entries.add(at, new Entry(timeMs, vector));
    }
    final long edge = entries.get(entries.size() - 1).time() - keepBehindMs;
    final int keepFrom = upperBound(entries, edge) - 1;
    if (keepFrom > 0) {
      entries.subList(0, keepFrom).clear();
    }
  }

  /** Index of the first entry with time > t. */
  private static int upperBound(final List<Entry> entries, final long t) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      final int mid = (lo + hi) >>> 1;
      if (entries.get(mid).time() <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
