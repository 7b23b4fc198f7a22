package io.driftguard.model.profile;

import io.driftguard.model.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link ReferenceProfile}s from a dataset and its scores. */
public final class ProfileBuilder {
  /** Default number of quantile bins per numeric feature and of fixed score bins. */
  public static final int DEFAULT_BINS = 10;
  /**
   * Quantiles kept per numeric feature and for the scores: ranks 0, 0.01, ..., 1, so the reference CDF is known to
   * within 1% of rank everywhere (the bins alone pin it down only at their 9 edges).
   */
  public static final int DEFAULT_QUANTILES = 101;

  private ProfileBuilder() {
  }

  /**
   * @param features rows whose feature distributions are the reference (normally the training split)
   * @param scored rows that were scored out of sample (normally the validation split)
   * @param scores calibrated scores of {@code scored}, in row order
   */
  public static ReferenceProfile build(final Dataset features, final Dataset scored, final double[] scores,
      final int bins) {
    if (scores.length != scored.size()) {
      throw new IllegalArgumentException("scores (" + scores.length + ") must match scored rows (" + scored.size() + ")");
    }
    final List<NumericProfile> numeric = new ArrayList<>();
    final List<CategoricalProfile> categorical = new ArrayList<>();
    for (int c = 0; c < features.featureCount(); c++) {
      final String name = features.featureNames().get(c);
      final double[] column = new double[features.size()];
      for (int i = 0; i < column.length; i++) {
        column[i] = features.rows()[i][c];
      }
      if (features.isCategorical(name)) {
        final List<String> cats = features.categories().get(name);
        final String[] values = new String[column.length];
        for (int i = 0; i < column.length; i++) {
          values[i] = Double.isNaN(column[i]) ? null : cats.get((int) column[i]);
        }
        categorical.add(categorical(name, values));
      } else {
        numeric.add(numeric(name, column, bins));
      }
    }
    features.sliceColumns().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> categorical.add(categorical(e.getKey(), e.getValue())));
    return new ReferenceProfile(numeric, categorical, scores(scores, scored.labels(), bins));
  }

  public static NumericProfile numeric(final String name, final double[] column, final int bins) {
    final double[] present = Arrays.stream(column).filter(v -> !Double.isNaN(v)).sorted().toArray();
    final long n = column.length;
    final double nullRate = n == 0 ? 0.0 : (double) (n - present.length) / n;
    if (present.length == 0) {
      return new NumericProfile(name, n, nullRate, new double[0], new double[] {0.0}, null, null, null, null);
    }
    final double[] edges = Arrays.stream(quantileEdges(present, bins)).distinct().toArray();
    final NumericProfile shape = new NumericProfile(name, n, nullRate, edges, new double[edges.length + 1],
        null, null, null, null);
    final double[] proportions = new double[edges.length + 1];
    double sum = 0;
    for (final double v : present) {
      proportions[shape.binIndex(v)] += 1;
      sum += v;
    }
    for (int b = 0; b < proportions.length; b++) {
      proportions[b] /= present.length;
    }
    final double mean = sum / present.length;
    double ss = 0;
    for (final double v : present) {
      ss += (v - mean) * (v - mean);
    }
    final double std = Math.sqrt(ss / present.length);
    return new NumericProfile(name, n, nullRate, edges, proportions, mean, std, present[0],
        present[present.length - 1], quantiles(present, DEFAULT_QUANTILES));
  }

  /** {@code m} quantiles of sorted values at ranks {@code i / (m - 1)}, linear interpolation (type 7). */
  static double[] quantiles(final double[] sorted, final int m) {
    if (m < 2) {
      throw new IllegalArgumentException("quantile count must be >= 2, was " + m);
    }
    if (sorted.length == 0) {
      throw new IllegalArgumentException("quantiles of no values");
    }
    final double[] q = new double[m];
    for (int k = 0; k < m; k++) {
      final double pos = (double) k / (m - 1) * (sorted.length - 1);
      final int lo = (int) Math.floor(pos);
      final int hi = Math.min(sorted.length - 1, lo + 1);
      // Clamped between the neighbours so rounding can never make the sequence decrease.
      q[k] = Math.min(sorted[hi], Math.max(sorted[lo], sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo])));
    }
    q[0] = sorted[0];
    q[m - 1] = sorted[sorted.length - 1];
    for (int k = 1; k < m; k++) {
      q[k] = Math.max(q[k], q[k - 1]);
    }
    return q;
  }

  /** Inner quantile edges q(1/bins) .. q((bins-1)/bins) of sorted values, linear interpolation. */
  static double[] quantileEdges(final double[] sorted, final int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("bins must be >= 2, was " + bins);
    }
    final double[] edges = new double[bins - 1];
    for (int k = 1; k < bins; k++) {
      final double pos = (double) k / bins * (sorted.length - 1);
      final int lo = (int) Math.floor(pos);
      final int hi = Math.min(sorted.length - 1, lo + 1);
      edges[k - 1] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
    return edges;
  }

  public static CategoricalProfile categorical(final String name, final String[] values) {
    final Map<String, Double> counts = new LinkedHashMap<>();
    long present = 0;
    for (final String v : values) {
      if (v != null) {
        counts.merge(v, 1.0, Double::sum);
        present++;
      }
    }
    final long total = present;
    counts.replaceAll((k, c) -> c / total);
    final double nullRate = values.length == 0 ? 0.0 : (double) (values.length - present) / values.length;
    return new CategoricalProfile(name, values.length, nullRate, counts);
  }

  public static ScoreProfile scores(final double[] scores, final int[] labels, final int bins) {
    final double[] proportions = new double[bins];
    final ScoreProfile shape = new ScoreProfile(scores.length, proportions, 0, 0, 0);
    double sum = 0;
    double conf = 0;
    double positives = 0;
    for (int i = 0; i < scores.length; i++) {
      proportions[shape.binIndex(scores[i])] += 1;
      sum += scores[i];
      conf += Math.max(scores[i], 1 - scores[i]);
      positives += labels[i];
    }
    final int n = Math.max(1, scores.length);
    for (int b = 0; b < bins; b++) {
      proportions[b] /= n;
    }
    if (scores.length == 0) {
      return new ScoreProfile(0, proportions, 0, 0, 0);
    }
    final double mean = sum / n;
    double ss = 0;
    for (final double s : scores) {
      ss += (s - mean) * (s - mean);
    }
    final double[] sorted = scores.clone();
    Arrays.sort(sorted);
    return new ScoreProfile(scores.length, proportions, mean, conf / n, positives / n, Math.sqrt(ss / n),
        quantiles(sorted, DEFAULT_QUANTILES));
  }
}
