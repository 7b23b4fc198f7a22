package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager (Debian's binary) with prometheus/alertmanager.yml, its webhook pointed at a loopback HTTP
 * server that records what drift-monitor's POST /rollback would receive: the route, the bearer token read from the
 * credentials file, and the webhook payload's labels.
 */
class AlertmanagerWebhookTest {
  private static final String TOKEN = "ops-test-token-0123456789";

  /** One request the webhook received. */
  record Delivery(String method, String path, String authorization, JsonNode body) {
  }

  @TempDir
  static Path workDir;

  private static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
  private static HttpServer webhook;
  private static Process alertmanager;
  private static int alertmanagerPort;

  @BeforeAll
  static void startAlertmanagerAndWebhook() throws Exception {
    final Path binary = Binaries.require("prometheus-alertmanager", "alertmanager");
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        DELIVERIES.add(new Delivery(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Authorization"), Yaml.JSON.readTree(in)));
      }
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    webhook.start();
    final Path token = Files.writeString(workDir.resolve("rollback-token"), TOKEN);
    // Only the addresses differ from the shipped file: the receiver and the token file are local here.
    final String shipped = Repo.read(AlertmanagerConfigTest.CONFIG);
    assertThat(shipped).contains("http://drift-monitor:9103/rollback", "/etc/alertmanager/secrets/rollback-token");
    final Path config = Files.writeString(workDir.resolve("alertmanager.yml"), shipped
        .replace("http://drift-monitor:9103/rollback", "http://127.0.0.1:" + webhook.getAddress().getPort()
            + "/rollback")
        .replace("/etc/alertmanager/secrets/rollback-token", token.toString()));
    alertmanagerPort = PrometheusServer.freePort();
    alertmanager = new ProcessBuilder(List.of(binary.toString(), "--config.file=" + config,
        "--storage.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + alertmanagerPort,
        "--cluster.listen-address="))
        .redirectErrorStream(true).redirectOutput(workDir.resolve("alertmanager.log").toFile()).start();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!alertmanager.isAlive()) {
        throw new IllegalStateException("alertmanager exited: "
            + Files.readString(workDir.resolve("alertmanager.log")));
      }
      return status("/-/ready") == 200;
    });
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(20, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (webhook != null) {
      webhook.stop(0);
    }
  }

  @Test
  void shouldPostFiringCriticalModelAlertsWithTheBearerTokenToRollbackWhenPrometheusSendsThem() throws Exception {
    // Given: what Prometheus sends for a firing FeatureDriftHigh, a shadow-arm drift and a warning.
    final String alerts = """
        [
          {"labels": {"alertname": "FeatureDriftHigh", "severity": "critical", "action": "rollback",
                      "model_name": "fraud", "model_version": "v2", "arm": "CHAMPION", "feature": "amount_last"},
           "annotations": {"summary": "Feature amount_last drifted"}},
          {"labels": {"alertname": "PredictionDriftHigh", "severity": "critical", "action": "rollback",
                      "model_name": "fraud", "model_version": "v3", "arm": "SHADOW"}},
          {"labels": {"alertname": "NullRateSpike", "severity": "warning", "model_name": "fraud",
                      "model_version": "v2", "arm": "CHAMPION", "feature": "country_distinct_24h"}}
        ]
        """;

    // When
    final HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(alerts)).build(), HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(posted.statusCode()).as("POST /api/v2/alerts: %s", posted.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> !DELIVERIES.isEmpty());
    final Delivery delivery = DELIVERIES.get(0);
    assertThat(delivery.method()).isEqualTo("POST");
    assertThat(delivery.path()).isEqualTo("/rollback");
    assertThat(delivery.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(delivery.body().path("version").asText()).isEqualTo("4");
    assertThat(delivery.body().path("status").asText()).isEqualTo("firing");
    final JsonNode delivered = delivery.body().path("alerts");
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).path("status").asText()).isEqualTo("firing");
    assertThat(delivered.get(0).path("labels").path("alertname").asText()).isEqualTo("FeatureDriftHigh");
    assertThat(delivered.get(0).path("labels").path("model_name").asText()).isEqualTo("fraud");
    assertThat(delivered.get(0).path("labels").path("arm").asText()).isEqualTo("CHAMPION");
    assertThat(DELIVERIES).as("only the critical rollback alert of a serving arm reaches the webhook")
        .allSatisfy(d -> assertThat(d.body().path("alerts").findValuesAsText("alertname"))
            .containsOnly("FeatureDriftHigh"));
  }

  private static int status(final String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + alertmanagerPort + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (final IOException e) {
      return -1;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
