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
 */
public record FeatureTopologyConfig(FeatureSet featureSet, String eventsTopic, String featuresTopic,
    String deadLettersTopic, Duration expiryInterval, Duration slaCheckInterval) {

  /** Default sweep interval for idle entities. */
  public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofMinutes(10);
  /** Default wall-clock interval of the SLA check. */
  public static final Duration DEFAULT_SLA_CHECK_INTERVAL = Duration.ofSeconds(30);

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

  /** Topic names from the platform's topic settings. */
  public static FeatureTopologyConfig of(final FeatureSet featureSet, final TopicSettings topics) {
    return new FeatureTopologyConfig(featureSet, topics.events(), topics.features(), topics.deadLetters(), null, null);
  }

  private static String topic(final String key, final String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(key + " must not be blank");
    }
    return name;
  }
}
