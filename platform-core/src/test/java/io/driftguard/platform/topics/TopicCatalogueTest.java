package io.driftguard.platform.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicDefinition.CleanupPolicy;
import io.driftguard.schemas.DriftguardSchemas;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {

    @Test
    void shouldMatchDesignWhenDefaultsAreUsed() {
        // When
        final List<TopicDefinition> topics = TopicCatalogue.of(TopicSettings.defaults());

        // Then
        assertThat(topics).extracting(TopicDefinition::name).containsExactly("events", "labels", "features",
            "predictions", "predictions-shadow", "alerts", "model-control", "dead-letters");
        assertThat(topics).filteredOn(t -> t.cleanupPolicy() == CleanupPolicy.COMPACT)
            .extracting(TopicDefinition::name).containsExactly("features", "model-control");
        assertThat(topics).filteredOn(TopicDefinition::coPartitioned).extracting(TopicDefinition::name)
            .containsExactly("events", "labels", "features", "predictions", "predictions-shadow");
        assertThat(topics).allSatisfy(t -> assertThat(t.valueSchema())
            .isEqualTo(DriftguardSchemas.valueSchemaOf(t.name())));
    }

    @Test
    void shouldNameTopicsWhenCoPartitionedCountsDiffer() {
        // Given
        final List<TopicDefinition> topics = TopicCatalogue.of(TopicSettings.defaults());

        // When / Then
        assertThatThrownBy(() -> TopicProvisioner.checkCoPartitioning(topics, Map.of("events", 4, "labels", 4,
            "features", 8, "predictions", 4, "predictions-shadow", 4, "alerts", 1, "model-control", 1,
            "dead-letters", 4)))
            .hasMessageStartingWith("co-partitioned topics must have the same number of partitions, found events=4, "
                + "labels=4, features=8, predictions=4, predictions-shadow=4");
    }

    @Test
    void shouldNameSourceAndSinkWhenSpecBuildsConsumedAndProduced() {
        // Given
        final TopicSpec<String, String> spec = new TopicSpec<>("events", Serdes.String(), Serdes.String());

        // When / Then: Named processors keep topologies stable across upgrades
        final TopicSpecs specs = TopicSpecs.create(TopicSettings.defaults(), new InMemorySchemaRegistryClient());
        assertThat(specs.modelControl().name()).isEqualTo("model-control");
        assertThat(specs.deadLetters().keySerde().getClass()).isEqualTo(Serdes.ByteArray().getClass());
        final org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        builder.stream(spec.name(), spec.consumed()).to("out", new TopicSpec<>("out", Serdes.String(),
            Serdes.String()).produced());
        assertThat(builder.build().describe().toString()).contains("Source: events-source", "Sink: out-sink");
    }
}
