package io.driftguard.model.train;

import java.time.Instant;

/**
 * Per-run inputs that are not part of the config.
 *
 * @param version the model version to stamp (e.g. {@code v3}); becomes the registry directory name
 * @param createdAt when the bundle is created (explicit so runs are reproducible)
 * @param gitSha code version; null reads {@code git rev-parse HEAD}, falling back to "unknown"
 */
public record TrainOptions(String version, Instant createdAt, String gitSha) {
  public TrainOptions {
    if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("version '" + version
          + "' must be non-empty and contain only letters, digits, '.', '_' and '-'");
    }
    if (createdAt == null) {
      throw new IllegalArgumentException("createdAt must not be null");
    }
  }
}
