package io.driftguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.DriftguardConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where a command's Kafka cluster and schema registry are. Security settings come from the environment through
 * platform-core's rules: {@code KAFKA_*} client properties (e.g. {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_JAAS_CONFIG}) and the registry's {@code DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO} /
 * {@code DRIFTGUARD_SCHEMA_REGISTRY_PROPERTIES}; topic names from {@code DRIFTGUARD_TOPICS_*} as in the apps. The
 * flags name the cluster explicitly, so the environment never redirects a command to another cluster; other
 * {@code DRIFTGUARD_*} variables belong to the apps and are ignored here.
 */
final class ClusterOptions {

    /** The environment variables a CLI client takes from its environment besides {@code KAFKA_*}. */
    static final Set<String> CLIENT_ENV = Set.of("DRIFTGUARD_KAFKA_PROPERTIES",
        "DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "DRIFTGUARD_SCHEMA_REGISTRY_PROPERTIES");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        description = "Kafka cluster. Client security settings come from KAFKA_* environment variables "
            + "(e.g. KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG).")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL",
        description = "Schema registry URL (required with --bootstrap-servers). Basic auth and TLS from "
            + "DRIFTGUARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO and DRIFTGUARD_SCHEMA_REGISTRY_PROPERTIES.")
    String schemaRegistry;

    boolean given() {
        return bootstrapServers != null || schemaRegistry != null;
    }

    /**
     * The client config for the given cluster.
     *
     * @throws CommandLine.ParameterException when a flag is missing or a setting is invalid (usage error, exit 2)
     */
    DriftguardConfig config(final CommandSpec spec, final Map<String, String> env, final String clientId) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--bootstrap-servers is required with --schema-registry");
        }
        if (schemaRegistry == null || schemaRegistry.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--schema-registry is required with --bootstrap-servers");
        }
        final Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("applicationId", clientId);
        tree.put("kafka", Map.of("bootstrapServers", bootstrapServers));
        tree.put("schemaRegistry", Map.of("url", schemaRegistry));
        final Map<String, String> clientEnv = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("KAFKA_") || k.startsWith("DRIFTGUARD_TOPICS_") || CLIENT_ENV.contains(k)) {
                clientEnv.put(k, v);
            }
        });
        try {
            // JSON is YAML: the flags become the config "file", the environment adds the security settings
            return ConfigLoader.withEnv(clientEnv).loadYaml(JSON.writeValueAsString(tree), "command line").common();
        } catch (final ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot render the cluster settings: " + e.getMessage(), e);
        }
    }
}
