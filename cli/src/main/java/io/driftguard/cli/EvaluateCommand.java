package io.driftguard.cli;

import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.dataset.TrainingSet;
import io.driftguard.model.dataset.TrainingSetBuilder;
import io.driftguard.model.eval.Evaluation;
import io.driftguard.model.eval.EvaluationConfig;
import io.driftguard.model.eval.EvaluationReport;
import io.driftguard.model.eval.Evaluator;
import io.driftguard.model.eval.LatencyMeasurement;
import io.driftguard.model.eval.Metric;
import io.driftguard.model.eval.ScoredSet;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.serving.LatencyProbe;
import io.driftguard.model.serving.ModelRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluation report for a registered version on held-out data, against the champion when there is one. */
@Command(
    name = "evaluate",
    description = {
        "Write an evaluation report (Markdown, HTML, PNG charts; the iteration compact on top) for a registered "
            + "model version: confusion matrix at its threshold, precision/recall/F1/ROC-AUC/PR-AUC/log loss/"
            + "Brier/ECE with bootstrap intervals, reliability plot, threshold sweep, slice metrics, error "
            + "clusters and scoring latency, compared with the current champion (paired deltas) and a no-skill "
            + "reference (the constant validation base rate).",
        "Rows: the history replayed through the config's feature set into a point-in-time training set, keeping "
            + "only events at or after the version's own test-split start, so nothing it was trained or "
            + "calibrated on is scored."})
final class EvaluateCommand implements Callable<Integer> {

    // no mixinStandardHelpOptions: its -V/--version would take the --version V this command needs
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private static final int LATENCY_ROWS = 1000;

    @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Model registry directory.")
    Path registry;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
    String model;

