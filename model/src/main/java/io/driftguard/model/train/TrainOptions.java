package io.driftguard.model.train;

import java.time.Instant;

/**
 * Per-run inputs that are not part of the config.
 *
 * @param version the model version to stamp (e.g. {@code v3}); becomes the registry directory name
 * @param createdAt when the bundle is created (explicit so runs are reproducible)
 * @param gitSha code version; null reads {@code git rev-parse HEAD}, falling back to "unknown"
 * @param datasetSnapshotId the id of what the dataset was built from (e.g. the TrainingSetBuilder's snapshot id,
 *     over the replayed inputs and the builder config), recorded in the manifest; null records the dataset's own
 *     id over its rows and the training config ({@link io.driftguard.model.Dataset#snapshotId(String)})
 */
public record TrainOptions(String version, Instant createdAt, String gitSha, String datasetSnapshotId) {
  public TrainOptions {
    if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("version '" + version
          + "' must be non-empty and contain only letters, digits, '.', '_' and '-'");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("createdAt must not be null");
    }
    if (datasetSnapshotId != null && !datasetSnapshotId.matches("[0-9A-Za-z._:-]+")) {
      throw new IllegalArgumentException("datasetSnapshotId '" + datasetSnapshotId
          + "' must be null or a non-empty id of letters, digits, '.', '_', ':' and '-'");
    }
  }

  /** Options for a dataset with no upstream snapshot id: the manifest records the dataset's own. */
  public TrainOptions(final String version, final Instant createdAt, final String gitSha) {
    this(version, createdAt, gitSha, null);
  }
}
