package io.driftguard.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.model.Json;
import io.driftguard.model.eval.Metric;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole offline pipeline on generator data, small enough to stay fast: two runs, the second against a champion. */
class TrainingPipelineTest {
  private static final Instant CREATED = Instant.parse("2026-02-01T12:00:00Z");

  @TempDir
  static Path dir;

  static PipelineResult first;
  static PipelineResult second;
  static List<String> progress = new ArrayList<>();

  /** The demo config, shrunk: fewer cards, days, rounds and resamples, and gates this small data can meet. */
  static PipelineConfig smallConfig(final List<String> gates) throws IOException {
    final PipelineConfig demo = PipelineConfig.loadResource(PipelineConfig.DEMO_RESOURCE);
    final TrainingConfig t = demo.training();
    final TrainingConfig small = new TrainingConfig(t.modelName(),
        new TrainingConfig.XgbParams(null, null, 4, 0.2, 40, 42, 1, null, null, null, null), t.split(),
        t.calibration(), t.missingPolicy(), gates, t.compact());
    final SynthConfig generator = demo.generator().toBuilder().cards(250).duration(Duration.ofDays(12)).build();
    return new PipelineConfig(demo.featureSetLocation(), generator,
        demo.trainingSet(),
        new PipelineConfig.EvaluationSettings(30, 17, 64), small);
  }

  @BeforeAll
  static void runTwice() throws IOException {
    final List<String> gates = List.of("auc min 0.7", "p99_latency_ms max 1000", "auc not_worse_than_champion 0.5");
    final PipelineConfig small = smallConfig(gates);
    final PipelineListener listener = (step, message) -> progress.add(step + ": " + message);
    first = TrainingPipeline.run(new PipelineRequest(small, null, dir.resolve("run-v1"), dir.resolve("registry"), "v1",
        CREATED, "test-sha", "tester", true), listener);
    second = TrainingPipeline.run(new PipelineRequest(small, null, dir.resolve("run-v2"), dir.resolve("registry"),
        "v2", CREATED.plusSeconds(60), "test-sha", "tester", false), listener);
  }

