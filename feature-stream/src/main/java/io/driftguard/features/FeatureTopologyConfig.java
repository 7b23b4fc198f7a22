package io.driftguard.features;

import io.driftguard.platform.config.TopicSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link FeatureTopology#build} needs besides serdes.
 *
 * @param featureSet the validated feature set
 * @param eventsTopic input topic (key entity id, value producer Avro)
 * @param featuresTopic output topic of {@code FeatureVector}s
 * @param deadLettersTopic output topic of {@code DeadLetter}s
 * @param expiryInterval how often (in stream time) idle entities are swept from the state store; null = default
 * @param slaCheckInterval how often (wall clock) entities breaching freshness SLAs are counted; null = default
 * @param history whether every emitted vector is also kept in the versioned history store, which {@code ?asOf}
 *     queries read; it costs a versioned-store write per event, about a third of the stream thread's time in the
 *     benchmark (docs/features.md, "Performance")
 */
public record FeatureTopologyConfig(FeatureSet featureSet, String eventsTopic, String featuresTopic,
    String deadLettersTopic, Duration expiryInterval, Duration slaCheckInterval, boolean history) {

  /** Default sweep interval for idle entities. */
  public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofMinutes(10);
  /** Default wall-clock interval of the SLA check. */
  public static final Duration DEFAULT_SLA_CHECK_INTERVAL = Duration.ofSeconds(30);

  /** Default of {@link #history()}: on, so {@code ?asOf} answers unless an operator trades it for throughput. */
  public static final boolean DEFAULT_HISTORY = true;

  public FeatureTopologyConfig {
    Objects.requireNonNull(featureSet, "featureSet");
    eventsTopic = topic("eventsTopic", eventsTopic);
    featuresTopic = topic("featuresTopic", featuresTopic);
    deadLettersTopic = topic("deadLettersTopic", deadLettersTopic);
    expiryInterval = expiryInterval == null ? DEFAULT_EXPIRY_INTERVAL : expiryInterval;
    if (expiryInterval.isNegative() || expiryInterval.isZero()) {
      throw new IllegalArgumentException("expiryInterval must be positive, got " + expiryInterval);
    }
    slaCheckInterval = slaCheckInterval == null ? DEFAULT_SLA_CHECK_INTERVAL : slaCheckInterval;
    if (slaCheckInterval.isNegative() || slaCheckInterval.isZero()) {
      throw new IllegalArgumentException("slaCheckInterval must be positive, got " + slaCheckInterval);
    }
  }

  /** With the default {@link #history()} ({@value #DEFAULT_HISTORY}). */
  public FeatureTopologyConfig(final FeatureSet featureSet, final String eventsTopic, final String featuresTopic,
      final String deadLettersTopic, final Duration expiryInterval, final Duration slaCheckInterval) {
    this(featureSet, eventsTopic, featuresTopic, deadLettersTopic, expiryInterval, slaCheckInterval, DEFAULT_HISTORY);
  }

  /** Topic names from the platform's topic settings. */
  public static FeatureTopologyConfig of(final FeatureSet featureSet, final TopicSettings topics) {
    return new FeatureTopologyConfig(featureSet, topics.events(), topics.features(), topics.deadLetters(), null, null);
  }

  /** This config with {@link #history()} set to {@code enabled}. */
  public FeatureTopologyConfig withHistory(final boolean enabled) {
    return new FeatureTopologyConfig(featureSet, eventsTopic, featuresTopic, deadLettersTopic, expiryInterval,
        slaCheckInterval, enabled);
  }

  private static String topic(final String key, final String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(key + " must not be blank");
    }
    return name;
  }
}
