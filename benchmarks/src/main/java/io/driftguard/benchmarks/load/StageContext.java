package io.driftguard.benchmarks.load;

import java.nio.file.Path;

/**
 * What a stage needs for one run.
 *
 * @param bootstrapServers the broker to use
 * @param inputTopic the pre-loaded input topic (same for every stage in a harness run)
 * @param outputTopic a fresh topic for this run, created with the input's partition count
 * @param runId unique per run: use it in group ids and Streams application ids so no offsets are reused
 * @param stateDir an empty directory for this run's local state (Kafka Streams state.dir)
 * @param schemaRegistryUrl the registry of the Avro input, null when the input is random bytes
 */
public record StageContext(String bootstrapServers, String inputTopic, String outputTopic, String runId,
    Path stateDir, String schemaRegistryUrl) {
  public StageContext {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(inputTopic, "inputTopic");
    requireText(outputTopic, "outputTopic");
    requireText(runId, "runId");
    if (stateDir == null) {
      throw new IllegalArgumentException("stateDir: must not be null");
    }
  }

  private static void requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + ": must not be blank");
    }
  }
}
