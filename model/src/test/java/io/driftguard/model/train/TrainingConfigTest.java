package io.driftguard.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.model.TestData;
import io.driftguard.model.bundle.MissingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingConfigTest {
  @TempDir
  Path tmp;

  @Test
  void shouldLoadTypedValuesAndDefaultsWhenConfigIsValid() throws Exception {
    // Given a config file
    final Path file = tmp.resolve("train.yaml");
    Files.writeString(file, TestData.configYaml("isotonic", "fpr <= 0.01"));

    // When loading it
    final TrainingConfig c = TrainingConfig.load(file);

    // Then values are typed and defaults filled in
    assertThat(c.modelName()).isEqualTo("fraud");
    assertThat(c.xgboost().maxDepth()).isEqualTo(3);
    assertThat(c.xgboost().treeMethod()).isEqualTo("hist");
    assertThat(c.xgboost().objective()).isEqualTo("binary:logistic");
    assertThat(c.xgboost().lambda()).isEqualTo(1.0);
    assertThat(c.calibration()).isEqualTo("isotonic");
    assertThat(c.mistakeBudget()).isEqualTo(new MistakeBudget(MistakeBudget.Metric.FPR, 0.01));
    assertThat(c.missingPolicy().policyFor("velocity_1h")).isEqualTo(MissingPolicy.ABSTAIN);
    assertThat(c.missingPolicy().policyFor("amount")).isEqualTo(MissingPolicy.IMPUTE);
    assertThat(c.parsedGates()).hasSize(3);
    assertThat(c.compact().evalSlices()).containsExactly("channel");
    assertThat(c.compact().asOrderedMap().keySet()).startsWith("Goal", "Who cares", "Decision owner");
    assertThat(TrainingConfig.parseDuration(c.compact().labelDelay(), "k")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void shouldHashCanonicallyWhenOnlyFormattingDiffers() {
    final String yaml = TestData.configYaml("platt", "precision >= 0.5");
    final String reformatted = "# a comment\n" + yaml.replace("maxDepth: 3", "maxDepth:    3");

    assertThat(TrainingConfig.parse(reformatted).configHash()).isEqualTo(TrainingConfig.parse(yaml).configHash());
    assertThat(TrainingConfig.parse(yaml.replace("maxDepth: 3", "maxDepth: 4")).configHash())
        .isNotEqualTo(TrainingConfig.parse(yaml).configHash());
  }

  @ParameterizedTest
  @CsvSource({
      "'  goal: Catch card fraud before authorisation completes\n', compact.goal",
      "'  successMetric: recall at the budgeted precision\n', compact.successMetric",
      "'  mistakeBudget: \"precision >= 0.5\"\n', compact.mistakeBudget",
      "'  rollbackPlan: roll back to the previous champion via the registry\n', compact.rollbackPlan"})
  void shouldRefuseNamingTheKeyWhenARequiredKeyIsMissing(final String line, final String key) {
    // Given a config without one required line
    final String yaml = TestData.configYaml("platt", "precision >= 0.5");
    assertThat(yaml).contains(line);

    // When parsing, Then the missing key is named
    assertThatThrownBy(() -> TrainingConfig.parse(yaml.replace(line, "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing required key")
        .hasMessageContaining(key);
  }

  @Test
  void shouldNameAllMissingKeysWhenCompactIsAbsent() {
    assertThatThrownBy(() -> TrainingConfig.parse("modelName: m\n"))
        .hasMessageContaining("compact.goal, compact.successMetric, compact.mistakeBudget, compact.rollbackPlan");
  }

  @Test
  void shouldNameUnknownKeyWhenConfigHasATypo() {
    final String yaml = TestData.configYaml("platt", "precision >= 0.5").replace("maxDepth: 3", "maxDepht: 3");

    assertThatThrownBy(() -> TrainingConfig.parse(yaml)).hasMessageContaining("unknown key 'xgboost.maxDepht'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "maxDepth: 3|maxDepth: 99|xgboost.maxDepth",
      "calibration: platt|calibration: sigmoid|calibration",
      "- auc min 0.7|- auc above 0.7|gates[0]",
      "labelDelay: 7d|labelDelay: soon|compact.labelDelay",
      "testFraction: 0.2|testFraction: 0.9|split.validationFraction",
      "seed: 7|seed: seven|xgboost.seed"})
  void shouldNameTheKeyWhenAValueIsBad(final String from, final String to, final String key) {
    final String yaml = TestData.configYaml("platt", "precision >= 0.5");
    assertThat(yaml).contains(from);

    assertThatThrownBy(() -> TrainingConfig.parse(yaml.replace(from, to)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  @Test
  void shouldNameTheFileWhenItDoesNotExist() {
    assertThatThrownBy(() -> TrainingConfig.load(tmp.resolve("nope.yaml")))
        .hasMessageContaining("nope.yaml");
  }
}
