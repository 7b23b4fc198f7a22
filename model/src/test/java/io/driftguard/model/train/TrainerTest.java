package io.driftguard.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.model.Dataset;
import io.driftguard.model.Json;
import io.driftguard.model.TestData;
import io.driftguard.model.bundle.Manifest;
import io.driftguard.model.calibration.IsotonicCalibration;
import io.driftguard.model.calibration.PlattCalibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir
  Path tmp;

  @Test
  void shouldProduceByteIdenticalModelAndManifestWhenTrainedTwice() throws IOException {
    // Given the same config and data, trained at two different times
    final Dataset data = TestData.dataset(3000, 5);
    final TrainingResult a = Trainer.train(TestData.config(), data, tmp.resolve("a"),
        new TrainOptions("v1", Instant.parse("2026-02-01T00:00:00Z"), "sha"));
    final TrainingResult b = Trainer.train(TestData.config(), data, tmp.resolve("b"),
        new TrainOptions("v1", Instant.parse("2026-02-02T00:00:00Z"), "sha"));

    // When comparing the bundles
    final byte[] modelA = Files.readAllBytes(a.bundle().modelFile());
    final byte[] modelB = Files.readAllBytes(b.bundle().modelFile());
    final ObjectNode manifestA = (ObjectNode) Json.json().readTree(a.bundle().dir().resolve("manifest.json").toFile());
    final ObjectNode manifestB = (ObjectNode) Json.json().readTree(b.bundle().dir().resolve("manifest.json").toFile());

    // Then the model bytes are identical and the manifests differ only in createdAt
    assertThat(modelA).isEqualTo(modelB);
    assertThat(manifestA.get("createdAt")).isNotEqualTo(manifestB.get("createdAt"));
    manifestA.remove("createdAt");
    manifestB.remove("createdAt");
    assertThat(manifestA).isEqualTo(manifestB);
    assertThat(a.bundle().artifactSha256()).isNotEqualTo(b.bundle().artifactSha256());
  }

  @Test
  void shouldRecordTheGivenSnapshotIdAndStayDeterministicWhenOptionsCarryOne() throws IOException {
    // Given: the upstream (training-set builder) id of the data, passed in by the caller
    final Dataset data = TestData.dataset(3000, 5);
    final String upstream = "ab".repeat(32);

    // When: trained twice with it, at different times, and once without it
    final Manifest a = Trainer.train(TestData.config(), data, tmp.resolve("a"),
        new TrainOptions("v1", Instant.parse("2026-02-01T00:00:00Z"), "sha", upstream)).bundle().manifest();
    final Manifest b = Trainer.train(TestData.config(), data, tmp.resolve("b"),
        new TrainOptions("v1", Instant.parse("2026-02-02T00:00:00Z"), "sha", upstream)).bundle().manifest();
    final Manifest own = Trainer.train(TestData.config(), data, tmp.resolve("c"),
        new TrainOptions("v1", TestData.CREATED, "sha")).bundle().manifest();

    // Then: the manifest records the given id, the runs agree except createdAt, and without it the dataset's own id
    assertThat(a.datasetSnapshotId()).isEqualTo(upstream);
    final ObjectNode manifestA = (ObjectNode) Json.json().readTree(tmp.resolve("a").resolve("manifest.json").toFile());
    final ObjectNode manifestB = (ObjectNode) Json.json().readTree(tmp.resolve("b").resolve("manifest.json").toFile());
    manifestA.remove("createdAt");
    manifestB.remove("createdAt");
    assertThat(manifestA).isEqualTo(manifestB);
    assertThat(b.datasetSnapshotId()).isEqualTo(upstream);
    assertThat(own.datasetSnapshotId()).isEqualTo(data.snapshotId(TestData.config().configHash()));
  }

  @Test
  void shouldRejectTheOptionsNamingTheKeyWhenTheSnapshotIdIsBlank() {
    // Given / When / Then
    assertThatThrownBy(() -> new TrainOptions("v1", TestData.CREATED, "sha", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("datasetSnapshotId");
  }

  @Test
  void shouldChangeSnapshotAndModelWhenDataChanges() throws IOException {
    // Given two different datasets
    final TrainingResult a = Trainer.train(TestData.config(), TestData.dataset(3000, 5), tmp.resolve("a"),
        new TrainOptions("v1", TestData.CREATED, "sha"));
    final TrainingResult b = Trainer.train(TestData.config(), TestData.dataset(3000, 6), tmp.resolve("b"),
        new TrainOptions("v1", TestData.CREATED, "sha"));

    // Then their snapshot ids and model files differ, while the config hash is the same
    assertThat(a.bundle().manifest().datasetSnapshotId()).isNotEqualTo(b.bundle().manifest().datasetSnapshotId());
    assertThat(a.bundle().manifest().configHash()).isEqualTo(b.bundle().manifest().configHash());
    assertThat(Files.readAllBytes(a.bundle().modelFile())).isNotEqualTo(Files.readAllBytes(b.bundle().modelFile()));
  }

  @Test
  void shouldLearnTheSignalAndBeatChanceWhenTrainedOnSyntheticData() throws IOException {
    // Given synthetic data with a known signal
    final TrainingResult r = TestData.train(tmp.resolve("m"), "v1");

    // Then test AUC is well above chance, and the baseline was fitted too
    assertThat(r.metrics().get("auc")).isGreaterThan(0.75);
    assertThat(r.metrics().get("baseline_auc")).isGreaterThan(0.75);
    assertThat(r.metrics().get("rows") + r.metrics().get("validation_rows")).isLessThan(4000);
    final Manifest.SplitInfo split = r.bundle().manifest().split();
    assertThat(split.trainRows() + split.validationRows() + split.testRows()).isEqualTo(4000);
    assertThat(split.validationFrom()).isLessThan(split.testFrom());
  }

  @Test
  void shouldMeetTheMistakeBudgetOnValidationWhenChoosingTheThreshold() throws IOException {
    // Given a precision budget
    final TrainingConfig config = TrainingConfig.parse(TestData.configYaml("isotonic", "precision >= 0.6"));

    // When training
    final TrainingResult r = Trainer.train(config, TestData.dataset(4000, 11), tmp.resolve("m"),
        new TrainOptions("v2", TestData.CREATED, "sha"));

    // Then the validation precision at the chosen threshold meets the budget, with isotonic calibration
    assertThat(r.metrics().get("validation_precision")).isGreaterThanOrEqualTo(0.6);
    assertThat(r.bundle().manifest().calibration()).isInstanceOf(IsotonicCalibration.class);
    assertThat(r.bundle().manifest().mistakeBudget()).isEqualTo("precision >= 0.6");
  }

  @Test
  void shouldChooseThresholdFromValidationOnlyWhenTestLabelsChange() throws IOException {
    // Given two datasets that differ only in the test split's labels
    final Dataset base = TestData.dataset(3000, 5);
    final long testFrom = Trainer.train(TestData.config(), base, tmp.resolve("a"),
        new TrainOptions("v1", TestData.CREATED, "sha")).bundle().manifest().split().testFrom();
    final int[] flipped = base.labels().clone();
    for (int i = 0; i < flipped.length; i++) {
      if (base.eventTimes()[i] >= testFrom) {
        flipped[i] = 1 - flipped[i];
      }
    }
    final Dataset changed = new Dataset(base.featureNames(), base.rows(), flipped, base.eventTimes(), null,
        base.sliceColumns(), null, null);

    // When training on both
    final Manifest a = Trainer.train(TestData.config(), base, tmp.resolve("b"),
        new TrainOptions("v1", TestData.CREATED, "sha")).bundle().manifest();
    final Manifest b = Trainer.train(TestData.config(), changed, tmp.resolve("c"),
        new TrainOptions("v1", TestData.CREATED, "sha")).bundle().manifest();

    // Then threshold and calibration are the same, while test metrics differ
    assertThat(b.threshold()).isEqualTo(a.threshold());
    assertThat(b.calibration()).isEqualTo(a.calibration());
    assertThat(a.calibration()).isInstanceOf(PlattCalibration.class);
    assertThat(b.metrics().get("auc")).isLessThan(a.metrics().get("auc"));
  }

  @Test
  void shouldFailNamingTheSplitWhenItIsEmpty() {
    final String yaml = TestData.configYaml("platt", "precision >= 0.5").replace(
        "  validationFraction: 0.2\n  testFraction: 0.2\n",
        "  validationFrom: 2030-01-01T00:00:00Z\n  testFrom: 2030-02-01T00:00:00Z\n");
    final TrainingConfig config = TrainingConfig.parse(yaml);

    assertThatThrownBy(() -> Trainer.train(config, TestData.dataset(500, 3), tmp.resolve("m"),
        new TrainOptions("v1", TestData.CREATED, "sha")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validation split");
  }

  @Test
  void shouldTrainFromAConfigFileWhenGivenAPath() throws IOException {
    final Path config = tmp.resolve("train.yaml");
    Files.writeString(config, TestData.configYaml("platt", "fpr <= 0.1"));

    final TrainingResult r = Trainer.train(config, TestData.dataset(2000, 3), tmp.resolve("m"),
        new TrainOptions("v9", TestData.CREATED, null));

    assertThat(r.bundle().manifest().version()).isEqualTo("v9");
    assertThat(r.metrics().get("validation_fpr")).isLessThanOrEqualTo(0.1);
    assertThat(r.bundle().manifest().gitSha()).matches("unknown|[0-9a-f]{40}");
  }

  @Test
  void shouldDeclareCategoriesAndLeaveMissingCategoriesToXgboostWhenAFeatureIsCategorical() throws IOException {
    // Given a dataset whose "foreign" column is declared categorical (0 = domestic, 1 = foreign)
    final Dataset base = TestData.dataset(3000, 5);
    final Dataset categorical = new Dataset(base.featureNames(), base.rows(), base.labels(), base.eventTimes(),
        null, base.sliceColumns(), java.util.Map.of("foreign", java.util.List.of("domestic", "foreign")), null);

    // When training
    final Manifest m = Trainer.train(TestData.config(), categorical, tmp.resolve("m"),
        new TrainOptions("v1", TestData.CREATED, "sha")).bundle().manifest();

    // Then the manifest carries the encoding, no imputation for it, and category frequencies in the profile
    final io.driftguard.model.bundle.FeatureSpec spec = m.features().get(3);
    assertThat(spec.type()).isEqualTo(io.driftguard.model.bundle.FeatureSpec.Type.CATEGORICAL);
    assertThat(spec.categories()).containsExactly("domestic", "foreign");
    assertThat(spec.imputeValue()).isNull();
    assertThat(spec.encode("foreign")).isEqualTo(1.0);
    assertThat(spec.encode("martian")).isNaN();
    assertThat(m.referenceProfile().categorical("foreign").orElseThrow().frequencies()).containsKeys("domestic",
        "foreign");
    assertThat(m.featureSetHash()).isNotEqualTo(base.featureSetHash());
  }
}
