package io.driftguard.operations;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Prometheus binary on a loopback ephemeral port, with a given (or empty) config and a throw-away TSDB. */
final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(final Process process, final int port) {
    this.process = process;
    this.port = port;
  }

  static PrometheusServer start(final Path workDir) throws IOException {
    return start(workDir, "global:\n  scrape_interval: 1m\n");
  }

  /** Prometheus with {@code configYaml} as its config file (rule files and targets as the YAML says). */
  static PrometheusServer start(final Path workDir, final String configYaml) throws IOException {
    final Path binary = Binaries.require("prometheus");
    final Path config = Files.writeString(workDir.resolve("prometheus.yml"), configYaml);
    final Path log = workDir.resolve("prometheus.log");
    final int port = freePort();
    final Process process = new ProcessBuilder(List.of(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.console.templates=" + workDir,
        "--web.console.libraries=" + workDir))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final PrometheusServer server = new PrometheusServer(process, port);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(server::ready);
    } catch (final RuntimeException e) {
      server.close();
      throw new IllegalStateException("prometheus did not become ready on 127.0.0.1:" + port + "; its log:\n"
          + Files.readString(log, StandardCharsets.UTF_8), e);
    }
    return server;
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("prometheus exited with " + process.exitValue());
    }
    try {
      return http.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (final IOException e) {
      return false;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  /** An instant query: the HTTP status and the JSON body. */
  HttpResponse<String> query(final String promql) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The {@code data.result} array of an instant query; fails on any HTTP or PromQL error. */
  JsonNode result(final String promql) throws IOException, InterruptedException {
    final HttpResponse<String> response = query(promql);
    final JsonNode body = Yaml.JSON.readTree(response.body());
    if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
      throw new AssertionError("query refused (" + response.statusCode() + " " + body.path("error").asText()
          + "): " + promql);
    }
    return body.path("data").path("result");
  }

  /** The rule groups as Prometheus loaded them ({@code /api/v1/rules}: {@code data.groups}). */
  JsonNode ruleGroups() throws IOException, InterruptedException {
    final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/rules"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return Yaml.JSON.readTree(response.body()).path("data").path("groups");
  }

  /** A free loopback port for a child process to bind (the window between close and bind is small). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (final InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
