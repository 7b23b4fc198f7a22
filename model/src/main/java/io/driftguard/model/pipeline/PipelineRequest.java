package io.driftguard.model.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One training run.
 *
 * @param config the pipeline config
 * @param source the data; null uses the config's generator
 * @param outputDir where the bundle ({@code bundle/}), the report ({@code report/}) and {@code summary.json} go;
 *     {@code bundle/} must not exist yet
 * @param registryRoot the model registry to register in (and promote in), or null to skip registry steps
 * @param version the model version to create
 * @param createdAt recorded in the manifest
 * @param gitSha code version recorded in the manifest, or null to ask git
 * @param who recorded in the registry history
 * @param promote promote the candidate to champion when every gate passes
 */
public record PipelineRequest(PipelineConfig config, DataSource source, Path outputDir, Path registryRoot,
    String version, Instant createdAt, String gitSha, String who, boolean promote) {

  public PipelineRequest {
    Objects.requireNonNull(config, "config");
    if (source == null && config.generator() == null) {
      throw new IllegalArgumentException("no data source: give one, or a 'generator' section in the config");
    }
    Objects.requireNonNull(outputDir, "outputDir");
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("version must not be blank");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    who = who == null || who.isBlank() ? System.getProperty("user.name", "unknown") : who;
    if (promote && registryRoot == null) {
      throw new IllegalArgumentException("promote needs a registry (registryRoot)");
    }
  }

  /** The data source of this run. */
  public DataSource dataSource() {
    return source != null ? source : DataSource.generator(config.generator());
  }
}
