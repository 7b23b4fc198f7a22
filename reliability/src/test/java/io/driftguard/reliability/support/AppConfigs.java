package io.driftguard.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * YAML configs of the apps under test, all topics prefixed so test classes sharing a broker do not meet. The metrics
 * port is left to {@link AppProcess} (environment override per start).
 */
public final class AppConfigs {
  /** scoring-stream answers with this rule when no model can; declared because the config requires one. */
  public static final String FALLBACK_RULE = "{name: fallback-rule, score: 0.0, threshold: 0.5}";
  public static final String FEATURE_SET = "classpath:features/transactions.yaml";

  /**
   * Where and how the apps run.
   *
   * @param bootstrapServers the broker
   * @param registryUrl the schema registry
   * @param prefix prefix of every topic name and of the application ids
   * @param partitions partitions of the co-partitioned topics
   * @param commitInterval Streams commit interval (bounds end-to-end latency under exactly-once)
   */
  public record Cluster(String bootstrapServers, String registryUrl, String prefix, int partitions,
      Duration commitInterval) {
    public Cluster {
      if (prefix == null || !prefix.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException("prefix must be lower-case kebab, was " + prefix);
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
      }
    }

    public String topic(final String name) {
      return prefix + "-" + name;
    }
  }

  private AppConfigs() {
  }

  private static String common(final Cluster c, final String appId, final String instanceId, final Path stateDir) {
    // A killed member must leave the group within seconds, not the default 45 s, or every kill stalls its tasks.
    // Transactions get 30 s instead of Streams' 10 s: on a loaded 2-core machine a task can stay open longer (task
    // idling for features), and a coordinator-aborted transaction surfaces at commit as InvalidTxnStateException,
    // which platform-core's UncaughtExceptionPolicy treats as fatal (see docs/reliability.md, Crash consistency).
    return """
        applicationId: %1$s
        instanceId: %2$s
        kafka:
          bootstrapServers: %3$s
          properties:
            consumer.session.timeout.ms: "6000"
            consumer.heartbeat.interval.ms: "1500"
            producer.transaction.timeout.ms: "30000"
        schemaRegistry: {url: "%4$s"}
        streams: {commitInterval: %5$dms, shutdownTimeout: 20s, stateDir: "%6$s"}
        metrics: {host: 127.0.0.1, port: 0}
        topics: {events: %7$s-events, features: %7$s-features, labels: %7$s-labels,
                 predictions: %7$s-predictions, predictionsShadow: %7$s-predictions-shadow,
                 alerts: %7$s-alerts, modelControl: %7$s-model-control, deadLetters: %7$s-dead-letters,
                 partitions: %8$d}
        """.formatted(appId, instanceId, c.bootstrapServers(), c.registryUrl(), c.commitInterval().toMillis(),
        stateDir.toAbsolutePath(), c.prefix(), c.partitions());
  }

  public static String featureAppId(final Cluster c) {
    return c.prefix() + "-features";
  }

  public static String scoringAppId(final Cluster c) {
    return c.prefix() + "-scoring";
  }

  /** feature-stream with the demo feature set. */
  public static Path featureStream(final Path dir, final Cluster c, final String instanceId, final Path stateDir) {
    return write(dir.resolve(instanceId + ".yaml"), common(c, featureAppId(c), instanceId, stateDir) + """
        features: {featureSet: "%s"}
        """.formatted(FEATURE_SET));
  }

  /**
   * scoring-stream scoring with the champion of model {@code fraud} in {@code registryDir}.
   *
   * @param featureHistory how much feature history the scorer keeps (bounds its versioned store), null = default
   */
  public static Path scoringStream(final Path dir, final Cluster c, final String instanceId, final Path stateDir,
      final Path registryDir, final Duration featureHistory) {
    // modelTimeout far above the 100 ms default: on a loaded 2-core machine a first call can take longer, and the
    // fallback rule would answer instead of the model.
    final String history = featureHistory == null ? "" : ", featureHistory: " + featureHistory.toSeconds() + "s";
    return write(dir.resolve(instanceId + ".yaml"), common(c, scoringAppId(c), instanceId, stateDir) + """
        scoring: {modelName: fraud, registryDir: "%s", maxTaskIdle: 1s, modelTimeout: 10s%s, fallbackRule: %s}
        features: {featureSet: "%s"}
        """.formatted(registryDir.toAbsolutePath(), history, FALLBACK_RULE, FEATURE_SET));
  }

  private static Path write(final Path file, final String yaml) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write config " + file, e);
    }
  }
}
