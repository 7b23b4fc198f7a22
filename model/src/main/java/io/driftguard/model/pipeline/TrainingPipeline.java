package io.driftguard.model.pipeline;

import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.Json;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.dataset.TimeSplit;
import io.driftguard.model.dataset.TrainingSet;
import io.driftguard.model.dataset.TrainingSetBuilder;
import io.driftguard.model.eval.Evaluation;
import io.driftguard.model.eval.EvaluationConfig;
import io.driftguard.model.eval.EvaluationReport;
import io.driftguard.model.eval.Evaluator;
import io.driftguard.model.eval.LatencyMeasurement;
import io.driftguard.model.eval.Metric;
import io.driftguard.model.eval.ScoredSet;
import io.driftguard.model.gates.GateResult;
import io.driftguard.model.gates.Gates;
import io.driftguard.model.registry.Aliases;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.serving.LatencyProbe;
import io.driftguard.model.serving.ModelRunner;
import io.driftguard.model.train.LogisticBaseline;
import io.driftguard.model.train.TrainOptions;
import io.driftguard.model.train.Trainer;
import io.driftguard.model.train.TrainingConfig;
import io.driftguard.model.train.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The offline half end to end: data (generator or files) → point-in-time training set → Trainer (XGBoost, baseline,
 * calibration, threshold from the mistake budget) → evaluation on the time-split test set (candidate vs baseline vs
 * the registry's champion, candidate and champion scored through {@link ModelRunner}, i.e. DJL as in serving) and a
 * latency probe → report (Markdown, HTML, PNG; the iteration compact on top) → registration of the bundle → gates →
 * optional promotion.
 *
 * <p>Output in {@code outputDir}: {@code bundle/} (the artifact with reference profiles), {@code report/}
 * ({@code report.md}, {@code report.html}, charts, {@code training.md} with the training-set accounting, gate verdicts
 * and registry actions) and {@code summary.json}. A failed gate is a result, not an exception: the candidate is
 * registered but not promoted, and {@link PipelineResult#gates()} says why.
 */
public final class TrainingPipeline {
  /** Rows of the batch whose latency is measured repeatedly. */
  private static final int BATCH_REPEATS = 20;
  private static final int WARMUP_CALLS = 50;
  private static final long REPLAY_PROGRESS_EVERY = 10_000;

  private TrainingPipeline() {
  }

  /**
   * Runs the pipeline.
   *
   * @throws IllegalArgumentException on bad input (config, data that cannot be split, an existing bundle dir)
   * @throws IllegalStateException when the mistake budget cannot be met on validation
   */
  public static PipelineResult run(final PipelineRequest request, final PipelineListener listener)
      throws IOException {
    final PipelineListener progress = listener == null ? PipelineListener.logging() : listener;
    final PipelineConfig config = request.config();
    final TrainingConfig training = config.training();
    final Path bundleDir = request.outputDir().resolve("bundle");
    if (Files.exists(bundleDir)) {
      throw new IllegalArgumentException("output bundle directory already exists: " + bundleDir);
    }
    Files.createDirectories(request.outputDir());

    final DataSource source = request.dataSource();
    progress.onProgress(PipelineListener.Step.LOAD, "loading " + source.describe());
    final long loadStart = System.nanoTime();
    final DataSource.History history = source.load();
    progress.onProgress(PipelineListener.Step.LOAD, history.events().size() + " events and "
        + history.labels().size() + " labels loaded in " + seconds(loadStart));

    final FeatureSet featureSet = config.featureSet();
    progress.onProgress(PipelineListener.Step.TRAINING_SET, "replaying events through feature set '"
        + featureSet.name() + "' (" + featureSet.hash().substring(0, 12) + "), label cutoff "
        + config.trainingSet().labelCutoff());
    final long setStart = System.nanoTime();
    final TrainingSet trainingSet = TrainingSetBuilder.create(featureSet, config.trainingSet())
        .build(history.events(), history.labels(), REPLAY_PROGRESS_EVERY, n -> progress.onProgress(
            PipelineListener.Step.TRAINING_SET, n + " of " + history.events().size() + " events replayed"));
    final Dataset dataset = trainingSet.dataset();
    progress.onProgress(PipelineListener.Step.TRAINING_SET, dataset.size() + " rows (" + trainingSet.stats()
        .positives() + " positives), snapshot " + trainingSet.snapshotId().substring(0, 12) + ", in "
        + seconds(setStart));

    progress.onProgress(PipelineListener.Step.TRAIN, "training " + training.modelName() + " " + request.version()
        + " (" + training.xgboost().rounds() + " rounds)");
    final long trainStart = System.nanoTime();
    final TrainingResult trained = Trainer.train(training, dataset, bundleDir,
        new TrainOptions(request.version(), request.createdAt(), request.gitSha(), trainingSet.snapshotId()));
    final Manifest manifest = trained.bundle().manifest();
    final TimeSplit split = TimeSplit.of(dataset, training.split());
    if (split.validationFrom() != manifest.split().validationFrom() || split.testFrom() != manifest.split().testFrom()) {
      throw new IllegalStateException("the Trainer split at " + manifest.split() + " but the time split rule gives "
          + split + "; the two must agree");
    }
    progress.onProgress(PipelineListener.Step.TRAIN, "bundle " + bundleDir + " (test auc " + fmt(trained.metrics()
        .get("auc")) + ", threshold " + fmt(manifest.threshold()) + ") in " + seconds(trainStart));

    progress.onProgress(PipelineListener.Step.EVALUATE, "scoring the test split through ModelRunner");
    final Dataset train = split.train(dataset);
    final Dataset validation = split.validation(dataset);
    final Dataset test = split.test(dataset);
    final EvaluationConfig evalConfig = EvaluationConfig.defaults()
        .withBootstrap(config.evaluation().bootstrapResamples(), config.evaluation().seed());
    final String candidateName = training.modelName() + " " + request.version();
    final double[] candidateScores;
    final Map<String, Double> latency;
    final List<LatencyMeasurement> latencyRows = new ArrayList<>();
    try (ModelRunner runner = ModelRunner.open(ArtifactBundle.load(bundleDir, featureSet.hash()));
        ModelRunner.Session session = runner.newSession()) {
      candidateScores = session.score(test.rows());
      final double[][] probeRows = Arrays.copyOf(test.rows(), Math.min(test.size(),
          config.evaluation().latencyRows()));
      latency = LatencyProbe.measure(session, probeRows, WARMUP_CALLS);
      latencyRows.add(new LatencyMeasurement("single-row", 1, latency.get("p50_latency_ms") * 1000,
          latency.get("p99_latency_ms") * 1000));
      latencyRows.add(batchLatency(session, probeRows));
    }
    final EvaluationConfig candidateConfig = evalConfig.withThreshold(manifest.threshold());
    final Evaluation candidate = Evaluator.evaluate(scored(candidateName, candidateScores, test), candidateConfig);

    final LogisticBaseline baselineModel = LogisticBaseline.fit(train.rows(), train.labels());
    final double baselineThreshold = LogisticBaseline.threshold(training.mistakeBudget(),
        baselineModel.predict(validation.rows()), validation.labels());
    final ScoredSet baselineSet = scored("baseline (logistic regression)", baselineModel.predict(test.rows()), test);
    final Evaluation baseline = Evaluator.evaluate(baselineSet, evalConfig.withThreshold(baselineThreshold));

    final ModelRegistry registry = request.registryRoot() == null ? null
        : new ModelRegistry(request.registryRoot(), Clock.systemUTC());
    final Optional<ArtifactBundle> championBundle = registry == null ? Optional.empty()
        : registry.champion(training.modelName());
    Evaluation champion = null;
    String championNote = registry == null ? "no registry given" : "no champion yet";
    ScoredSet championSet = null;
    if (championBundle.isPresent()) {
      final Manifest cm = championBundle.get().manifest();
      if (!cm.featureSetHash().equals(featureSet.hash()) || !cm.featureNames().equals(dataset.featureNames())) {
        championNote = "champion " + cm.version() + " takes other inputs (feature set " + cm.featureSetHash()
            .substring(0, 12) + ", " + cm.featureNames().size() + " features); not scored on this test set";
      } else {
        try (ModelRunner runner = ModelRunner.open(championBundle.get());
            ModelRunner.Session session = runner.newSession()) {
          championSet = scored("champion " + cm.version(), session.score(test.rows()), test);
        }
        champion = Evaluator.evaluate(championSet, evalConfig.withThreshold(cm.threshold()));
        championNote = null;
      }
    }
    progress.onProgress(PipelineListener.Step.EVALUATE, "test roc_auc: candidate " + fmt(candidate.value(
        Metric.ROC_AUC)) + ", baseline " + fmt(baseline.value(Metric.ROC_AUC))
        + (champion == null ? " (" + championNote + ")" : ", champion " + fmt(champion.value(Metric.ROC_AUC)))
        + "; p99 single-row latency " + fmt(latency.get("p99_latency_ms")) + " ms");

    final Path reportDir = request.outputDir().resolve("report");
    final ScoredSet candidateSet = scored(candidateName, candidateScores, test);
    final EvaluationReport.Builder report = EvaluationReport.builder()
        .title("Training report: " + candidateName)
        // the manifest's copy is key-sorted; the config keeps the compact's own order
        .compact(training.compact().asOrderedMap())
        .candidate(candidate)
        .baseline(baseline, Evaluator.pairedDeltas(candidateSet, baselineSet, candidateConfig, baselineThreshold));
    if (champion != null) {
      report.champion(champion, Evaluator.pairedDeltas(candidateSet, championSet, candidateConfig,
          championBundle.get().manifest().threshold()));
    }
    latencyRows.forEach(report::latency);
    final EvaluationReport.ReportFiles files = report.build().write(reportDir);
    progress.onProgress(PipelineListener.Step.REPORT, "report " + files.html());

    ArtifactBundle bundle = trained.bundle();
    if (registry != null) {
      bundle = registry.register(trained.bundle(), request.who(), "trained by the training pipeline from "
          + source.describe() + ", training set " + trainingSet.snapshotId());
      progress.onProgress(PipelineListener.Step.REGISTER, "registered " + candidateName + " in "
          + registry.root());
    }
    final GateResult gates = Gates.evaluateCandidate(bundle, championBundle.orElse(null), latency);
    progress.onProgress(PipelineListener.Step.GATES, (gates.passed() ? "all gates passed" : gates.failures().size()
        + " gate(s) failed") + "\n" + gates.report());

    boolean promoted = false;
    if (request.promote()) {
      if (gates.passed()) {
        registry.promote(training.modelName(), request.version(), gates, request.who(),
            "gates passed in the training pipeline");
        promoted = true;
        progress.onProgress(PipelineListener.Step.PROMOTE, "promoted " + candidateName + " to champion");
      } else {
        progress.onProgress(PipelineListener.Step.PROMOTE, "not promoted: " + gates.failures().size()
            + " gate(s) failed");
      }
    }
    final Aliases aliases = registry == null ? null : registry.aliases(training.modelName());

    writeTrainingNotes(reportDir.resolve("training.md"), trainingSet, manifest, source, championNote, gates,
        promoted, aliases);
    final Path summary = request.outputDir().resolve("summary.json");
    writeSummary(summary, trainingSet, manifest, trained, candidate, baseline, champion, latency, gates, promoted,
        aliases, bundle);
    progress.onProgress(PipelineListener.Step.DONE, "summary " + summary);
    return new PipelineResult(trainingSet, trained, bundle, candidate, baseline, champion, championNote, latency,
        files, gates, promoted, aliases, summary);
  }

  private static ScoredSet scored(final String name, final double[] scores, final Dataset test) {
    return new ScoredSet(name, scores, test.labels(), test.sliceColumns());
  }

  /** Median and p99 of repeated whole-batch calls. */
  private static LatencyMeasurement batchLatency(final ModelRunner.Session session, final double[][] rows) {
    final long[] nanos = new long[BATCH_REPEATS];
    session.score(rows);
    for (int i = 0; i < nanos.length; i++) {
      final long start = System.nanoTime();
      session.score(rows);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    final double p50 = nanos[(int) Math.ceil(0.5 * nanos.length) - 1] / 1e3;
    final double p99 = nanos[(int) Math.ceil(0.99 * nanos.length) - 1] / 1e3;
    return new LatencyMeasurement("batch-" + rows.length, rows.length, Math.max(p50, 1e-3), Math.max(p99,
        Math.max(p50, 1e-3)));
  }

  private static void writeTrainingNotes(final Path file, final TrainingSet set, final Manifest manifest,
      final DataSource source, final String championNote, final GateResult gates, final boolean promoted,
      final Aliases aliases) throws IOException {
    final StringBuilder md = new StringBuilder();
    md.append("# Training run: ").append(manifest.name()).append(' ').append(manifest.version()).append("\n\n");
    md.append("## Training set\n\n| | |\n|---|---|\n");
    row(md, "data source", source.describe());
    row(md, "snapshot id", set.snapshotId());
    row(md, "feature set hash", manifest.featureSetHash());
    row(md, "label cutoff", set.config().labelCutoff().toString());
    row(md, "unlabelled events", set.config().unlabelled().name().toLowerCase(Locale.ROOT)
        + (set.config().negativeAfter() == null ? "" : " (negatives after " + set.config().negativeAfter() + ")"));
    row(md, "stale features", set.config().staleFeatures().name().toLowerCase(Locale.ROOT));
    set.stats().asMap().forEach((k, v) -> row(md, k, String.valueOf(v)));
    row(md, "split", "validation from " + Instant.ofEpochMilli(manifest.split().validationFrom()) + ", test from "
        + Instant.ofEpochMilli(manifest.split().testFrom()) + " (" + manifest.split().trainRows() + " / "
        + manifest.split().validationRows() + " / " + manifest.split().testRows() + " rows)");
    md.append("\n## Gates\n\n```\n").append(gates.report()).append("\n```\n\n");
    md.append(gates.passed() ? "All gates passed." : gates.failures().size() + " gate(s) failed.").append('\n');
    if (championNote != null) {
      md.append("\nChampion comparison: ").append(championNote).append(".\n");
    }
    md.append("\n## Registry\n\n");
    if (aliases == null) {
      md.append("Not registered (no registry given).\n");
    } else {
      md.append(promoted ? "Promoted to champion." : "Registered, not promoted.").append(" Aliases: champion=")
          .append(aliases.champion()).append(", previous=").append(aliases.previous()).append(", challenger=")
          .append(aliases.challenger()).append('\n');
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  private static void row(final StringBuilder md, final String k, final String v) {
    md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
  }

  private static void writeSummary(final Path file, final TrainingSet set, final Manifest manifest,
      final TrainingResult trained, final Evaluation candidate, final Evaluation baseline, final Evaluation champion,
      final Map<String, Double> latency, final GateResult gates, final boolean promoted, final Aliases aliases,
      final ArtifactBundle bundle) throws IOException {
    final Map<String, Object> s = new LinkedHashMap<>();
    s.put("model", manifest.name());
    s.put("version", manifest.version());
    s.put("artifactSha256", bundle.artifactSha256());
    s.put("bundle", bundle.dir().toString());
    s.put("trainingSetSnapshotId", set.snapshotId());
    s.put("datasetSnapshotId", manifest.datasetSnapshotId());
    s.put("featureSetHash", manifest.featureSetHash());
    s.put("labelCutoff", set.config().labelCutoff().toString());
    s.put("trainingSet", set.stats());
    s.put("threshold", manifest.threshold());
    s.put("trainerMetrics", trained.metrics());
    final Map<String, Object> test = new LinkedHashMap<>();
    test.put("candidate", values(candidate));
    test.put("baseline", values(baseline));
    if (champion != null) {
      test.put("champion", values(champion));
    }
    s.put("test", test);
    s.put("latency", latency);
    s.put("gatesPassed", gates.passed());
    s.put("gateFailures", gates.failures().stream().map(o -> o.gate() + ": " + o.detail()).toList());
    s.put("promoted", promoted);
    if (aliases != null) {
      final Map<String, Object> a = new LinkedHashMap<>();
      a.put("champion", aliases.champion());
      a.put("previous", aliases.previous());
      a.put("challenger", aliases.challenger());
      s.put("aliases", a);
    }
    Json.json().writeValue(file.toFile(), s);
  }

  private static Map<String, Double> values(final Evaluation e) {
    final Map<String, Double> m = new LinkedHashMap<>();
    for (final Metric metric : Metric.values()) {
      final double v = e.value(metric);
      if (Double.isFinite(v)) {
        m.put(metric.key(), v);
      }
    }
    return m;
  }

  private static String seconds(final long startNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  private static String fmt(final Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