  @Test
  void shouldBeatTheBaselineOnTheTimeSplitTestSetWhenTrainedOnGeneratorData() throws IOException {
    // Given: the first run (see runTwice)

    // When
    final double candidateAuc = first.candidate().value(Metric.ROC_AUC);
    final double baselineAuc = first.baseline().value(Metric.ROC_AUC);
    final String md = Files.readString(first.report().markdown(), StandardCharsets.UTF_8);
    final String html = Files.readString(first.report().html(), StandardCharsets.UTF_8);

    // Then: better than the baseline, and the report shows both, with the compact on top
    assertThat(candidateAuc).isGreaterThan(baselineAuc);
    assertThat(first.trainingSet().stats().positives()).isGreaterThan(30);
    assertThat(md).contains("fraud v1").contains("baseline (logistic regression)")
        .contains(String.format(java.util.Locale.ROOT, "| roc_auc | %.4f | %.4f |", candidateAuc, baselineAuc));
    assertThat(md.indexOf("Goal")).isGreaterThan(0).isLessThan(md.indexOf("Who cares"))
        .isLessThan(md.indexOf("baseline (logistic regression)"));
    assertThat(md.indexOf("Who cares")).isLessThan(md.indexOf("Rollback plan"));
    assertThat(md).contains("Stop card-not-present fraud").contains("Rollback plan");
    assertThat(html).contains("baseline (logistic regression)").contains("Stop card-not-present fraud");
    assertThat(first.report().charts()).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
    // the report's baseline is the Trainer's baseline: the same model on the same rows
    assertThat(baselineAuc).isCloseTo(first.training().metrics().get("baseline_auc"),
        org.assertj.core.data.Offset.offset(1e-9));
    // candidate scored through ModelRunner (DJL) agrees with the Trainer's own test metric
    assertThat(candidateAuc).isCloseTo(first.training().metrics().get("auc"),
        org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void shouldRegisterGateAndPromoteWhenGatesPass() throws IOException {
    // Given: both runs

    // When
    final ModelRegistry registry = new ModelRegistry(dir.resolve("registry"), Clock.systemUTC());

    // Then: v1 passed its gates and became champion; v2 was registered and compared with it but not promoted
    assertThat(first.gates().passed()).as(first.gates().report()).isTrue();
    assertThat(first.promoted()).isTrue();
    assertThat(first.championNote()).isEqualTo("no champion yet");
    assertThat(registry.versions("fraud")).containsExactly("v1", "v2");
    assertThat(registry.aliases("fraud").champion()).isEqualTo("v1");
    assertThat(second.promoted()).isFalse();
    assertThat(second.champion()).isNotNull();
    assertThat(second.champion().name()).isEqualTo("champion v1");
    assertThat(Files.readString(second.report().markdown())).contains("champion v1");
    assertThat(second.bundle().dir()).startsWith(dir.resolve("registry"));
    assertThat(second.bundle().manifest().referenceProfile()).isNotNull();
    assertThat(second.latency()).containsKeys("p50_latency_ms", "p99_latency_ms", "batch_latency_us_per_row");
  }

  @Test
  void shouldWriteSummaryAndTrainingNotesWhenDone() throws IOException {
    // Given: the first run

    // When
    final JsonNode summary = Json.json().readTree(first.summaryJson().toFile());
    final String notes = Files.readString(first.report().markdown().resolveSibling("training.md"));

    // Then
    assertThat(summary.get("trainingSetSnapshotId").asText()).isEqualTo(first.trainingSet().snapshotId());
    // the manifest names the training set the builder replayed, the same id the summary reports
    assertThat(first.training().bundle().manifest().datasetSnapshotId()).isEqualTo(first.trainingSet().snapshotId());
    assertThat(summary.get("datasetSnapshotId").asText()).isEqualTo(first.trainingSet().snapshotId());
    // the report's baseline is the Trainer's own baseline, scored on the same test split
    assertThat(first.baseline().value(Metric.ROC_AUC))
        .isCloseTo(first.training().metrics().get("baseline_auc"), within(1e-9));
    assertThat(summary.get("test").get("candidate").get("roc_auc").asDouble())
        .isEqualTo(first.candidate().value(Metric.ROC_AUC));
    assertThat(summary.get("test").get("baseline").get("roc_auc").asDouble())
        .isEqualTo(first.baseline().value(Metric.ROC_AUC));
    assertThat(summary.get("promoted").asBoolean()).isTrue();
    assertThat(notes).contains(first.trainingSet().snapshotId()).contains("label cutoff")
        .contains("All gates passed").contains("Promoted to champion");
    // same data and config: the second run cut the same training set
    assertThat(second.trainingSet().snapshotId()).isEqualTo(first.trainingSet().snapshotId());
    assertThat(progress).anyMatch(p -> p.startsWith("TRAINING_SET: 10000 of ")).anyMatch(p -> p.startsWith("GATES:"))
        .anyMatch(p -> p.startsWith("PROMOTE: promoted fraud v1"));
  }

  @Test
  void shouldNotPromoteAndSayWhyWhenAGateFails(@TempDir final Path out) throws IOException {
    // Given: an unreachable gate
    final PipelineConfig config = smallConfig(List.of("auc min 0.9999", "p99_latency_ms max 1000"));

    // When
    final PipelineResult result = TrainingPipeline.run(new PipelineRequest(config, null, out.resolve("run"),
        out.resolve("registry"), "v9", CREATED, "test-sha", "tester", true), null);

    // Then
    assertThat(result.promoted()).isFalse();
    assertThat(result.gates().passed()).isFalse();
    assertThat(result.gates().failures()).hasSize(1);
    assertThat(result.aliases().champion()).isNull();
    assertThat(Files.readString(result.report().markdown().resolveSibling("training.md")))
        .contains("1 gate(s) failed").contains("auc min 0.9999");
  }

  @Test
  void shouldRefuseWhenTheBundleDirectoryExists() {
    // Given / When / Then
    assertThatThrownBy(() -> TrainingPipeline.run(new PipelineRequest(smallConfig(List.of("auc min 0.5")), null,
        dir.resolve("run-v1"), null, "v1", CREATED, "sha", "tester", false), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
  }

  @Test
  void shouldCarryTheFullCompactAndGatesWhenLoadingTheDemoConfig() throws IOException {
    // Given / When
    final PipelineConfig demo = PipelineConfig.loadResource(PipelineConfig.DEMO_RESOURCE);

    // Then
    assertThat(demo.training().compact().asOrderedMap()).containsKeys("Goal", "Who cares", "Decision owner",
        "Success metric", "Guardrail metrics", "Mistake budget", "Unacceptable mistakes", "Acceptable mistakes",
        "Assumptions", "Label source", "Label delay", "Eval slices", "Known risks", "Rollback plan");
    assertThat(demo.training().gates()).contains("auc min 0.85", "auc not_worse_than_champion 0.01");
    assertThat(demo.trainingSet().labelCutoff()).isAfterOrEqualTo(demo.generator().end());
    assertThat(demo.featureSet().featureNames()).contains("txn_count_1h");
    assertThat(Map.of("cutoff", demo.trainingSet().labelCutoff())).isNotEmpty();
  }

  @Test
  void shouldNameTheKeyWhenThePipelineConfigIsBad() {
    // Given
    final String base = "modelName: m\ncompact: {goal: g, successMetric: auc, mistakeBudget: precision >= 0.5, "
        + "rollbackPlan: r}\n";

    // When / Then
    assertThatThrownBy(() -> PipelineConfig.parse(base)).hasMessageContaining("'trainingSet'");
    assertThatThrownBy(() -> PipelineConfig.parse(base + "trainingSet: {labelCutoff: 2026-01-01T00:00:00Z, "
        + "cutof: 1}\n")).hasMessageContaining("unknown key 'trainingSet.cutof'");
    assertThatThrownBy(() -> PipelineConfig.parse(base + "trainingSet: {labelCutoff: yesterday}\n"))
        .hasMessageContaining("trainingSet.labelCutoff must be an ISO-8601 instant");
    assertThatThrownBy(() -> PipelineConfig.parse(base + "trainingSet: {labelCutoff: 2026-01-01T00:00:00Z, "
        + "unlabelled: negative}\n")).hasMessageContaining("trainingSet.negativeAfter");
    assertThatThrownBy(() -> PipelineConfig.parse(base + "trainingSet: {labelCutoff: 2026-01-01T00:00:00Z}\n"
        + "generator: {cards: 10, colour: red}\n")).hasMessageContaining("unknown key 'generator.colour'");
    assertThatThrownBy(() -> PipelineConfig.parse(base + "trainingSet: {labelCutoff: 2026-01-01T00:00:00Z}\n"
        + "xgbost: {}\n")).hasMessageContaining("unknown key 'xgbost'");
  }
}
