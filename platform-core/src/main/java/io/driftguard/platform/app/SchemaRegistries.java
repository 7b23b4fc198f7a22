package io.driftguard.platform.app;

import io.driftguard.platform.config.SchemaRegistrySettings;
import io.driftguard.schemas.registry.InMemorySchemaRegistryClient;
import io.driftguard.schemas.registry.RegistryClientConfig;
import io.driftguard.schemas.registry.RestSchemaRegistryClient;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;

/** Builds the registry client from config. */
public final class SchemaRegistries {

    private SchemaRegistries() {
    }

    /**
     * A REST client for {@code url} with basic auth and TLS from {@code schemaRegistry.properties} (keys
     * {@code ssl.truststore.location}, {@code ssl.truststore.password}, {@code ssl.keystore.location}, ... or their
     * Confluent forms {@code schema.registry.ssl.*}); {@code mock://scope} gives the shared in-memory registry.
     */
    public static SchemaRegistryClient client(final SchemaRegistrySettings settings) {
        if (settings.url().startsWith("mock://")) {
            return InMemorySchemaRegistryClient.forScope(settings.url().substring("mock://".length()));
        }
        return new RestSchemaRegistryClient(RegistryClientConfig.fromConfigs(clientConfigs(settings)));
    }

    /** The settings in Confluent's client property names, for serdes configured by class name. */
    public static Map<String, Object> clientConfigs(final SchemaRegistrySettings settings) {
        final Map<String, Object> configs = new HashMap<>();
        settings.properties().forEach((key, value) ->
            configs.put(key.startsWith("ssl.") ? RegistryClientConfig.SSL_PREFIX + key.substring(4) : key, value));
        configs.put(RegistryClientConfig.URL, settings.url());
        if (settings.basicAuthUserInfo() != null) {
            configs.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            configs.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, settings.basicAuthUserInfo());
        }
        return configs;
    }
}
