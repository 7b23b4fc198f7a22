package io.driftguard.cli;

import io.driftguard.avro.FeatureVector;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureReplay;
import io.driftguard.features.FeatureSet;
import io.driftguard.features.FeatureStreamSettings;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.scoring.FallbackRule;
import io.driftguard.scoring.OfflineScorer;
import io.driftguard.scoring.ScoringConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code driftguard score}: batch scoring through the stream scorer's code path. Events are replayed through
 * {@link FeatureReplay} in file order; each is scored with its entity's vector as of {@code t - 1 ms} among the
 * vectors of events read before it (the versioned-store lookup of scoring-stream, and TrainingSetBuilder's rule),
 * beside its own fields, by {@link OfflineScorer}.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
        "Score a file of events offline, with the same code as scoring-stream: the feature replay, the point-in-time "
            + "lookup (the entity's vector as of t - 1 ms plus the event's own fields), the artifact's validation "
            + "and missing-value policies, and the fallback rule. One Prediction per event that passes the data "
            + "contract; events that break it are counted and skipped.",
        "Exit codes: 0 done, 1 failure, 2 bad option, unknown model or version, or missing file."})
final class ScoreCommand implements Callable<Integer> {

    enum Format { jsonl, avro }

    @Option(names = "--input", required = true, paramLabel = "FILE",
        description = "Events: a JSON-lines timeline (.jsonl, labels in it are ignored) or an Avro container of "
            + "Transaction (.avro), as 'driftguard generate' writes them, in arrival order.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "Where the predictions go (overwritten).")
    Path output;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|avro",
        description = "jsonl: one Prediction as JSON per line; avro: an Avro container of Prediction. "
            + "Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--registry", required = true, paramLabel = "DIR", description = "Model registry.")
    Path registry;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Registered model name.")
    String model;

    @Option(names = "--version", paramLabel = "V",
        description = "Version to score with. Default: the champion, then the known-good chain, as the scorer does.")
    String version;

    @Option(names = "--feature-set", defaultValue = FeatureStreamSettings.CLASSPATH + "features/transactions.yaml",
        paramLabel = "SET", description = "The feature set the model was trained on: classpath:<resource> or a "
            + "file. Default: ${DEFAULT-VALUE}.")
    String featureSet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkModel();
        if (!Files.isRegularFile(input)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input: no such file " + input);
        }
        final FeatureSet set;
        try {
            set = FeatureApp.loadFeatureSet(new FeatureStreamSettings(featureSet, null, null, null));
        } catch (final RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--feature-set: " + e.getMessage());
        }
        final List<Transaction> events = read(input);
        // Offline there is no deadline to protect: a slow call must not turn into a rule answer.
        final ScoringConfig config = new ScoringConfig(model, registry, null, Duration.ofMinutes(5), null, null, null,
            null, FallbackRule.defaults());
        final List<Prediction> predictions = new ArrayList<>();
        final Map<String, TreeMap<Long, FeatureVector>> history = new HashMap<>();
        final long[] skipped = new long[1];
        try (OfflineScorer scorer = OfflineScorer.open(config, set, version, Clock.systemUTC())) {
            FeatureReplay.builder(set).build().stream(events.iterator(), new FeatureReplay.Listener() {
                @Override
                public void onVector(final long index, final FeatureVector vector) {
                    score(scorer, set, events.get((int) index), history, predictions, skipped);
                    history.computeIfAbsent(vector.getEntityId(), k -> new TreeMap<>())
                        .put(vector.getEventTime().toEpochMilli(), vector);
                }

                @Override
                public void onReject(final FeatureReplay.Reject reject) {
                    // LATE for the feature stream is still scored by scoring-stream; a contract breach is not
                    score(scorer, set, events.get((int) reject.index()), history, predictions, skipped);
                }
            });
        }
        write(predictions);
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("Scored %d of %d events with %s %s into %s (%s); %d skipped (data contract)%n", predictions.size(),
            events.size(), model, version == null ? "(champion)" : version, output, format, skipped[0]);
        out.flush();
        return 0;
    }

    private static void score(final OfflineScorer scorer, final FeatureSet set, final GenericRecord event,
                              final Map<String, TreeMap<Long, FeatureVector>> history,
                              final List<Prediction> predictions, final long[] skipped) {
        final String entity = String.valueOf(event.get(set.entityKeyField()));
        final Object time = event.get(set.timestampField());
        final long t = time instanceof java.time.Instant i ? i.toEpochMilli() : ((Number) time).longValue();
        final TreeMap<Long, FeatureVector> vectors = history.get(entity);
        final Map.Entry<Long, FeatureVector> before = vectors == null ? null : vectors.floorEntry(t - 1);
        try {
            predictions.add(scorer.score(event, before == null ? null : before.getValue()));
        } catch (final IllegalArgumentException e) {
            skipped[0]++;
        }
    }

    private void checkModel() throws IOException {
        if (!Files.isDirectory(registry)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--registry: no model registry at "
                + registry);
        }
        final ModelRegistry models = new ModelRegistry(registry, Clock.systemUTC());
        if (!models.models().contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model: '" + model + "' is not "
                + "registered in " + registry + "; registered: " + models.models());
        }
        final List<String> versions = models.versions(model);
        if (version != null && !versions.contains(version)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--version: model " + model + " has no "
                + "version '" + version + "'; registered: " + versions);
        }
        if (version == null && models.aliases(model).champion() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--version: model " + model + " has no "
                + "champion; name a version");
        }
    }

    private static List<Transaction> read(final Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".avro")) {
            final List<Transaction> events = new ArrayList<>();
            try (DataFileReader<Transaction> reader = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(Transaction.class))) {
                reader.forEach(events::add);
            }
            return events;
        }
        return DataSource.jsonLines(file).load().events();
    }

    private void write(final List<Prediction> predictions) throws IOException {
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        if (format == Format.avro) {
            try (DataFileWriter<Prediction> writer = new DataFileWriter<>(new SpecificDatumWriter<>(Prediction.class))) {
                writer.create(Prediction.getClassSchema(), output.toFile());
                for (final Prediction p : predictions) {
                    writer.append(p);
                }
            }
            return;
        }
        try (BufferedWriter writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (final Prediction p : predictions) {
                writer.write(p.toString());
                writer.newLine();
            }
        }
    }
}
