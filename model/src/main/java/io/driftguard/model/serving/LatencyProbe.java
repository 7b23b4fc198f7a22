package io.driftguard.model.serving;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures scoring latency through a session, for the latency gates ({@code p99_latency_ms}). It is a
 * probe on the current machine, not a benchmark: the numbers go next to the evaluation metrics.
 */
public final class LatencyProbe {
  private LatencyProbe() {
  }

  /**
   * Scores every row alone (after {@code warmup} unmeasured calls), then all rows as one batch.
   *
   * @return {@code p50_latency_ms}, {@code p99_latency_ms}, {@code max_latency_ms} for single rows and
   *     {@code batch_latency_us_per_row}
   */
  public static Map<String, Double> measure(final ModelRunner.Session session, final double[][] rows,
      final int warmup) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("latency probe needs at least one row");
    }
    for (int i = 0; i < warmup; i++) {
      session.score(rows[i % rows.length]);
    }
    final long[] nanos = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      final long start = System.nanoTime();
      session.score(rows[i]);
      nanos[i] = System.nanoTime() - start;
    }
    final long batchStart = System.nanoTime();
    session.score(rows);
    final long batchNanos = System.nanoTime() - batchStart;
    Arrays.sort(nanos);
    final Map<String, Double> out = new LinkedHashMap<>();
    out.put("p50_latency_ms", percentile(nanos, 0.50) / 1e6);
    out.put("p99_latency_ms", percentile(nanos, 0.99) / 1e6);
    out.put("max_latency_ms", nanos[nanos.length - 1] / 1e6);
    out.put("batch_latency_us_per_row", batchNanos / 1e3 / rows.length);
    return out;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(final long[] sorted, final double q) {
    final int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
