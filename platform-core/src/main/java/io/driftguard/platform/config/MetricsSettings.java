package io.driftguard.platform.config;

/**
 * The metrics/health HTTP endpoint.
 *
 * @param host bind address, default {@code 0.0.0.0}
 * @param port default 9400; 0 picks a free port
 */
public record MetricsSettings(String host, Integer port) {

    public static final int DEFAULT_PORT = 9400;

    public MetricsSettings {
        host = ConfigChecks.orDefault(host, "0.0.0.0").trim();
        if (host.isEmpty()) {
            throw new ConfigException("host", "must not be blank");
        }
        port = ConfigChecks.inRange("port", ConfigChecks.orDefault(port, DEFAULT_PORT), 0, 65_535);
    }

    public static MetricsSettings defaults() {
        return new MetricsSettings(null, null);
    }
}
