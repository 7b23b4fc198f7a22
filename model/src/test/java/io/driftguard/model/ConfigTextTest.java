package io.driftguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTextTest {
  @TempDir
  Path tmp;

  @Test
  void shouldParseIsoAndShortDurationsWhenWellFormed() {
    // Given / When / Then
    assertThat(ConfigText.duration("PT6H", "k")).isEqualTo(Duration.ofHours(6));
    assertThat(ConfigText.duration(" 90s ", "k")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ConfigText.duration("5m", "k")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigText.duration("2d", "k")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void shouldNameTheKeyWhenADurationIsBad() {
    // Given / When / Then
    assertThatThrownBy(() -> ConfigText.duration("5w", "compact.labelDelay"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compact.labelDelay").hasMessageContaining("'5w'");
    assertThatThrownBy(() -> ConfigText.duration(null, "generator.duration"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generator.duration");
  }

  @Test
  void shouldNameWhatWasReadWhenYamlIsNotAMapping() {
    // Given / When / Then
    assertThatThrownBy(() -> ConfigText.yamlMapping("- a\n- b\n", "trainingSet"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("trainingSet must be a YAML mapping");
    assertThatThrownBy(() -> ConfigText.yamlMapping("a: [1,\n", "training config"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("training config is not valid YAML");
    assertThat(ConfigText.yamlMapping("a: 1\n", "x").get("a").asInt()).isEqualTo(1);
  }

  @Test
  void shouldNameTheFileWhenItIsMissingOrInvalid() throws IOException {
    // Given
    final Path missing = tmp.resolve("missing.yaml");
    final Path bad = Files.writeString(tmp.resolve("bad.yaml"), "a: 1\n");

    // When / Then
    assertThatThrownBy(() -> ConfigText.load(missing, "training config", s -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("training config file not found: " + missing);
    assertThatThrownBy(() -> ConfigText.load(bad, "training config", s -> {
      throw new IllegalArgumentException("unknown key 'a'");
    })).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid training config " + bad + ": unknown key 'a'");
    assertThat(ConfigText.load(bad, "training config", String::strip)).isEqualTo("a: 1");
  }
}
