package io.driftguard.scoring;

import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small real XGBoost models over the demo feature set, trained through the model module and registered. */
final class TestModels {
  static final String MODEL = "fraud";
  static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");
  static final FeatureSet FEATURES = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE,
      Transaction.getClassSchema());
  /** Model inputs: five vector features and the event's own amount. */
  static final List<String> INPUTS = List.of("amount", "txn_count_10m", "txn_count_1h", "amount_mean_24h",
      "amount_max_24h", "seconds_since_last_txn");

  private TestModels() {
  }

  /**
   * Policies: txn_count_1h FALLBACK, amount_max_24h ABSTAIN, the rest IMPUTE. {@code seed} changes the data, so
   * two versions give different scores.
   */
  static ArtifactBundle train(final Path dir, final String version, final long seed) throws IOException {
    final TrainingConfig config = TrainingConfig.parse("""
        modelName: fraud
        xgboost: {maxDepth: 3, eta: 0.3, rounds: 20, seed: 7, nthread: 1}
        split: {validationFraction: 0.2, testFraction: 0.2}
        calibration: platt
        missingPolicy:
          defaultPolicy: IMPUTE
          features: {txn_count_1h: FALLBACK, amount_max_24h: ABSTAIN}
        gates: ["auc min 0.5"]
        compact:
          goal: catch fraud
          successMetric: recall
          mistakeBudget: "precision >= 0.3"
          rollbackPlan: roll back to the previous champion
        """);
    final int n = 3000;
    final SplittableRandom rnd = new SplittableRandom(seed);
    final double[][] rows = new double[n][];
    final int[] labels = new int[n];
    final long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      final double amount = Math.exp(3 + rnd.nextGaussian());
      final double c10 = rnd.nextInt(0, 4);
      final double c1h = c10 + rnd.nextInt(0, 6);
      final double mean = Math.exp(3 + 0.5 * rnd.nextGaussian());
      final double max = mean * (1 + rnd.nextDouble());
      final double since = rnd.nextDouble(0, 86_400);
      final double z = -2.5 + 0.01 * amount + 0.4 * c1h - 0.00002 * since + (seed % 2 == 0 ? 0.3 * c10 : 0);
      labels[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      rows[i] = new double[] {amount, c10, c1h, mean, max, since};
      times[i] = T0.toEpochMilli() - (long) (n - i) * 60_000;
    }
    final Dataset data = new Dataset(INPUTS, rows, labels, times, null, Map.of(), Map.of(), FEATURES.hash());
    return Trainer.train(config, data, dir.resolve("train-" + version), new TrainOptions(version, T0, "test"))
        .bundle();
  }

  static ModelRegistry registry(final Path root) {
    return new ModelRegistry(root, Clock.fixed(T0, ZoneOffset.UTC));
  }

  /** Breaks a registered version's model file, so its checksum no longer matches. */
  static void corrupt(final ModelRegistry registry, final String version) throws IOException {
    Files.writeString(registry.root().resolve(MODEL).resolve("versions").resolve(version).resolve("model.json"), " ",
        StandardOpenOption.APPEND);
  }
}
