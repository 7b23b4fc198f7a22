package io.driftguard.model;

import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.model.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded synthetic data with a known signal, and a standard config, shared by the model tests. */
public final class TestData {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final Instant CREATED = Instant.parse("2026-02-01T12:00:00Z");
  public static final List<String> FEATURES = List.of("amount", "velocity_1h", "age_days", "foreign", "noise");

  private TestData() {
  }

  /**
   * {@code n} rows over 30 days, one every few minutes. The label depends on amount, velocity and foreign
   * (plus an interaction); {@code noise} carries no signal and is missing 10% of the time.
   */
  public static Dataset dataset(final int n, final long seed) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final double[][] rows = new double[n][];
    final int[] labels = new int[n];
    final long[] times = new long[n];
    final String[] channel = new String[n];
    final long span = 30L * 24 * 3600 * 1000;
    for (int i = 0; i < n; i++) {
      final double amount = Math.exp(3 + rnd.nextGaussian());
      final double velocity = rnd.nextInt(0, 8);
      final double age = rnd.nextDouble(0, 2000);
      final double foreign = rnd.nextDouble() < 0.2 ? 1 : 0;
      final double noise = rnd.nextDouble() < 0.1 ? Double.NaN : rnd.nextGaussian();
      final boolean online = rnd.nextDouble() < 0.4;
      final double z = -3.0 + 0.012 * amount + 0.45 * velocity - 0.0008 * age + 1.2 * foreign
          + (online ? 0.8 : 0) + 0.6 * foreign * (velocity > 4 ? 1 : 0);
      labels[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      rows[i] = new double[] {amount, velocity, age, foreign, noise};
      times[i] = T0.toEpochMilli() + (long) i * span / n;
      channel[i] = online ? "ONLINE" : "POS";
    }
    return Dataset.of(FEATURES, rows, labels, times).withSlices(Map.of("channel", channel));
  }

  public static String configYaml(final String calibration, final String budget) {
    return """
        modelName: fraud
        xgboost:
          maxDepth: 3
          eta: 0.2
          rounds: 30
          seed: 7
          nthread: 1
        split:
          validationFraction: 0.2
          testFraction: 0.2
        calibration: %s
        missingPolicy:
          defaultPolicy: IMPUTE
          features:
            velocity_1h: ABSTAIN
        gates:
          - auc min 0.7
          - ece max 0.1
          - slice channel=ONLINE recall min 0.1
        compact:
          goal: Catch card fraud before authorisation completes
          whoCares: fraud operations
          decisionOwner: head of fraud
          successMetric: recall at the budgeted precision
          guardrailMetrics: [fpr, p99_latency_ms]
          mistakeBudget: "%s"
          unacceptableMistakes: blocking many good customers
          acceptableMistakes: some small frauds missed
          assumptions: [labels arrive within 30 days]
          labelSource: chargebacks
          labelDelay: 7d
          evalSlices: [channel]
          knownRisks: [new merchants]
          rollbackPlan: roll back to the previous champion via the registry
        """.formatted(calibration, budget);
  }

  public static TrainingConfig config() {
    return TrainingConfig.parse(configYaml("platt", "precision >= 0.5"));
  }

  public static TrainingResult train(final Path bundleDir, final String version) throws IOException {
    return Trainer.train(config(), dataset(4000, 11), bundleDir, new TrainOptions(version, CREATED, "abc123"));
  }
}
