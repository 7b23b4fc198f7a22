package io.driftguard.model.bundle;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.driftguard.model.calibration.Calibration;
import io.driftguard.model.profile.ReferenceProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: everything needed to serve, monitor and audit one model version. Its SHA-256
 * is the artifact's identity ({@code artifactSha256}).
 *
 * @param gitSha code version that trained it, or "unknown"
 * @param configHash SHA-256 of the canonical training config
 * @param datasetSnapshotId what the training data was built from: the TrainingSetBuilder's snapshot id (raw inputs,
 *     feature set, builder config) when trained by the pipeline, else SHA-256 of the dataset and training config
 * @param featureSetHash hash of the feature-set definition; serving refuses vectors with another hash
 * @param features model inputs in model order, with preprocessing and missing policy
 * @param threshold decision threshold on the calibrated score
 * @param mistakeBudget the rule that chose the threshold on the validation split
 * @param split cut points and sizes of the time split
 * @param metrics evaluation metrics (test split unless the key says otherwise)
 * @param sliceMetrics metrics per slice, keyed column=value
 * @param gates promotion gates declared before training
 * @param compact the iteration compact, heading to text
 */
@JsonPropertyOrder({"formatVersion", "name", "version", "createdAt", "gitSha", "configHash", "datasetSnapshotId",
    "featureSetHash", "features", "defaultMissingPolicy", "threshold", "mistakeBudget", "calibration", "engine",
    "split", "metrics", "sliceMetrics", "gates", "compact", "referenceProfile"})
public record Manifest(int formatVersion, String name, String version, Instant createdAt, String gitSha,
    String configHash, String datasetSnapshotId, String featureSetHash, List<FeatureSpec> features,
    MissingPolicy defaultMissingPolicy, double threshold, String mistakeBudget, Calibration calibration,
    EngineInfo engine, SplitInfo split, Map<String, Double> metrics, Map<String, Map<String, Double>> sliceMetrics,
    List<String> gates, Map<String, String> compact, ReferenceProfile referenceProfile) {

  public static final int FORMAT_VERSION = 1;

  public Manifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("manifest formatVersion " + formatVersion + " is not supported (expected "
          + FORMAT_VERSION + ")");
    }
    require(name, "name");
    require(version, "version");
    if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("manifest version '" + version
          + "' may only contain letters, digits, '.', '_' and '-'");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("manifest createdAt must not be null");
    }
    require(gitSha, "gitSha");
    require(configHash, "configHash");
    require(datasetSnapshotId, "datasetSnapshotId");
    require(featureSetHash, "featureSetHash");
    if (features == null || features.isEmpty()) {
      throw new IllegalArgumentException("manifest features must not be empty");
    }
    features = List.copyOf(features);
    if (defaultMissingPolicy == null) {
      throw new IllegalArgumentException("manifest defaultMissingPolicy must not be null");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("manifest threshold must be in [0,1], was " + threshold);
    }
    if (calibration == null || engine == null || split == null || referenceProfile == null) {
      throw new IllegalArgumentException("manifest calibration, engine, split and referenceProfile are required");
    }
    metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
    sliceMetrics = sliceMetrics == null ? Map.of() : new TreeMap<>(sliceMetrics);
    gates = gates == null ? List.of() : List.copyOf(gates);
    compact = compact == null ? Map.of() : new TreeMap<>(compact);
  }

  private static void require(final String v, final String key) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("manifest " + key + " must not be blank");
    }
  }

  public List<String> featureNames() {
    return features.stream().map(FeatureSpec::name).toList();
  }

  /** The policy for a feature by name. */
  public MissingPolicy missingPolicy(final String feature) {
    return features.stream().filter(f -> f.name().equals(feature)).findFirst()
        .map(FeatureSpec::missingPolicy)
        .orElseThrow(() -> new IllegalArgumentException("feature '" + feature + "' is not an input of model "
            + name + " " + version));
  }

  /**
   * Where the time split fell.
   *
   * @param validationFrom first validation event time (epoch ms, inclusive)
   * @param testFrom first test event time (epoch ms, inclusive)
   */
  public record SplitInfo(long validationFrom, long testFrom, int trainRows, int validationRows, int testRows) {
  }
}
