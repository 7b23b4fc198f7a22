package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** prometheus/alertmanager.yml: valid for amtool, and routes critical model alerts to the rollback webhook. */
class AlertmanagerConfigTest {
  static final String CONFIG = "prometheus/alertmanager.yml";
  private static final String ROLLBACK = "driftguard-rollback";

  @Test
  void shouldPassAmtoolCheckWhenConfigIsValidated() {
    // Given
    final Path amtool = Binaries.require("amtool");

    // When
    final Binaries.Result result = Binaries.run(Repo.root(), 60, List.of(amtool.toString(), "check-config", CONFIG));

    // Then
    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void shouldRouteOnlyCriticalRollbackAlertsOfServingArmsToTheWebhookWhenRoutesAreTested() {
    // Given
    final Path amtool = Binaries.require("amtool");

    // When / Then
    assertRoute(amtool, ROLLBACK + ",default",
        "alertname=FeatureDriftHigh", "severity=critical", "action=rollback", "model_name=fraud", "arm=CHAMPION");
    assertRoute(amtool, ROLLBACK + ",default",
        "alertname=RealizedQualityDrop", "severity=critical", "action=rollback", "model_name=fraud", "arm=CANARY");
    assertRoute(amtool, "default",
        "alertname=PredictionDriftHigh", "severity=critical", "action=rollback", "model_name=fraud", "arm=SHADOW");
    assertRoute(amtool, "default", "alertname=NullRateSpike", "severity=warning", "model_name=fraud",
        "arm=CHAMPION");
    assertRoute(amtool, "default", "alertname=StreamsAppNotRunning", "severity=critical", "app=driftguard-scoring");
  }

  @Test
  void shouldCallTheTokenProtectedRollbackEndpointWhenTheWebhookFires() {
    // Given
    final JsonNode config = Yaml.yaml(CONFIG);

    // When
    JsonNode webhook = null;
    for (final JsonNode receiver : config.path("receivers")) {
      if (receiver.path("name").asText().equals(ROLLBACK)) {
        webhook = receiver.path("webhook_configs").path(0);
      }
    }

    // Then
    assertThat(webhook).as("receiver %s with a webhook in %s", ROLLBACK, CONFIG).isNotNull();
    assertThat(webhook.path("url").asText()).endsWith("/rollback");
    assertThat(webhook.path("http_config").path("authorization").path("type").asText()).isEqualTo("Bearer");
    assertThat(webhook.path("http_config").path("authorization").path("credentials_file").asText()).isNotBlank();
    assertThat(webhook.path("http_config").path("authorization").has("credentials"))
        .as("the token is read from a file, never inline").isFalse();
  }

  private static void assertRoute(final Path amtool, final String receivers, final String... labels) {
    final List<String> command = new ArrayList<>(List.of(amtool.toString(), "config", "routes", "test",
        "--config.file=" + CONFIG, "--verify.receivers=" + receivers));
    command.addAll(List.of(labels));
    final Binaries.Result result = Binaries.run(Repo.root(), 60, command);
    assertThat(result.exitCode()).as("route of %s should be %s: %s", List.of(labels), receivers, result).isZero();
  }
}
