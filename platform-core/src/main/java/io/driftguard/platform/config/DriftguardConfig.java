package io.driftguard.platform.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The part of the configuration every driftguard app shares. Loaded by {@link ConfigLoader}; each app adds its own
 * top-level section (its own record) beside these keys.
 *
 * @param applicationId Kafka Streams {@code application.id}; required
 * @param instanceId identifies this process in metrics ({@code instance} tag); default the host name
 */
public record DriftguardConfig(
    String applicationId,
    String instanceId,
    KafkaSettings kafka,
    SchemaRegistrySettings schemaRegistry,
    StreamsSettings streams,
    TopicSettings topics,
    MetricsSettings metrics) {

    public DriftguardConfig {
        applicationId = ConfigChecks.requiredText("applicationId", applicationId);
        if (!applicationId.matches("[a-zA-Z0-9._-]+")) {
            throw new ConfigException("applicationId",
                "may only contain letters, digits, '.', '_' and '-', got '" + applicationId + "'");
        }
        instanceId = instanceId == null || instanceId.isBlank() ? hostName() : instanceId.trim();
        ConfigChecks.required("kafka", kafka);
        ConfigChecks.required("schemaRegistry", schemaRegistry);
        streams = ConfigChecks.orDefault(streams, StreamsSettings.defaults());
        topics = ConfigChecks.orDefault(topics, TopicSettings.defaults());
        metrics = ConfigChecks.orDefault(metrics, MetricsSettings.defaults());
    }

    /** A copy with another application id, e.g. when one process runs several apps. */
    public DriftguardConfig withApplicationId(final String newApplicationId) {
        return new DriftguardConfig(newApplicationId, instanceId, kafka, schemaRegistry, streams, topics, metrics);
    }

    /** A copy with other metrics settings, e.g. an ephemeral port in tests. */
    public DriftguardConfig withMetrics(final MetricsSettings newMetrics) {
        return new DriftguardConfig(applicationId, instanceId, kafka, schemaRegistry, streams, topics, newMetrics);
    }

    /** A copy with other streams settings. */
    public DriftguardConfig withStreams(final StreamsSettings newStreams) {
        return new DriftguardConfig(applicationId, instanceId, kafka, schemaRegistry, newStreams, topics, metrics);
    }

    private static String hostName() {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "unknown";
        }
    }
}
