package io.driftguard.features;

import io.driftguard.platform.config.ConfigChecks;
import io.driftguard.platform.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code features:} section of a feature-stream config file ({@link FeatureApp#SECTION}).
 *
 * <pre>{@code
 * features:
 *   featureSet: classpath:features/transactions.yaml   # or a file path; default: the demo Transaction set
 *   eventSchema: /etc/driftguard/event.avsc             # optional; default: the class the set's 'schema:' names
 *   slaCheckInterval: 30s                               # wall-clock SLA check (the breached-entities gauge)
 *   expiryInterval: 10m                                 # stream-time sweep of idle entities
 *   history: true                                       # keep every vector for GET /features/{id}?asOf= (default)
 * }</pre>
 *
 * @param featureSet {@code classpath:<resource>} or a path to the feature-set YAML
 * @param eventSchema path to the events' Avro schema ({@code .avsc}), or null to use the SpecificRecord class named by
 *     the feature set's {@code schema:} key
 * @param slaCheckInterval how often (wall clock) SLA breaches are counted
 * @param expiryInterval how often (stream time) idle entities are swept
 * @param history whether emitted vectors are kept for {@code ?asOf} queries (default
 *     {@value FeatureTopologyConfig#DEFAULT_HISTORY}); off, the topology skips a versioned-store write per event and
 *     {@code ?asOf} is refused with a 400 that says so
 */
public record FeatureStreamSettings(String featureSet, Path eventSchema, Duration slaCheckInterval,
    Duration expiryInterval, Boolean history) {

  /** Prefix of a feature set read from the classpath. */
  public static final String CLASSPATH = "classpath:";

  public FeatureStreamSettings {
    featureSet = ConfigChecks.orDefault(featureSet, CLASSPATH + FeatureSet.TRANSACTIONS_RESOURCE).trim();
    if (featureSet.isEmpty() || featureSet.equals(CLASSPATH)) {
      throw new ConfigException("featureSet", "must name a file or classpath:<resource>");
    }
    slaCheckInterval = ConfigChecks.positive("slaCheckInterval",
        ConfigChecks.orDefault(slaCheckInterval, FeatureTopologyConfig.DEFAULT_SLA_CHECK_INTERVAL));
    expiryInterval = ConfigChecks.positive("expiryInterval",
        ConfigChecks.orDefault(expiryInterval, FeatureTopologyConfig.DEFAULT_EXPIRY_INTERVAL));
    history = ConfigChecks.orDefault(history, FeatureTopologyConfig.DEFAULT_HISTORY);
  }

  /** With the default {@link #history()}. */
  public FeatureStreamSettings(final String featureSet, final Path eventSchema, final Duration slaCheckInterval,
      final Duration expiryInterval) {
    this(featureSet, eventSchema, slaCheckInterval, expiryInterval, null);
  }

  /** All defaults: the demo Transaction feature set. */
  public static FeatureStreamSettings defaults() {
    return new FeatureStreamSettings(null, null, null, null);
  }
}
