package io.driftguard.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.model.Sha256;
import io.driftguard.model.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactBundleTest {
  @TempDir
  static Path shared;
  static ArtifactBundle original;

  @TempDir
  Path tmp;

  @BeforeAll
  static void trainOnce() throws IOException {
    original = TestData.train(shared.resolve("bundle"), "v1").bundle();
  }

  private Path copy() throws IOException {
    final Path dir = tmp.resolve("copy");
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(original.dir())) {
      for (final Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }

  @Test
  void shouldWriteManifestModelAndChecksumsWhenTrained() throws IOException {
    // Given a trained bundle
    // When listing it
    try (Stream<Path> files = Files.list(original.dir())) {
      // Then it holds exactly the three files, and the identity is the manifest's SHA-256
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("manifest.json", "model.json", "checksums.sha256");
    }
    assertThat(original.artifactSha256()).isEqualTo(Sha256.ofFile(original.dir().resolve("manifest.json")));
    assertThat(Files.readString(original.dir().resolve("checksums.sha256")))
        .contains(Sha256.ofFile(original.modelFile()) + "  model.json")
        .contains(original.artifactSha256() + "  manifest.json");
    final Manifest m = original.manifest();
    assertThat(m.name()).isEqualTo("fraud");
    assertThat(m.version()).isEqualTo("v1");
    assertThat(m.gitSha()).isEqualTo("abc123");
    assertThat(m.createdAt()).isEqualTo(TestData.CREATED);
    assertThat(m.featureNames()).containsExactlyElementsOf(TestData.FEATURES);
    assertThat(m.missingPolicy("velocity_1h")).isEqualTo(MissingPolicy.ABSTAIN);
    assertThat(m.missingPolicy("amount")).isEqualTo(MissingPolicy.IMPUTE);
    assertThat(m.engine().engine()).isEqualTo("XGBoost");
    assertThat(m.engine().xgboostVersion()).isEqualTo("3.0.4");
    assertThat(m.metrics()).containsKeys("auc", "ece", "precision", "recall", "baseline_auc", "validation_auc");
    assertThat(m.sliceMetrics()).containsKeys("channel=ONLINE", "channel=POS");
    assertThat(m.referenceProfile().numeric()).hasSize(5);
    assertThat(m.compact()).containsEntry("Goal", "Catch card fraud before authorisation completes");
  }

  @Test
  void shouldRefuseWhenModelFileIsTampered() throws IOException {
    // Given a copy whose model file changed by one byte
    final Path dir = copy();
    Files.writeString(dir.resolve("model.json"), " ", StandardOpenOption.APPEND);

    // When loading, Then it is refused naming the file
    assertThatThrownBy(() -> ArtifactBundle.load(dir))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("checksum mismatch for model.json");
  }

  @Test
  void shouldRefuseWhenManifestIsTampered() throws IOException {
    // Given a copy whose manifest threshold was edited
    final Path dir = copy();
    final String manifest = Files.readString(dir.resolve("manifest.json"));
    Files.writeString(dir.resolve("manifest.json"), manifest.replaceFirst("\"threshold\" : [0-9.E-]+",
        "\"threshold\" : 0.01"));

    // When loading, Then it is refused naming the manifest
    assertThatThrownBy(() -> ArtifactBundle.load(dir))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("checksum mismatch for manifest.json");
  }

  @Test
  void shouldRefuseWhenModelFileIsMissing() throws IOException {
    // Given a copy without its model file
    final Path dir = copy();
    Files.delete(dir.resolve("model.json"));

    // When loading, Then the missing file is named
    assertThatThrownBy(() -> ArtifactBundle.load(dir))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("file model.json is missing");
  }

  @Test
  void shouldRefuseWhenChecksumFileIsMissing() throws IOException {
    final Path dir = copy();
    Files.delete(dir.resolve("checksums.sha256"));

    assertThatThrownBy(() -> ArtifactBundle.load(dir))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("has no checksums.sha256");
  }

  @Test
  void shouldRefuseWhenAnUnlistedFileIsAdded() throws IOException {
    final Path dir = copy();
    Files.writeString(dir.resolve("extra.json"), "{}");

    assertThatThrownBy(() -> ArtifactBundle.load(dir))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("extra.json");
  }

  @Test
  void shouldRefuseWhenFeatureSetHashDiffers() throws IOException {
    // Given an intact bundle and a serving side with another feature set
    final Path dir = copy();
    final String other = Sha256.of("another feature set");

    // When loading with that expectation, Then both hashes are named
    assertThatThrownBy(() -> ArtifactBundle.load(dir, other))
        .isInstanceOf(BundleVerificationException.class)
        .hasMessageContaining("feature-set hash mismatch")
        .hasMessageContaining(other)
        .hasMessageContaining(original.manifest().featureSetHash());
    assertThat(ArtifactBundle.load(dir, original.manifest().featureSetHash()).artifactSha256())
        .isEqualTo(original.artifactSha256());
  }

  @Test
  void shouldRoundTripManifestWhenReadBack() throws IOException {
    // Given the manifest on disk, When it is parsed and written again, Then the bytes are the same
    final byte[] bytes = Files.readAllBytes(original.dir().resolve("manifest.json"));
    final Manifest parsed = io.driftguard.model.Json.json().readValue(bytes, Manifest.class);
    assertThat(io.driftguard.model.Json.json().writeValueAsBytes(parsed)).isEqualTo(bytes);
    assertThat(parsed).isEqualTo(original.manifest());
  }

  @Test
  void shouldRefuseToOverwriteWhenTargetExists() {
    assertThatThrownBy(() -> BundleWriter.write(original.dir(), original.manifest(), new byte[] {1}))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }
}
