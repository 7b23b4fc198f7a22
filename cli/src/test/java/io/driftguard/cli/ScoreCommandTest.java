package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.avro.Label;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.Dataset;
import io.driftguard.model.bundle.ArtifactBundle;
import io.driftguard.model.bundle.FeatureSpec;
import io.driftguard.model.dataset.TrainingSetBuilder;
import io.driftguard.model.dataset.TrainingSetConfig;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.serving.ModelRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

    private static final Instant CUTOFF = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    static Path dir;

    static Path registry;
    static Path timeline;

    @BeforeAll
    static void trainChampionAndGenerateEvents() throws IOException {
        final String yaml;
        try (InputStream in = ScoreCommandTest.class.getResourceAsStream("/training/small-fraud.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Path config = Files.writeString(dir.resolve("small-fraud.yaml"), yaml);
        registry = dir.resolve("registry");
        final Cli.Run trained = Cli.run("train", "--config", config.toString(), "--registry", registry.toString(),
            "--version", "v1", "--out", dir.resolve("run-v1").toString(), "--promote", "--who", "test");
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        final Cli.Run generated = Cli.run("generate", "--out", dir.resolve("data").toString(), "--cards", "60",
            "--duration", "2d", "--seed", "7", "--start", "2026-01-10T00:00:00Z");
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        timeline = dir.resolve("data").resolve(DataFiles.JSONL_FILE);
    }

    @Test
    void shouldScoreEveryEventWithTheBuildersFeaturesAndTheModelsScoresWhenAFileIsScored() throws Exception {
        // Given the generated events and what the training-set builder makes of them (all labelled)
        final List<Transaction> events = DataSource.jsonLines(timeline).load().events();
        final List<Label> labels = events.stream().map(e -> Label.newBuilder().setEventId(e.getEventId())
            .setEntityId(e.getCardId()).setLabel(0).setLabelTime(CUTOFF.minusSeconds(1)).build()).toList();
        final Dataset data = TrainingSetBuilder.create(FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE,
            Transaction.getClassSchema()),
            TrainingSetConfig.asOf(CUTOFF).withEventFields(List.of("amount", "channel", "country",
                "merchantCategory"))).build(events, labels).dataset();

        // When the file is scored in batch, as Avro and as JSON lines
        final Path avro = dir.resolve("predictions.avro");
        final Cli.Run run = Cli.run("score", "--input", timeline.toString(), "--output", avro.toString(),
            "--format", "avro", "--registry", registry.toString(), "--model", "fraud");
        final Path jsonl = dir.resolve("predictions.jsonl");
        final Cli.Run runJson = Cli.run("score", "--input", timeline.toString(), "--output", jsonl.toString(),
            "--registry", registry.toString(), "--model", "fraud", "--version", "v1");

        // Then there is one prediction per event, by v1
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(runJson.exitCode()).as(runJson.toString()).isZero();
        final List<Prediction> predictions = new ArrayList<>();
        try (DataFileReader<Prediction> reader = new DataFileReader<>(avro.toFile(),
            new SpecificDatumReader<>(Prediction.class))) {
            reader.forEach(predictions::add);
        }
        assertThat(predictions).hasSize(events.size());
        assertThat(predictions).extracting(Prediction::getModelVersion).containsOnly("v1");
        final List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(events.size());
        final JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("eventId").asText()).isEqualTo(predictions.get(0).getEventId());
        assertThat(run.out()).contains("Scored " + events.size() + " of " + events.size() + " events");

        // and every numeric input recorded as-is equals the builder's value for the same event; a categorical one
        // (the builder's codes are its own data's) is the event's own field in the artifact's encoding
        final ArtifactBundle bundle = new ModelRegistry(registry, Clock.systemUTC()).show("fraud", "v1");
        final Map<String, FeatureSpec> specs = new HashMap<>();
        bundle.manifest().features().forEach(f -> specs.put(f.name(), f));
        final Map<String, Transaction> eventById = new HashMap<>();
        events.forEach(e -> eventById.put(e.getEventId(), e));
        final Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            rowOf.put(data.eventIds().get(i), i);
        }
        int rows = 0;
        int compared = 0;
        for (final Prediction p : predictions) {
            final Integer index = rowOf.get(p.getEventId());
            if (index == null) {
                continue;
            }
            rows++;
            final double[] row = data.rows()[index];
            for (final UsedFeature f : p.getFeatures()) {
                if (f.getImputed() || f.getStale()) {
                    continue;
                }
                final FeatureSpec spec = specs.get(f.getName());
                final double expected = spec.type() == FeatureSpec.Type.CATEGORICAL
                    ? spec.encode(String.valueOf(eventById.get(p.getEventId()).get(f.getName())))
                    : row[data.featureNames().indexOf(f.getName())];
                if (Double.isNaN(expected)) {
                    assertThat(f.getValue()).as("%s of %s", f.getName(), p.getEventId()).isNull();
                } else {
                    assertThat(f.getValue()).as("%s of %s", f.getName(), p.getEventId()).isEqualTo(expected);
                }
                compared++;
            }
        }
        assertThat(rows).isEqualTo(data.size()).isGreaterThan(events.size() * 9 / 10);
        assertThat(compared).isGreaterThan(rows * 10);

        // and each score is ModelRunner's on the input the prediction records
        try (ModelRunner runner = ModelRunner.open(ArtifactBundle.load(bundle.dir()));
            ModelRunner.Session session = runner.newSession()) {
            for (final Prediction p : predictions) {
                final double[] input = p.getFeatures().stream().mapToDouble(f -> f.getValue() == null ? Double.NaN
                    : f.getValue()).toArray();
                assertThat(p.getScore()).as(p.getEventId()).isCloseTo(session.score(input), within(1e-12));
            }
        }
    }

    @Test
    void shouldExitTwoNamingTheInputWhenTheModelVersionOrFileIsUnknown() {
        // When
        final Cli.Run model = Cli.run("score", "--input", timeline.toString(), "--output",
            dir.resolve("x.jsonl").toString(), "--registry", registry.toString(), "--model", "churn");
        final Cli.Run version = Cli.run("score", "--input", timeline.toString(), "--output",
            dir.resolve("x.jsonl").toString(), "--registry", registry.toString(), "--model", "fraud", "--version",
            "v9");
        final Cli.Run file = Cli.run("score", "--input", dir.resolve("none.jsonl").toString(), "--output",
            dir.resolve("x.jsonl").toString(), "--registry", registry.toString(), "--model", "fraud");

        // Then
        assertThat(model.exitCode()).isEqualTo(2);
        assertThat(model.err()).contains("--model: 'churn' is not registered", "[fraud]");
        assertThat(version.exitCode()).isEqualTo(2);
        assertThat(version.err()).contains("--version: model fraud has no version 'v9'");
        assertThat(file.exitCode()).isEqualTo(2);
        assertThat(file.err()).contains("--input: no such file", "none.jsonl");
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }
}
