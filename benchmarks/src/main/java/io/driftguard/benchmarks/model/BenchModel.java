package io.driftguard.benchmarks.model;

import io.driftguard.model.Dataset;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic fraud-like dataset and the model the benchmarks score with. The model is sized like the one
 * DESIGN.md's baselines used (20 features, 100 rounds), trained through the model module's own {@link Trainer}, so the
 * benchmark scores a real bundle with real preprocessing and calibration.
 */
final class BenchModel {
  static final int FEATURES = 20;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private BenchModel() {
  }

  static List<String> featureNames() {
    final List<String> names = new ArrayList<>(FEATURES);
    for (int i = 0; i < FEATURES; i++) {
      names.add("f" + i);
    }
    return names;
  }

  /**
   * {@code n} raw rows: lognormal, count-like and Gaussian columns, 5% missing in every fourth column. The label is
   * a logistic function of a few columns and one interaction, so the trees are deep and realistic, not stumps.
   */
  static double[][] rows(final int n, final long seed) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final double[][] rows = new double[n][FEATURES];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < FEATURES; c++) {
        final double v = switch (c % 3) {
          case 0 -> Math.exp(3 + rnd.nextGaussian());
          case 1 -> rnd.nextInt(0, 12);
          default -> rnd.nextGaussian();
        };
        rows[i][c] = c % 4 == 3 && rnd.nextDouble() < 0.05 ? Double.NaN : v;
      }
    }
    return rows;
  }

  static Dataset dataset(final int n, final long seed) {
    final double[][] rows = rows(n, seed);
    final SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    final int[] labels = new int[n];
    final long[] times = new long[n];
    final long span = 30L * 24 * 3600 * 1000;
    for (int i = 0; i < n; i++) {
      final double[] r = rows[i];
      final double z = -3.5 + 0.01 * r[0] + 0.3 * r[1] + 0.8 * r[2] + 0.4 * r[5] * (r[4] > 6 ? 1 : 0)
          - 0.5 * (Double.isNaN(r[11]) ? 0 : r[11]) + 0.002 * r[6];
      labels[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      times[i] = T0.toEpochMilli() + (long) i * span / n;
    }
    return Dataset.of(featureNames(), rows, labels, times);
  }

  static TrainingConfig config() {
    return TrainingConfig.parse("""
        modelName: bench
        xgboost:
          maxDepth: 6
          eta: 0.1
          rounds: 100
          seed: 7
          nthread: 1
        split:
          validationFraction: 0.2
          testFraction: 0.2
        calibration: platt
        missingPolicy:
          defaultPolicy: IMPUTE
        gates:
          - auc min 0.6
        compact:
          goal: Benchmark scoring cost
          whoCares: driftguard maintainers
          decisionOwner: benchmarks
          successMetric: ModelRunner within 1.1x of raw xgboost4j
          guardrailMetrics: [p99_latency_ms]
          mistakeBudget: "precision >= 0.1"
          unacceptableMistakes: none, synthetic data
          acceptableMistakes: all, synthetic data
          assumptions: [synthetic data]
          labelSource: synthetic
          labelDelay: 1d
          evalSlices: []
          knownRisks: [none]
          rollbackPlan: not applicable
        """);
  }

  /** Trains on {@code rows} seeded rows into {@code bundleDir} (which must not exist). */
  static TrainingResult train(final Path bundleDir, final int rows, final long seed) throws IOException {
    return Trainer.train(config(), dataset(rows, seed), bundleDir, new TrainOptions("bench-1", T0, "bench"));
  }
}
