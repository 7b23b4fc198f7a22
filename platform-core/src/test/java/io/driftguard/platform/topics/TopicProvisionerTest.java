package io.driftguard.platform.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.platform.config.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaStackExtension.class)
class TopicProvisionerTest {

    static KafkaStackInfo stack;

    private static TopicSettings prefixed(final String prefix, final int partitions) {
        return new TopicSettings(prefix + "events", prefix + "labels", prefix + "features", prefix + "predictions",
            prefix + "predictions-shadow", prefix + "alerts", prefix + "model-control", prefix + "dead-letters",
            partitions, (short) 1);
    }

    @Test
    void shouldCreateMissingTopicsWithCleanupPoliciesAndBeIdempotentWhenRunTwice() throws Exception {
        // Given
        final List<TopicDefinition> topics = TopicCatalogue.of(prefixed("prov-a-", 3));

        try (Admin admin = stack.admin()) {
            // When
            final TopicProvisioner.Report first = TopicProvisioner.ensure(admin, topics, Duration.ofSeconds(30));
            final TopicProvisioner.Report second = TopicProvisioner.ensure(admin, topics, Duration.ofSeconds(30));

            // Then
            assertThat(first.created()).hasSize(8);
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(8);
            assertThat(second.partitions()).containsEntry("prov-a-features", 3).containsEntry("prov-a-model-control", 1);
            final Map<ConfigResource, Config> configs = admin.describeConfigs(Set.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-features"),
                new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-model-control"),
                new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-events"))).all().get();
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-features"))
                .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-model-control"))
                .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "prov-a-events"))
                .get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void shouldFailNamingTopicsWhenExistingCoPartitionedTopicHasOtherPartitionCount() {
        // Given
        stack.createTopics(2, "prov-b-features");
        final List<TopicDefinition> topics = TopicCatalogue.of(prefixed("prov-b-", 4));

        try (Admin admin = stack.admin()) {
            // When / Then
            assertThatThrownBy(() -> TopicProvisioner.ensure(admin, topics, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prov-b-events=4")
                .hasMessageContaining("prov-b-features=2");
        }
    }

    @Test
    void shouldFailNamingTopicWhenTableTopicExistsWithoutCompaction() {
        // Given
        stack.createTopics(4, "prov-c-model-control");
        final List<TopicDefinition> topics = TopicCatalogue.of(prefixed("prov-c-", 4));

        try (Admin admin = stack.admin()) {
            // When / Then
            assertThatThrownBy(() -> TopicProvisioner.ensure(admin, topics, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic prov-c-model-control must have cleanup.policy=compact (it is read as a table), "
                    + "found cleanup.policy=delete");
        }
    }
}
