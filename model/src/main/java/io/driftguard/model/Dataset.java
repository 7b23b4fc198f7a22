package io.driftguard.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A columnar training set: ordered feature names, one {@code double[]} per row ({@code NaN} = missing),
 * 0/1 labels and event times (epoch ms). Categorical features hold the index of their category in
 * {@link #categories()}. Slice columns (e.g. channel, country) are strings carried beside the model
 * inputs for evaluation and profiling; they are not model inputs.
 *
 * <p>Arrays are not copied (datasets are large); callers must not mutate them afterwards.
 *
 * @param featureNames ordered model inputs
 * @param rows rows x features
 * @param labels 0 or 1 per row
 * @param eventTimes epoch ms per row
 * @param eventIds optional id per row (null when absent)
 * @param sliceColumns slice name to one string per row (may be empty)
 * @param categories categorical feature name to its ordered categories (may be empty)
 * @param featureSetHash hash of the feature-set definition that produced the rows; derived from the
 *     names and categories when null
 */
public record Dataset(
    List<String> featureNames,
    double[][] rows,
    int[] labels,
    long[] eventTimes,
    List<String> eventIds,
    Map<String, String[]> sliceColumns,
    Map<String, List<String>> categories,
    String featureSetHash) {

  public Dataset {
    Objects.requireNonNull(featureNames, "featureNames");
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(eventTimes, "eventTimes");
    featureNames = List.copyOf(featureNames);
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException("featureNames must not be empty");
    }
    if (featureNames.stream().distinct().count() != featureNames.size()) {
      throw new IllegalArgumentException("featureNames contains duplicates: " + featureNames);
    }
    final int n = rows.length;
    if (labels.length != n || eventTimes.length != n) {
      throw new IllegalArgumentException("rows (" + n + "), labels (" + labels.length
          + ") and eventTimes (" + eventTimes.length + ") must have the same length");
    }
    for (int i = 0; i < n; i++) {
      if (rows[i] == null || rows[i].length != featureNames.size()) {
        throw new IllegalArgumentException("row " + i + " must have " + featureNames.size() + " values");
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("label of row " + i + " must be 0 or 1, was " + labels[i]);
      }
    }
    if (eventIds != null) {
      eventIds = List.copyOf(eventIds);
      if (eventIds.size() != n) {
        throw new IllegalArgumentException("eventIds must have " + n + " entries, has " + eventIds.size());
      }
    }
    sliceColumns = sliceColumns == null ? Map.of() : Map.copyOf(sliceColumns);
    sliceColumns.forEach((name, values) -> {
      if (values.length != n) {
        throw new IllegalArgumentException("slice column '" + name + "' must have " + n + " values");
      }
    });
    categories = categories == null ? Map.of() : Map.copyOf(categories);
    for (final Map.Entry<String, List<String>> e : categories.entrySet()) {
      final int col = featureNames.indexOf(e.getKey());
      if (col < 0) {
        throw new IllegalArgumentException("categorical feature '" + e.getKey() + "' is not a feature");
      }
      final int k = e.getValue().size();
      for (int i = 0; i < n; i++) {
        final double v = rows[i][col];
        if (!Double.isNaN(v) && (v != Math.rint(v) || v < 0 || v >= k)) {
          throw new IllegalArgumentException("row " + i + " of categorical feature '" + e.getKey()
              + "' must be a category index in [0," + k + "), was " + v);
        }
      }
    }
    if (featureSetHash == null) {
      final Sha256 h = Sha256.incremental();
      for (final String f : featureNames) {
        h.add(f);
        for (final String c : categories.getOrDefault(f, List.of())) {
          h.add(c);
        }
      }
      featureSetHash = h.hex();
    }
  }

  /** A numeric-only dataset without slices or ids. */
  public static Dataset of(final List<String> featureNames, final double[][] rows, final int[] labels,
      final long[] eventTimes) {
    return new Dataset(featureNames, rows, labels, eventTimes, null, Map.of(), Map.of(), null);
  }

  public Dataset withSlices(final Map<String, String[]> slices) {
    return new Dataset(featureNames, rows, labels, eventTimes, eventIds, slices, categories, featureSetHash);
  }

  public int size() {
    return rows.length;
  }

  public int featureCount() {
    return featureNames.size();
  }

  public boolean isCategorical(final String feature) {
    return categories.containsKey(feature);
  }

  /** Rows whose event time lies in [fromInclusive, toExclusive), in their original order. */
  public Dataset between(final long fromInclusive, final long toExclusive) {
    final List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < eventTimes.length; i++) {
      if (eventTimes[i] >= fromInclusive && eventTimes[i] < toExclusive) {
        keep.add(i);
      }
    }
    return select(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  Dataset select(final int[] idx) {
    final double[][] r = new double[idx.length][];
    final int[] l = new int[idx.length];
    final long[] t = new long[idx.length];
    final List<String> ids = eventIds == null ? null : new ArrayList<>(idx.length);
    final Map<String, String[]> slices = new LinkedHashMap<>();
    sliceColumns.forEach((k, v) -> slices.put(k, new String[idx.length]));
    for (int j = 0; j < idx.length; j++) {
      r[j] = rows[idx[j]];
      l[j] = labels[idx[j]];
      t[j] = eventTimes[idx[j]];
      if (ids != null) {
        ids.add(eventIds.get(idx[j]));
      }
      final int row = idx[j];
      final int target = j;
      sliceColumns.forEach((k, v) -> slices.get(k)[target] = v[row]);
    }
    return new Dataset(featureNames, r, l, t, ids, slices, categories, featureSetHash);
  }

  /**
   * Content identity of this dataset under a given config: SHA-256 over names, rows (raw double bits),
   * labels, times, categories and the config hash. Slice columns and ids are descriptive and excluded.
   */
  public String snapshotId(final String configHash) {
    final Sha256 h = Sha256.incremental().add("driftguard-dataset-v1").add(featureSetHash);
    featureNames.forEach(h::add);
    h.add(rows.length);
    for (int i = 0; i < rows.length; i++) {
      for (final double v : rows[i]) {
        h.add(v);
      }
      h.add(labels[i]).add(eventTimes[i]);
    }
    return h.add(configHash).hex();
  }

  @Override
  public String toString() {
    return "Dataset[features=" + featureNames + ", rows=" + rows.length + ", positives="
        + Arrays.stream(labels).sum() + "]";
  }
}
