package io.driftguard.platform.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How a driftguard topic is created.
 *
 * @param coPartitioned true for topics keyed by entity id that must share one partition count (the joins need it)
 * @param valueSchema the value schema registered under {@code <name>-value}
 */
public record TopicDefinition(String name, int partitions, short replicationFactor, CleanupPolicy cleanupPolicy,
                              boolean coPartitioned, Schema valueSchema) {

    /** Kafka {@code cleanup.policy}. */
    public enum CleanupPolicy {
        DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

        private final String kafkaName;

        CleanupPolicy(final String kafkaName) {
            this.kafkaName = kafkaName;
        }

        public String kafkaName() {
            return kafkaName;
        }
    }

    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy of " + name);
        Objects.requireNonNull(valueSchema, "valueSchema of " + name);
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + " needs partitions >= 1 and replication >= 1");
        }
    }

    /** The TopicNameStrategy value subject. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Topic configs set at creation. */
    public Map<String, String> configs() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.kafkaName());
    }
}
