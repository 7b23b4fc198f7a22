package io.driftguard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL = """
        applicationId: driftguard-features
        kafka:
          bootstrapServers: broker:9092
        schemaRegistry:
          url: http://registry:8081
        """;

    record ScoringSection(Integer batchSize, Duration flushInterval) {
        ScoringSection {
            batchSize = ConfigChecks.inRange("batchSize", ConfigChecks.orDefault(batchSize, 256), 1, 10_000);
            flushInterval = ConfigChecks.positive("flushInterval",
                ConfigChecks.orDefault(flushInterval, Duration.ofMillis(20)));
        }
    }

    @Test
    void shouldApplyDefaultsWhenOnlyRequiredKeysAreGiven() {
        // Given / When
        final DriftguardConfig config = ConfigLoader.withEnv(Map.of()).loadYaml(MINIMAL, "test.yaml").common();

        // Then
        assertThat(config.applicationId()).isEqualTo("driftguard-features");
        assertThat(config.streams().processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(config.streams().commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.topics().predictionsShadow()).isEqualTo("predictions-shadow");
        assertThat(config.topics().modelControl()).isEqualTo("model-control");
        assertThat(config.topics().deadLetters()).isEqualTo("dead-letters");
        assertThat(config.topics().partitions()).isEqualTo(4);
        assertThat(config.metrics().port()).isEqualTo(MetricsSettings.DEFAULT_PORT);
        assertThat(config.instanceId()).isNotBlank();
    }

    @Test
    void shouldParseBothDurationFormsWhenGivenInYaml() {
        // Given
        final String yaml = MINIMAL + """
            streams:
              commitInterval: 500ms
              shutdownTimeout: PT1M
            """;

        // When
        final StreamsSettings streams = ConfigLoader.withEnv(Map.of()).loadYaml(yaml, "t").common().streams();

        // Then
        assertThat(streams.commitInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(streams.shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("pt5s")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldNameKeyWhenDurationIsBad() {
        // Given
        final String yaml = MINIMAL + "streams:\n  commitInterval: abc\n";

        // When / Then
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml(yaml, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config key 'streams.commitInterval': expected a duration like 5s or PT5S, got 'abc'");
    }

    @Test
    void shouldRejectUnknownKeyWhenNested() {
        // Given
        final String yaml = MINIMAL + "streams:\n  comitInterval: 5s\n";

        // When / Then
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml(yaml, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("config key 'streams.comitInterval': unknown key");
    }

    @Test
    void shouldRejectUnknownKeyWhenTopLevel() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml(MINIMAL + "scoring:\n  batchSize: 3\n", "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("config key 'scoring': unknown key");
    }

    @Test
    void shouldNameKeyWhenCompactConstructorRejectsValue() {
        // Given
        final String yaml = MINIMAL + "topics:\n  partitions: 0\n";

        // When / Then
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml(yaml, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config key 'topics.partitions': must be between 1 and 10000, got 0");
    }

    @Test
    void shouldNameKeyWhenRequiredKeyIsMissing() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml("applicationId: a\nschemaRegistry:\n"
            + "  url: http://r:8081\n", "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config key 'kafka.bootstrapServers': is required but missing or blank");
    }

    @Test
    void shouldOverrideFileWhenDriftguardEnvironmentVariableIsSet() {
        // Given
        final Map<String, String> env = Map.of(
            "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", "prod-broker:9093",
            "DRIFTGUARD_STREAMS_COMMIT_INTERVAL", "PT0.2S",
            "DRIFTGUARD_TOPICS_PREDICTIONS_SHADOW", "shadow-out",
            "DRIFTGUARD_JAVA_OPTS", "-Xmx1g",
            "PATH", "/usr/bin");

        // When
        final DriftguardConfig config = ConfigLoader.withEnv(env).loadYaml(MINIMAL, "t").common();

        // Then
        assertThat(config.kafka().bootstrapServers()).isEqualTo("prod-broker:9093");
        assertThat(config.streams().commitInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.topics().predictionsShadow()).isEqualTo("shadow-out");
    }

    @Test
    void shouldNameVariableWhenEnvironmentValueIsBad() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of("DRIFTGUARD_METRICS_PORT", "http"))
            .loadYaml(MINIMAL, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config key 'metrics.port': expected a whole number, got 'http' "
                + "(set by environment variable DRIFTGUARD_METRICS_PORT)");
    }

    @Test
    void shouldRejectDriftguardVariableWhenItMapsToNoKey() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of("DRIFTGUARD_KAFKA_BOOTSTRAP", "x:1"))
            .loadYaml(MINIMAL, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("config key 'DRIFTGUARD_KAFKA_BOOTSTRAP': environment variable maps to no config key");
    }

    @Test
    void shouldPassKafkaVariablesThroughWhenTheyAreClientProperties() {
        // Given
        final Map<String, String> env = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "KAFKA_HEAP_OPTS", "-Xmx1g");
        final String yaml = MINIMAL.replace("  bootstrapServers: broker:9092\n",
            "  bootstrapServers: broker:9092\n  properties:\n    ssl.truststore.location: /etc/ts.jks\n"
                + "    security.protocol: PLAINTEXT\n");

        // When
        final KafkaSettings kafka = ConfigLoader.withEnv(env).loadYaml(yaml, "t").common().kafka();

        // Then
        assertThat(kafka.properties()).containsOnly(
            Map.entry("security.protocol", "SASL_SSL"),
            Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
            Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
            Map.entry("ssl.truststore.location", "/etc/ts.jks"));
        assertThat(kafka.clientProperties()).containsEntry("bootstrap.servers", "broker:9092");
        assertThat(kafka.redacted()).containsEntry("sasl.jaas.config", "[hidden]");
        assertThat(kafka.toString()).doesNotContain("ScramLoginModule");
    }

    @Test
    void shouldRejectKafkaVariableWhenItIsNoClientProperty() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of("KAFKA_SECURITY_PROTCOL", "SSL")).loadYaml(MINIMAL, "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config key 'kafka.properties.security.protcol': not a Kafka client property (check the "
                + "spelling against the Kafka client docs) (set by environment variable KAFKA_SECURITY_PROTCOL)");
    }

    @Test
    void shouldBindAppSectionWhenRegistered() {
        // Given
        final String yaml = MINIMAL + "scoring:\n  batchSize: 64\n";
        final ConfigLoader loader = ConfigLoader.withEnv(Map.of("DRIFTGUARD_SCORING_FLUSH_INTERVAL", "50ms"))
            .withSection("scoring", ScoringSection.class);

        // When
        final ScoringSection scoring = loader.loadYaml(yaml, "t").section("scoring", ScoringSection.class);

        // Then
        assertThat(scoring).isEqualTo(new ScoringSection(64, Duration.ofMillis(50)));
        assertThat(loader.keyFor("DRIFTGUARD_SCORING_BATCH_SIZE")).isEqualTo("scoring.batchSize");
        assertThat(loader.keyFor("DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"))
            .isEqualTo("schemaRegistry.basicAuthUserInfo");
    }

    @Test
    void shouldRejectUnknownKeyWhenInsideAppSection() {
        final ConfigLoader loader = ConfigLoader.withEnv(Map.of()).withSection("scoring", ScoringSection.class);
        assertThatThrownBy(() -> loader.loadYaml(MINIMAL + "scoring:\n  batchSise: 64\n", "t"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("config key 'scoring.batchSise': unknown key");
    }

    @Test
    void shouldApplySectionDefaultsWhenSectionIsAbsent() {
        final ScoringSection scoring = ConfigLoader.withEnv(Map.of()).withSection("scoring", ScoringSection.class)
            .loadYaml(MINIMAL, "t").section("scoring", ScoringSection.class);
        assertThat(scoring.batchSize()).isEqualTo(256);
    }

    @Test
    void shouldNameFileWhenYamlIsBroken(@TempDir final Path dir) throws Exception {
        // Given
        final Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "kafka: [unclosed\n");

        // When / Then
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("config file '" + file + "': is not valid YAML at line");
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).load(dir.resolve("missing.yaml")))
            .hasMessageEndingWith("missing.yaml': not found");
    }

    @Test
    void shouldRejectDuplicateTopicNamesWhenConfigured() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of()).loadYaml(MINIMAL + "topics:\n  alerts: events\n", "t"))
            .hasMessage("config key 'topics.alerts': topic name 'events' is already used by 'events'");
    }

    @Test
    void shouldRejectEnumValueWhenUnknown() {
        assertThatThrownBy(() -> ConfigLoader.withEnv(Map.of("DRIFTGUARD_STREAMS_PROCESSING_GUARANTEE", "exactly_once"))
            .loadYaml(MINIMAL, "t"))
            .hasMessageStartingWith("config key 'streams.processingGuarantee': expected one of exactly_once_v2, "
                + "at_least_once, got 'exactly_once'");
    }

    @Test
    void shouldLoadFromEnvironmentOnlyWhenNoFileIsGiven() {
        // Given
        final Map<String, String> env = Map.of("DRIFTGUARD_APPLICATION_ID", "drift-monitor",
            "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "DRIFTGUARD_SCHEMA_REGISTRY_URL", "http://r:8081");

        // When
        final DriftguardConfig config = ConfigLoader.withEnv(env).load(null).common();

        // Then
        assertThat(config.applicationId()).isEqualTo("drift-monitor");
        assertThat(config.schemaRegistry().url()).isEqualTo("http://r:8081");
    }
}
