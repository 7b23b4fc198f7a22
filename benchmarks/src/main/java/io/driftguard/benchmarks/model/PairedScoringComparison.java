package io.driftguard.benchmarks.model;

import java.io.IOException;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * ModelRunner/xgboost4j time ratio measured in interleaved blocks in one JVM: block k times path A then path B on
 * the same rows (B then A on odd blocks), and the reported ratio is the median over blocks of tA/tB. Load on a shared
 * machine drifts over seconds; two paths timed milliseconds apart see the same load, so their ratio is far steadier
 * than the ratio of two JMH results taken minutes apart. A complement to {@link ModelRunnerBenchmark}, not a
 * replacement: JMH still gives the absolute numbers and the warm-up discipline.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.driftguard.benchmarks.model.PairedScoringComparison [blocks]}
 */
public final class PairedScoringComparison {
  private static final int SINGLE_ROWS_PER_BLOCK = 256;
  private static final int BATCHES_PER_BLOCK = 32;
  private static final long WARMUP_NANOS = 10_000_000_000L;

  private PairedScoringComparison() {
  }

  public static void main(final String[] args) throws IOException, XGBoostError {
    final int blocks = args.length > 0 ? parseBlocks(args[0]) : 300;
    long sink = 0;
    try (ScoringFixture f = new ScoringFixture()) {
      final long warmEnd = System.nanoTime() + WARMUP_NANOS;
      int w = 0;
      while (System.nanoTime() < warmEnd) {
        sink += Double.doubleToLongBits(f.runnerRow(w)) + Float.floatToIntBits(f.xgboostRow(w));
        if (w % 64 == 0) {
          sink += f.runnerBatch(w).length + f.xgboostBatch(w).length;
        }
        w++;
      }
      final double[][] single = new double[3][blocks];
      final double[][] batch = new double[3][blocks];
      int row = 0;
      int b = 0;
      for (int k = 0; k < blocks; k++) {
        final boolean runnerFirst = k % 2 == 0;
        long tRunner = 0;
        long tXgb = 0;
        for (int pass = 0; pass < 2; pass++) {
          final boolean runner = (pass == 0) == runnerFirst;
          final long t0 = System.nanoTime();
          for (int i = 0; i < SINGLE_ROWS_PER_BLOCK; i++) {
            sink += runner ? Double.doubleToLongBits(f.runnerRow(row + i)) : Float.floatToIntBits(f.xgboostRow(row + i));
          }
          final long dt = System.nanoTime() - t0;
          if (runner) {
            tRunner = dt;
          } else {
            tXgb = dt;
          }
        }
        row += SINGLE_ROWS_PER_BLOCK;
        record(single, k, tRunner, tXgb, SINGLE_ROWS_PER_BLOCK);

        for (int pass = 0; pass < 2; pass++) {
          final boolean runner = (pass == 0) == runnerFirst;
          final long t0 = System.nanoTime();
          for (int i = 0; i < BATCHES_PER_BLOCK; i++) {
            sink += runner ? f.runnerBatch(b + i).length : f.xgboostBatch(b + i).length;
          }
          final long dt = System.nanoTime() - t0;
          if (runner) {
            tRunner = dt;
          } else {
            tXgb = dt;
          }
        }
        b += BATCHES_PER_BLOCK;
        record(batch, k, tRunner, tXgb, BATCHES_PER_BLOCK * ScoringFixture.BATCH);
      }
      System.out.printf("paired blocks: %d (alternating order), OMP_NUM_THREADS=%s, %d CPUs, load avg %.2f%n", blocks,
          System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.println("| rows per call | ModelRunner µs/row (median) | xgboost4j µs/row (median) "
          + "| ratio ModelRunner/xgboost4j: median [p25, p75] |");
      System.out.println("|---|---:|---:|---|");
      print("1", single);
      print(Integer.toString(ScoringFixture.BATCH), batch);
      // Printed so the JIT cannot drop the scoring calls.
      System.out.println("(checksum " + Long.toHexString(sink) + ")");
    }
  }

  private static int parseBlocks(final String s) {
    try {
      final int n = Integer.parseInt(s);
      if (n < 2) {
        throw new IllegalArgumentException("blocks: must be >= 2, got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("blocks: not a whole number: '" + s + "'", e);
    }
  }

  private static void record(final double[][] into, final int k, final long tRunner, final long tXgb,
      final int rows) {
    into[0][k] = tRunner / 1e3 / rows;
    into[1][k] = tXgb / 1e3 / rows;
    into[2][k] = (double) tRunner / tXgb;
  }

  private static void print(final String rowsPerCall, final double[][] m) {
    final double[] runner = m[0].clone();
    final double[] xgb = m[1].clone();
    final double[] ratio = m[2].clone();
    Arrays.sort(runner);
    Arrays.sort(xgb);
    Arrays.sort(ratio);
    System.out.printf("| %s | %.1f | %.1f | %.2f [%.2f, %.2f] |%n", rowsPerCall, q(runner, 0.5), q(xgb, 0.5),
        q(ratio, 0.5), q(ratio, 0.25), q(ratio, 0.75));
  }

  private static double q(final double[] sorted, final double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
  }
}
