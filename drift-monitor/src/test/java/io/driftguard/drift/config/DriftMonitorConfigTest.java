package io.driftguard.drift.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.drift.topology.ModelReference;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.ConfigLoader;
import io.driftguard.platform.config.LoadedConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftMonitorConfigTest {

    private static final String COMMON = """
            applicationId: drift-monitor
            kafka:
              bootstrapServers: localhost:9092
            schemaRegistry:
              url: http://localhost:8081
            """;

    private static LoadedConfig load(final String drift, final Map<String, String> env) {
        return ConfigLoader.withEnv(env).withSection("drift", DriftMonitorConfig.class)
                .loadYaml(COMMON + drift, "test.yaml");
    }

    @Test
    void shouldBindTheDriftSectionWithDefaultsAndEnvironmentOverridesWhenLoaded() {
        // Given
        final String yaml = """
                drift:
                  windowSize: 1h
                  windowAdvance: 15m
                  thresholdsMode: CALIBRATED
                  labelHorizon: 2d
                  expectedLabelCurve: {12h: 0.5, 2d: 0.95}
                  registryDir: /var/lib/driftguard/registry
                """;

        // When
        final DriftMonitorConfig config = load(yaml, Map.of("DRIFTGUARD_DRIFT_RAISE_AFTER", "4"))
                .section("drift", DriftMonitorConfig.class);

        // Then
        assertThat(config.windowSize()).isEqualTo(Duration.ofHours(1));
        assertThat(config.windowAdvance()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.grace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.thresholdsMode()).isEqualTo(ModelReference.ThresholdMode.CALIBRATED);
        assertThat(config.hysteresis().raiseAfter()).isEqualTo(4);
        assertThat(config.hysteresis().clearAfter()).isEqualTo(3);
        assertThat(config.registryDir()).isEqualTo(Path.of("/var/lib/driftguard/registry"));
        assertThat(config.expectedCoverage(Duration.ofHours(6).toMillis())).isCloseTo(0.25, within(1e-12));
        assertThat(config.expectedCoverage(Duration.ofDays(1).toMillis())).isCloseTo(0.5 + 0.45 * 12 / 36,
                within(1e-12));
        assertThat(config.expectedCoverage(Duration.ofDays(3).toMillis())).isEqualTo(0.95);
    }

    @Test
    void shouldNameTheKeyWhenAValueIsBad() {
        assertThatThrownBy(() -> load("drift:\n  windowSize: 5m\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.registryDir");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  windowSize: 5m\n  windowAdvance: 2m\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.windowAdvance");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  expectedLabelCurve: {1d: 0.9, 2d: 0.5}\n",
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("drift.expectedLabelCurve");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  expectedLabelCurve: {30d: 0.9}\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.expectedLabelCurve.30d");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  rollbackToken: short\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.rollbackToken");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  thresholdsMode: magic\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.thresholdsMode");
        assertThatThrownBy(() -> load("drift:\n  registryDir: r\n  windowSise: 5m\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift.windowSise");
    }
}
