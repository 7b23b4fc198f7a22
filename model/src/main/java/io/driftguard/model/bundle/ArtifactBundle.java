package io.driftguard.model.bundle;

import io.driftguard.model.Json;
import io.driftguard.model.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A verified artifact bundle directory. Obtain one only through {@link #load(Path, String)}, which checks
 * every file against {@code checksums.sha256} and the feature contract before anything reads the model.
 */
public final class ArtifactBundle {
  public static final String MANIFEST = "manifest.json";

  private final Path dir;
  private final Manifest manifest;
  private final String artifactSha256;

  private ArtifactBundle(final Path dir, final Manifest manifest, final String artifactSha256) {
    this.dir = dir;
    this.manifest = manifest;
    this.artifactSha256 = artifactSha256;
  }

  /** Loads and verifies a bundle without a feature contract check. */
  public static ArtifactBundle load(final Path dir) {
    return load(dir, null);
  }

  /**
   * Verifies and loads a bundle. Order: checksum file present and well formed; manifest and model file
   * listed; every listed file present with the listed SHA-256; no unlisted file; manifest parses; the
   * feature-set hash equals {@code expectedFeatureSetHash} when one is given.
   *
   * @throws BundleVerificationException naming the file or hash that failed
   */
  public static ArtifactBundle load(final Path dir, final String expectedFeatureSetHash) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new BundleVerificationException("bundle directory not found: " + dir);
    }
    try {
      final Path sumsFile = dir.resolve(Checksums.FILE);
      if (!Files.isRegularFile(sumsFile)) {
        throw new BundleVerificationException("bundle " + dir + " has no " + Checksums.FILE);
      }
      final Map<String, String> listed = Checksums.parse(sumsFile);
      for (final String required : List.of(MANIFEST, EngineInfo.MODEL_FILE)) {
        if (!listed.containsKey(required)) {
          throw new BundleVerificationException("bundle " + dir + ": " + Checksums.FILE + " does not list " + required);
        }
      }
      for (final Map.Entry<String, String> e : listed.entrySet()) {
        final Path f = dir.resolve(e.getKey());
        if (!Files.isRegularFile(f)) {
          throw new BundleVerificationException("bundle " + dir + ": file " + e.getKey() + " is missing");
        }
        final String actual = Sha256.ofFile(f);
        if (!actual.equals(e.getValue())) {
          throw new BundleVerificationException("bundle " + dir + ": checksum mismatch for " + e.getKey()
              + " (expected " + e.getValue() + ", actual " + actual + "); the file was modified or corrupted");
        }
      }
      final List<String> unexpected = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString())
            .filter(n -> !n.equals(Checksums.FILE) && !listed.containsKey(n))
            .sorted()
            .forEach(unexpected::add);
      }
      if (!unexpected.isEmpty()) {
        throw new BundleVerificationException("bundle " + dir + " contains files not covered by "
            + Checksums.FILE + ": " + unexpected);
      }
      final byte[] manifestBytes = Files.readAllBytes(dir.resolve(MANIFEST));
      final Manifest manifest;
      try {
        manifest = Json.json().readValue(manifestBytes, Manifest.class);
      } catch (IOException e) {
        throw new BundleVerificationException("bundle " + dir + ": " + MANIFEST + " is not a valid manifest: "
            + e.getMessage(), e);
      }
      if (!manifest.engine().modelFile().equals(EngineInfo.MODEL_FILE)) {
        throw new BundleVerificationException("bundle " + dir + ": manifest names model file "
            + manifest.engine().modelFile() + ", expected " + EngineInfo.MODEL_FILE);
      }
      if (expectedFeatureSetHash != null && !expectedFeatureSetHash.equals(manifest.featureSetHash())) {
        throw new BundleVerificationException("bundle " + dir + ": feature-set hash mismatch: model "
            + manifest.name() + " " + manifest.version() + " was trained on featureSetHash "
            + manifest.featureSetHash() + " but " + expectedFeatureSetHash + " was expected");
      }
      return new ArtifactBundle(dir, manifest, Sha256.of(manifestBytes));
    } catch (IOException e) {
      throw new BundleVerificationException("bundle " + dir + " could not be read: " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** SHA-256 of {@code manifest.json}: the identity of this artifact. */
  public String artifactSha256() {
    return artifactSha256;
  }

  public Path modelFile() {
    return dir.resolve(manifest.engine().modelFile());
  }

  public Preprocessor preprocessor() {
    return new Preprocessor(manifest.features());
  }

  /** Re-checks the files on disk; used before copying or loading a bundle that was verified earlier. */
  public ArtifactBundle reverify() {
    final ArtifactBundle again = load(dir, manifest.featureSetHash());
    if (!again.artifactSha256.equals(artifactSha256)) {
      throw new BundleVerificationException("bundle " + dir + " changed since it was verified");
    }
    return again;
  }

  @Override
  public String toString() {
    return "ArtifactBundle[" + manifest.name() + " " + manifest.version() + " sha256=" + artifactSha256 + "]";
  }
}
