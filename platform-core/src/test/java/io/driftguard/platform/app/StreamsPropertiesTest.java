package io.driftguard.platform.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.deadletter.DeadLetterDeserializationHandler;
import io.driftguard.platform.deadletter.DeadLetterProcessingHandler;
import io.driftguard.schemas.registry.RegistryClientConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private static final String YAML = """
        applicationId: driftguard-scoring
        instanceId: pod-7
        kafka:
          bootstrapServers: b1:9093,b2:9093
        schemaRegistry:
          url: https://registry:8081
          basicAuthUserInfo: "svc:secret"
          properties:
            ssl.truststore.location: /etc/registry-ts.jks
            ssl.truststore.password: changeit
        streams:
          commitInterval: 250ms
          cacheMaxBytes: 0
          stateDir: /var/lib/driftguard
        """;

    @Test
    void shouldBuildStreamsPropertiesWithEosAndHandlersWhenConfigIsLoaded() {
        // Given
        final DriftguardConfig config = ConfigLoader.withEnv(Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")).loadYaml(YAML, "t").common();

        // When
        final Properties props = StreamsProperties.from(config);

        // Then
        assertThat(props)
            .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "driftguard-scoring")
            .containsEntry(StreamsConfig.CLIENT_ID_CONFIG, "driftguard-scoring-pod-7")
            .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "b1:9093,b2:9093")
            .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
            .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 250L)
            .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L)
            .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/driftguard")
            .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName())
            .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName())
            .containsEntry("security.protocol", "SASL_SSL")
            .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
        // Kafka's own validation accepts every value
        assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
            .isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldMapRegistryAuthAndTlsToConfluentNamesWhenBuildingClientConfigs() {
        // Given
        final DriftguardConfig config = ConfigLoader.withEnv(Map.of()).loadYaml(YAML, "t").common();

        // When
        final Map<String, Object> configs = SchemaRegistries.clientConfigs(config.schemaRegistry());
        final RegistryClientConfig client = RegistryClientConfig.fromConfigs(configs);

        // Then
        assertThat(configs).containsEntry("schema.registry.ssl.truststore.location", "/etc/registry-ts.jks")
            .containsEntry("basic.auth.credentials.source", "USER_INFO");
        assertThat(client.basicAuthUserInfo()).isEqualTo("svc:secret");
        assertThat(client.tls()).isNotNull();
        assertThat(config.schemaRegistry().toString()).doesNotContain("secret");
    }
}
