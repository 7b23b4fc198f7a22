package io.driftguard.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.avro.Transaction;
import io.driftguard.platform.config.ConfigException;
import io.driftguard.platform.config.LoadedConfig;
import io.driftguard.platform.config.ProcessingGuarantee;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureAppConfigTest {
  private static final Path EXAMPLE_CONFIG = Path.of("..", "config", "feature-stream.yaml");
  private static final String COMMON = "applicationId: f\nkafka: {bootstrapServers: 'b:9092'}\n"
      + "schemaRegistry: {url: 'http://r:8081'}\n";

  @TempDir
  Path dir;

  @Test
  void shouldPointAtTheDevStackWithTheDemoSetWhenTheExampleConfigIsLoaded() {
    // When
    final LoadedConfig loaded = FeatureApp.configLoader(Map.of()).load(EXAMPLE_CONFIG);
    final FeatureStreamSettings settings = loaded.section(FeatureApp.SECTION, FeatureStreamSettings.class);

    // Then
    assertThat(loaded.common().kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(loaded.common().schemaRegistry().url().toString()).isEqualTo("http://localhost:8081");
    assertThat(loaded.common().metrics().port()).isEqualTo(9101);
    assertThat(loaded.common().streams().applicationServer()).isEqualTo("localhost:9101");
    assertThat(loaded.common().streams().processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(FeatureApp.loadFeatureSet(settings).hash()).isEqualTo(
        FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE, Transaction.getClassSchema()).hash());
    assertThat(settings.slaCheckInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldLetTheEnvironmentOverrideTheSectionWhenAVariableIsSet() {
    // When
    final LoadedConfig loaded = FeatureApp.configLoader(Map.of("DRIFTGUARD_FEATURES_SLA_CHECK_INTERVAL", "5s",
        "DRIFTGUARD_METRICS_PORT", "9102")).load(EXAMPLE_CONFIG);

    // Then
    assertThat(loaded.section(FeatureApp.SECTION, FeatureStreamSettings.class).slaCheckInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(loaded.common().metrics().port()).isEqualTo(9102);
  }

  @Test
  void shouldKeepHistoryByDefaultAndDropItWhenTheEnvironmentTurnsItOff() {
    // When
    final FeatureStreamSettings byDefault = FeatureApp.configLoader(Map.of()).load(EXAMPLE_CONFIG)
        .section(FeatureApp.SECTION, FeatureStreamSettings.class);
    final FeatureStreamSettings off = FeatureApp.configLoader(Map.of("DRIFTGUARD_FEATURES_HISTORY", "false"))
        .load(EXAMPLE_CONFIG).section(FeatureApp.SECTION, FeatureStreamSettings.class);

    // Then
    assertThat(byDefault.history()).isTrue();
    assertThat(off.history()).isFalse();
  }

  @Test
  void shouldReadTheSetAndItsSchemaFromFilesWhenPathsAreGiven() throws Exception {
    // Given a feature set without a schema class, and the schema as .avsc
    final Path set = Files.writeString(dir.resolve("set.yaml"), "name: files\nentityKey: cardId\n"
        + "timestamp: eventTime\nfeatures:\n"
        + "  - {name: n, aggregation: count, window: {type: sliding, size: 1m}, freshnessSla: 5m}\n");
    final Path avsc = Files.writeString(dir.resolve("event.avsc"), Transaction.getClassSchema().toString());

    // When
    final FeatureSet loaded = FeatureApp.loadFeatureSet(new FeatureStreamSettings(set.toString(), avsc, null, null));

    // Then
    assertThat(loaded.name()).isEqualTo("files");
    assertThat(loaded.eventSchema()).isEqualTo(Transaction.getClassSchema());
  }

  @Test
  void shouldNameTheKeyWhenTheFeatureSetOrSchemaCannotBeRead() throws Exception {
    // Given
    final Path noSchemaClass = Files.writeString(dir.resolve("set.yaml"), "name: s\nschema: com.example.Nope\n"
        + "entityKey: cardId\ntimestamp: eventTime\nfeatures: []\n");

    // When / Then
    assertThatThrownBy(() -> FeatureApp.loadFeatureSet(
        new FeatureStreamSettings(dir.resolve("missing.yaml").toString(), null, null, null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("features.featureSet")
        .hasMessageContaining("missing.yaml");
    assertThatThrownBy(() -> FeatureApp.loadFeatureSet(
        new FeatureStreamSettings("classpath:features/none.yaml", null, null, null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("features.featureSet");
    assertThatThrownBy(() -> FeatureApp.loadFeatureSet(
        new FeatureStreamSettings(noSchemaClass.toString(), null, null, null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("features.eventSchema")
        .hasMessageContaining("com.example.Nope");
    assertThatThrownBy(() -> FeatureApp.loadFeatureSet(
        new FeatureStreamSettings(noSchemaClass.toString(), dir.resolve("none.avsc"), null, null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("features.eventSchema");
  }

  @Test
  void shouldStopStartUpWhenTheSectionHasAnUnknownOrBadKey() {
    // When / Then
    assertThatThrownBy(() -> FeatureApp.configLoader(Map.of()).loadYaml(COMMON + "features: {featureSets: x}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("featureSets");
    assertThatThrownBy(() -> FeatureApp.configLoader(Map.of())
        .loadYaml(COMMON + "features: {slaCheckInterval: 0s}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("slaCheckInterval");
  }
}
