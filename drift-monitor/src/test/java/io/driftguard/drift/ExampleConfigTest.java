package io.driftguard.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.platform.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in {@code config/drift-monitor.yaml} loads, and every file it names exists and is valid. */
class ExampleConfigTest {

    /** The repository root (tests run in the module directory). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldLoadTheDevStackConfigWhenReadFromTheRepository() {
        // Given
        final Path file = ROOT.resolve("config/drift-monitor.yaml");

        // When
        final LoadedConfig loaded = DriftApp.configLoader(Map.of()).load(file);
        final DriftMonitorConfig drift = loaded.section(DriftApp.SECTION, DriftMonitorConfig.class);

        // Then: dev-stack addresses, port 9103, and the files it names (relative to the repository root) are usable
        assertThat(loaded.common().kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(loaded.common().schemaRegistry().url()).isEqualTo("http://localhost:8081");
        assertThat(loaded.common().metrics().port()).isEqualTo(9103);
        assertThat(drift.registryDir()).isEqualTo(Path.of("./models"));
        assertThat(drift.rollbackToken()).isNull();
        final Path tokenFile = ROOT.resolve(drift.rollbackTokenFile());
        assertThat(tokenFile).isRegularFile();
        final DriftMonitorConfig fromRoot = new DriftMonitorConfig(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, drift.registryDir(), null, null, tokenFile);
        assertThat(fromRoot.resolveRollbackToken()).hasValueSatisfying(t ->
                assertThat(t).hasSizeGreaterThanOrEqualTo(DriftMonitorConfig.MIN_TOKEN_LENGTH));
        final RollbackPolicy policy = RollbackPolicy.load(ROOT.resolve(drift.rollbackPolicyFile()));
        assertThat(policy.rules()).isNotEmpty();
        assertThat(policy.dryRun()).isFalse();
        assertThat(Files.isRegularFile(ROOT.resolve("config/rollback-policy.yaml"))).isTrue();
    }
}
