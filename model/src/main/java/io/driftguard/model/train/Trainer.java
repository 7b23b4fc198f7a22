package io.driftguard.model.train;

import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.BundleWriter;
import io.driftguard.model.bundle.EngineInfo;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.bundle.Preprocessor;
import io.driftguard.model.calibration.Calibration;
import io.driftguard.model.profile.ProfileBuilder;
import io.driftguard.model.profile.ReferenceProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one model version end to end: time split, XGBoost on train, calibration and threshold on
 * validation, metrics on test, a logistic-regression baseline, the reference profile, and the bundle.
 * Same config, data and options give a byte-identical {@code model.json} and manifest.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {
  }

  /** Loads the YAML config at {@code configPath} and trains; see {@link #train(TrainingConfig, Dataset, Path, TrainOptions)}. */
  public static TrainingResult train(final Path configPath, final Dataset dataset, final Path bundleDir,
      final TrainOptions options) throws IOException {
    return train(TrainingConfig.load(configPath), dataset, bundleDir, options);
  }

  /**
   * @param bundleDir the bundle directory to create (must not exist)
   * @throws IllegalArgumentException when the data does not fit the config (e.g. an empty split)
   * @throws IllegalStateException when the mistake budget cannot be met on validation
   */
  public static TrainingResult train(final TrainingConfig config, final Dataset dataset, final Path bundleDir,
      final TrainOptions options) throws IOException {
    final String configHash = config.configHash();
    final long[] cuts = config.split().cuts(dataset);
    final Dataset train = dataset.between(Long.MIN_VALUE, cuts[0]);
    final Dataset validation = dataset.between(cuts[0], cuts[1]);
    final Dataset test = dataset.between(cuts[1], Long.MAX_VALUE);
    requireUsable("train", train);
    requireUsable("validation", validation);
    requireUsable("test", test);

    final List<FeatureSpec> specs = featureSpecs(config, train);
    final Preprocessor pre = new Preprocessor(specs);

    final byte[] modelJson;
    final float[] rawValidation;
    final float[] rawTest;
    try {
      final Booster booster = fitBooster(config.xgboost(), pre, train);
      try {
        modelJson = booster.toByteArray("json");
        rawValidation = predict(booster, pre, validation);
        rawTest = predict(booster, pre, test);
      } finally {
        booster.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    }

    final Calibration calibration = Calibration.fit(config.calibration(), toDouble(rawValidation),
        validation.labels());
    final double[] validationScores = calibrate(calibration, rawValidation);
    final double[] testScores = calibrate(calibration, rawTest);
    final MistakeBudget budget = config.mistakeBudget();
    final double threshold = ThresholdRule.choose(budget, validationScores, validation.labels());

    final Map<String, Double> metrics = new TreeMap<>(scoreMetrics(testScores, test.labels(), threshold));
    scoreMetrics(validationScores, validation.labels(), threshold)
        .forEach((k, v) -> metrics.put("validation_" + k, v));
    final LogisticBaseline baseline = LogisticBaseline.fit(train.rows(), train.labels());
    final double[] baselineTest = baseline.predict(test.rows());
    metrics.put("baseline_auc", Metrics.auc(baselineTest, test.labels()));
    metrics.put("baseline_logloss", Metrics.logLoss(baselineTest, test.labels()));
    metrics.values().removeIf(v -> !Double.isFinite(v));
    final Map<String, Map<String, Double>> sliceMetrics = sliceMetrics(config, test, testScores, threshold);

    final ReferenceProfile profile = ProfileBuilder.build(train, validation, validationScores,
        ProfileBuilder.DEFAULT_BINS);
    final Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, config.modelName(), options.version(),
        options.createdAt(), options.gitSha() != null ? options.gitSha() : GitSha.current(), configHash,
        options.datasetSnapshotId() != null ? options.datasetSnapshotId() : dataset.snapshotId(configHash),
        dataset.featureSetHash(), specs, config.missingPolicy().defaultPolicy(),
        threshold, budget.toString(), calibration, EngineInfo.current(),
        new Manifest.SplitInfo(cuts[0], cuts[1], train.size(), validation.size(), test.size()),
        metrics, sliceMetrics, config.gates(), config.compact().asOrderedMap(), profile);
    final ArtifactBundle bundle = BundleWriter.write(bundleDir, manifest, modelJson);
    LOG.info("trained {} {}: test auc={} baseline auc={} threshold={} ({}), bundle {} sha256={}",
        config.modelName(), options.version(), metrics.get("auc"), metrics.get("baseline_auc"), threshold,
        budget, bundleDir, bundle.artifactSha256());
    return new TrainingResult(bundle, Map.copyOf(metrics), Map.copyOf(sliceMetrics));
  }

  private static void requireUsable(final String name, final Dataset split) {
    final int positives = Arrays.stream(split.labels()).sum();
    if (split.size() == 0 || positives == 0 || positives == split.size()) {
      throw new IllegalArgumentException("the " + name + " split must hold both labels; it has " + split.size()
          + " rows and " + positives + " positives (check split cut points)");
    }
  }

  private static List<FeatureSpec> featureSpecs(final TrainingConfig config, final Dataset train) {
    for (final String f : config.missingPolicy().features().keySet()) {
      if (!train.featureNames().contains(f)) {
        throw new IllegalArgumentException("missingPolicy.features." + f + " is not a feature of the dataset "
            + train.featureNames());
      }
    }
    final List<FeatureSpec> specs = new ArrayList<>();
    for (int c = 0; c < train.featureCount(); c++) {
      final String name = train.featureNames().get(c);
      if (train.isCategorical(name)) {
        // XGBoost learns a direction for missing categories; imputing a code would invent a category
        specs.add(new FeatureSpec(name, FeatureSpec.Type.CATEGORICAL, null, null, null,
            train.categories().get(name), config.missingPolicy().policyFor(name)));
        continue;
      }
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      int k = 0;
      for (final double[] row : train.rows()) {
        final double v = row[c];
        if (!Double.isNaN(v)) {
          sum += v;
          min = Math.min(min, v);
          max = Math.max(max, v);
          k++;
        }
      }
      specs.add(new FeatureSpec(name, FeatureSpec.Type.NUMERIC, k == 0 ? null : sum / k, k == 0 ? null : min,
          k == 0 ? null : max, null, config.missingPolicy().policyFor(name)));
    }
    return specs;
  }

  private static Booster fitBooster(final TrainingConfig.XgbParams params, final Preprocessor pre,
      final Dataset train) throws XGBoostError {
    final DMatrix matrix = matrix(pre, train);
    try {
      final Map<String, DMatrix> watches = new HashMap<>();
      return XGBoost.train(matrix, params.toBoosterParams(), params.rounds(), watches, null, null);
    } finally {
      matrix.dispose();
    }
  }

  private static DMatrix matrix(final Preprocessor pre, final Dataset data) throws XGBoostError {
    final DMatrix m = new DMatrix(pre.toModelInput(data.rows()), data.size(), data.featureCount(), Float.NaN);
    final float[] labels = new float[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.labels()[i];
    }
    m.setLabel(labels);
    return m;
  }

  private static float[] predict(final Booster booster, final Preprocessor pre, final Dataset data)
      throws XGBoostError {
    final DMatrix m = matrix(pre, data);
    try {
      final float[][] out = booster.predict(m);
      final float[] flat = new float[out.length];
      for (int i = 0; i < out.length; i++) {
        flat[i] = out[i][0];
      }
      return flat;
    } finally {
      m.dispose();
    }
  }

  private static double[] toDouble(final float[] f) {
    final double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double[] calibrate(final Calibration calibration, final float[] raw) {
    final double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = calibration.apply(raw[i]);
    }
    return out;
  }

  static Map<String, Double> scoreMetrics(final double[] scores, final int[] labels, final double threshold) {
    final Map<String, Double> m = new LinkedHashMap<>();
    final Metrics.Confusion c = Metrics.Confusion.at(scores, labels, threshold);
    m.put("rows", (double) scores.length);
    m.put("positives", (double) (c.tp() + c.fn()));
    m.put("auc", Metrics.auc(scores, labels));
    m.put("logloss", Metrics.logLoss(scores, labels));
    m.put("brier", Metrics.brier(scores, labels));
    m.put("ece", Metrics.ece(scores, labels));
    m.put("precision", c.precision());
    m.put("recall", c.recall());
    m.put("fpr", c.fpr());
    m.put("flagged_rate", c.flaggedRate());
    return m;
  }

  private static Map<String, Map<String, Double>> sliceMetrics(final TrainingConfig config, final Dataset test,
      final double[] scores, final double threshold) {
    final List<String> columns = config.compact().evalSlices().isEmpty()
        ? new ArrayList<>(new TreeSet<>(test.sliceColumns().keySet()))
        : config.compact().evalSlices();
    final Map<String, Map<String, Double>> out = new TreeMap<>();
    for (final String column : columns) {
      final String[] values = test.sliceColumns().get(column);
      if (values == null) {
        throw new IllegalArgumentException("compact.evalSlices names '" + column + "' but the dataset has slice "
            + "columns " + new TreeSet<>(test.sliceColumns().keySet()));
      }
      for (final String value : new TreeSet<>(Arrays.stream(values)
          .filter(Objects::nonNull).toList())) {
        final int[] idx = IntStream.range(0, values.length)
            .filter(i -> value.equals(values[i])).toArray();
        final double[] s = new double[idx.length];
        final int[] l = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
          s[j] = scores[idx[j]];
          l[j] = test.labels()[idx[j]];
        }
        final Map<String, Double> m = new TreeMap<>(scoreMetrics(s, l, threshold));
        m.values().removeIf(v -> !Double.isFinite(v));
        out.put(column + "=" + value, m);
      }
    }
    return out;
  }
}