    @Option(names = "--version", required = true, paramLabel = "V", description = "Registered version.")
    String version;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Training pipeline YAML giving the feature set, training-set rules, bootstrap settings and "
            + "default generator. Default: the checked-in demo config.")
    Path config;

    @Option(names = "--data", split = ",", paramLabel = "PATH", description = DataFiles.DESCRIPTION)
    List<Path> data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Where report.md, report.html and the charts go.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter stdout = spec.commandLine().getOut();
        final ModelRegistry models = RegistryOptions.open(spec, registry);
        RegistryOptions.requireModel(spec, models, model);
        RegistryOptions.requireVersion(spec, models, model, version);
        final PipelineConfig pipeline = DataFiles.config(spec, config);
        final DataSource source = DataFiles.resolve(spec, data, pipeline);
        final ArtifactBundle candidate = models.show(model, version);
        final Manifest manifest = candidate.manifest();
        final FeatureSet featureSet = pipeline.featureSet();
        if (!featureSet.hash().equals(manifest.featureSetHash())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config: its feature set '"
                + featureSet.name() + "' has hash " + featureSet.hash() + " but " + model + " " + version
                + " was trained on " + manifest.featureSetHash());
        }

        final DataSource history = source != null ? source : DataSource.generator(pipeline.generator());
        stdout.println("Loading " + history.describe() + "...");
        stdout.flush();
        final DataSource.History loadedHistory = history.load();
        stdout.printf("Replaying %d events through feature set '%s'...%n", loadedHistory.events().size(),
            featureSet.name());
        stdout.flush();
        final TrainingSet set = TrainingSetBuilder.create(featureSet, pipeline.trainingSet())
            .build(loadedHistory.events(), loadedHistory.labels(), 50_000, n -> {
                stdout.printf("  %d of %d events replayed%n", n, loadedHistory.events().size());
                stdout.flush();
            });
        final Dataset all = set.dataset();
        if (!all.featureNames().equals(manifest.featureNames())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config: its training set gives inputs "
                + all.featureNames() + " but " + model + " " + version + " takes " + manifest.featureNames());
        }
        final Dataset held = all.between(manifest.split().testFrom(), Long.MAX_VALUE);
        if (held.size() == 0 || Arrays.stream(held.labels()).distinct().count() < 2) {
            throw new IllegalStateException("no usable held-out rows: " + held.size() + " labelled rows at or after "
                + java.time.Instant.ofEpochMilli(manifest.split().testFrom()) + " (the version's test-split start)"
                + " and both classes are needed; give --data reaching past that time");
        }
        final double[][] rows = encode(held, manifest);
        stdout.printf("Scoring %d held-out rows (%d positives)...%n", held.size(),
            Arrays.stream(held.labels()).sum());
        stdout.flush();

        final EvaluationConfig base = EvaluationConfig.defaults().withBootstrap(
            pipeline.evaluation().bootstrapResamples(), pipeline.evaluation().seed());
        final EvaluationConfig candidateConfig = base.withThreshold(manifest.threshold());
        final ScoredSet candidateSet;
        final Map<String, Double> latency;
        try (ModelRunner runner = ModelRunner.open(candidate); ModelRunner.Session session = runner.newSession()) {
            candidateSet = new ScoredSet(model + " " + version, session.score(rows), held.labels(),
                held.sliceColumns());
            latency = LatencyProbe.measure(session, Arrays.copyOf(rows, Math.min(rows.length, LATENCY_ROWS)), 50);
        }
        final Evaluation candidateEval = Evaluator.evaluate(candidateSet, candidateConfig);

        final double baseRate = manifest.referenceProfile() == null || manifest.referenceProfile().scores() == null
            ? 0.0 : manifest.referenceProfile().scores().positiveRate();
        final double[] constant = new double[rows.length];
        Arrays.fill(constant, baseRate);
        final ScoredSet noSkill = new ScoredSet("no-skill reference (constant base rate " + fmt(baseRate) + ")",
            constant, held.labels(), held.sliceColumns());
        final Evaluation noSkillEval = Evaluator.evaluate(noSkill, candidateConfig);

        final EvaluationReport.Builder report = EvaluationReport.builder()
            .title("Evaluation report: " + model + " " + version + " on " + history.describe())
            .compact(manifest.compact())
            .candidate(candidateEval)
            .baseline(noSkillEval, Evaluator.pairedDeltas(candidateSet, noSkill, candidateConfig))
            .latency(new LatencyMeasurement("single-row", 1, latency.get("p50_latency_ms") * 1000,
                latency.get("p99_latency_ms") * 1000));
        final Optional<ArtifactBundle> champion = models.champion(model);
        String championLine = "no champion";
        if (champion.isPresent() && champion.get().manifest().version().equals(version)) {
            championLine = version + " is the champion";
        } else if (champion.isPresent()) {
            final Manifest cm = champion.get().manifest();
            if (!cm.featureNames().equals(manifest.featureNames()) || !cm.featureSetHash()
                .equals(manifest.featureSetHash())) {
                championLine = "champion " + cm.version() + " takes other inputs; not compared";
            } else {
                final ScoredSet championSet;
                try (ModelRunner runner = ModelRunner.open(champion.get());
                     ModelRunner.Session session = runner.newSession()) {
                    championSet = new ScoredSet("champion " + cm.version(), session.score(encode(held, cm)),
                        held.labels(), held.sliceColumns());
                }
                final Evaluation championEval = Evaluator.evaluate(championSet, base.withThreshold(cm.threshold()));
                report.champion(championEval, Evaluator.pairedDeltas(candidateSet, championSet, candidateConfig,
                    cm.threshold()));
                championLine = "champion " + cm.version() + " roc_auc " + fmt(championEval.value(Metric.ROC_AUC));
            }
        }
        final EvaluationReport.ReportFiles files = report.build().write(out);
        stdout.printf("%s %s: roc_auc %s, pr_auc %s, ece %s, precision %s, recall %s at threshold %s; %s%n", model,
            version, fmt(candidateEval.value(Metric.ROC_AUC)), fmt(candidateEval.value(Metric.PR_AUC)),
            fmt(candidateEval.value(Metric.ECE)), fmt(candidateEval.value(Metric.PRECISION)),
            fmt(candidateEval.value(Metric.RECALL)), fmt(manifest.threshold()), championLine);
        stdout.println("Report: " + files.html());
        stdout.println("        " + files.markdown());
        stdout.flush();
        return 0;
    }

    /** Rows in the bundle's own category codes: the replay numbers categories by the values it saw. */
    static double[][] encode(final Dataset data, final Manifest manifest) {
        final double[][] rows = new double[data.size()][];
        final List<FeatureSpec> specs = manifest.features();
        for (int i = 0; i < data.size(); i++) {
            final double[] row = data.rows()[i].clone();
            for (int f = 0; f < specs.size(); f++) {
                final FeatureSpec spec = specs.get(f);
                if (spec.type() == FeatureSpec.Type.CATEGORICAL && !Double.isNaN(row[f])) {
                    final List<String> seen = data.categories().get(spec.name());
                    final int code = (int) row[f];
                    row[f] = seen == null || code < 0 || code >= seen.size() ? Double.NaN : spec.encode(seen.get(code));
                }
            }
            rows[i] = row;
        }
        return rows;
    }

    private static String fmt(final double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}
