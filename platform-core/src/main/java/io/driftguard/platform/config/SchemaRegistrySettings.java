package io.driftguard.platform.config;

import java.util.Map;

/**
 * Where the schema registry is (Confluent REST API: Confluent, Apicurio ccompat, Karapace or the embedded one).
 *
 * @param url base URL, e.g. {@code https://registry:8081}; required
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param properties passthrough for the registry client, e.g. {@code ssl.truststore.location},
 *     {@code ssl.truststore.password}, {@code ssl.keystore.location}; read by the registry client
 */
public record SchemaRegistrySettings(String url, String basicAuthUserInfo, Map<String, String> properties) {

    public SchemaRegistrySettings {
        url = ConfigChecks.requiredText("url", url);
        if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("mock://")) {
            throw new ConfigException("url", "expected an http:// or https:// URL, got '" + url + "'");
        }
        if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
            throw new ConfigException("basicAuthUserInfo", "expected user:password");
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    @Override
    public String toString() {
        return "SchemaRegistrySettings[url=" + url + ", basicAuth=" + (basicAuthUserInfo != null)
            + ", properties=" + properties.keySet() + "]";
    }
}
