package io.driftguard.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.platform.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringConfigTest {
  private static final String COMMON = """
      applicationId: scoring
      kafka: {bootstrapServers: "broker:9092"}
      schemaRegistry: {url: "http://registry:8081"}
      """;

  @Test
  void shouldLoadTheScoringSectionWithDefaultsWhenOnlyTheRequiredKeysAreGiven() {
    // Given a config file with a scoring section and an env override
    final String yaml = COMMON + """
        scoring:
          modelName: fraud
          registryDir: /var/driftguard/models
          fallbackRule: {name: allow, score: 0.0, threshold: 0.5}
        """;

    // When it is loaded
    final ScoringConfig config = ConfigLoader.withEnv(Map.of("DRIFTGUARD_SCORING_MODEL_TIMEOUT", "20ms"))
        .withSection("scoring", ScoringConfig.class).loadYaml(yaml, "test").section("scoring", ScoringConfig.class);

    // Then the given keys are used and the rest take their defaults
    assertThat(config.modelName()).isEqualTo("fraud");
    assertThat(config.registryDir()).isEqualTo(Path.of("/var/driftguard/models"));
    assertThat(config.modelTimeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.maxTaskIdle()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.breakerFailures()).isEqualTo(5);
    assertThat(config.fallbackRule().name()).isEqualTo("allow");
    assertThat(config.batchSize()).isEqualTo(ScoringConfig.DEFAULT_BATCH_SIZE);
    assertThat(config.batchLinger()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void shouldReadTheMicroBatchKeysWhenTheyAreGiven() {
    // Given batching turned off in the file and the linger from the environment
    final String yaml = COMMON + """
        scoring:
          modelName: fraud
          registryDir: /m
          batchSize: 1
          fallbackRule: {name: allow, score: 0.0, threshold: 0.5}
        """;

    // When it is loaded
    final ScoringConfig config = ConfigLoader.withEnv(Map.of("DRIFTGUARD_SCORING_BATCH_LINGER", "25ms"))
        .withSection("scoring", ScoringConfig.class).loadYaml(yaml, "test").section("scoring", ScoringConfig.class);

    // Then both are used
    assertThat(config.batchSize()).isEqualTo(1);
    assertThat(config.batchLinger()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void shouldRefuseNamingTheKeyWhenAValueIsBad() {
    // Given a negative task idle and a rule score above 1
    // When they are validated
    // Then the message names the key
    assertThatThrownBy(() -> new ScoringConfig("fraud", Path.of("r"), null, null, null, null, null,
        Duration.ofMillis(-5), null)).hasMessageContaining("scoring.maxTaskIdle");
    assertThatThrownBy(() -> new FallbackRule("rule", 1.5, 0.5)).hasMessageContaining("score");
    assertThatThrownBy(() -> ScoringConfig.of("fraud", Path.of("r")).withBatchSize(0))
        .hasMessageContaining("scoring.batchSize");
    assertThatThrownBy(() -> ScoringConfig.of(" ", Path.of("r"))).hasMessageContaining("scoring.modelName");
  }
}
