package io.driftguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.platform.config.DriftguardConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterOptionsTest {

    private final PromoteCommand command = new PromoteCommand();
    private final CommandLine commandLine = new CommandLine(command);

    @Test
    void shouldPassKafkaSecuritySettingsFromTheEnvironmentWhenBuildingTheProducer() {
        // Given
        commandLine.parseArgs("--registry", "r", "--model", "m", "--version", "v", "--bootstrap-servers",
            "broker:9093", "--schema-registry", "https://registry:8081");
        final Map<String, String> env = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "ops:secret",
            "DRIFTGUARD_KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
            "DRIFTGUARD_SCORING_BATCH_SIZE", "an app's key, not the CLI's");

        // When
        final DriftguardConfig config = command.cluster.config(command.spec, env, "driftguard-cli");
        final Properties props = ModelControlPublisher.producerProperties(config);

        // Then: the flags name the cluster, the environment brings its auth
        assertThat(props).containsEntry("bootstrap.servers", "broker:9093")
            .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
            .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
            .containsKey("sasl.jaas.config");
        assertThat(config.schemaRegistry().url()).isEqualTo("https://registry:8081");
        assertThat(config.schemaRegistry().basicAuthUserInfo()).isEqualTo("ops:secret");
    }

    @Test
    void shouldFailAsUsageErrorNamingTheVariableWhenAKafkaSettingIsUnknown() {
        // Given
        commandLine.parseArgs("--registry", "r", "--model", "m", "--version", "v", "--bootstrap-servers",
            "broker:9093", "--schema-registry", "http://registry:8081");

        // When / Then
        assertThatThrownBy(() -> command.cluster.config(command.spec, Map.of("KAFKA_SECURITY_PROTOCALL", "SSL"),
            "driftguard-cli"))
            .isInstanceOf(CommandLine.ParameterException.class)
            .hasMessageContaining("security.protocall").hasMessageContaining("KAFKA_SECURITY_PROTOCALL");
    }
}
