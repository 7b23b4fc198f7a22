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
 * }</pre>
 *
 * @param featureSet {@code classpath:<resource>} or a path to the feature-set YAML
 * @param eventSchema path to the events' Avro schema ({@code .avsc}), or null to use the SpecificRecord class named by
 *     the feature set's {@code schema:} key
 * @param slaCheckInterval how often (wall clock) SLA breaches are counted
 * @param expiryInterval how often (stream time) idle entities are swept
 */
public record FeatureStreamSettings(String featureSet, Path eventSchema, Duration slaCheckInterval,
    Duration expiryInterval) {

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
  }

  /** All defaults: the demo Transaction feature set. */
  public static FeatureStreamSettings defaults() {
    return new FeatureStreamSettings(null, null, null, null);
  }
}
