package io.driftguard.operations;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Alertmanager binary (Debian's prometheus-alertmanager) on a loopback ephemeral port, no cluster. */
final class AlertmanagerServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private AlertmanagerServer(final Process process, final int port, final Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static AlertmanagerServer start(final Path workDir, final String configYaml) throws IOException {
    final Path binary = Binaries.require("prometheus-alertmanager", "alertmanager");
    final Path config = Files.writeString(workDir.resolve("alertmanager.yml"), configYaml);
    final Path log = workDir.resolve("alertmanager.log");
    final int port = PrometheusServer.freePort();
    final Process process = new ProcessBuilder(List.of(binary.toString(), "--config.file=" + config,
        "--storage.path=" + workDir.resolve("alertmanager-data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address="))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final AlertmanagerServer server = new AlertmanagerServer(process, port, log);
    try {
      await("alertmanager ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(server::ready);
    } catch (final RuntimeException e) {
      server.close();
      throw new IllegalStateException("alertmanager did not become ready; its log:\n" + server.log(), e);
    }
    return server;
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("alertmanager exited with " + process.exitValue());
    }
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/-/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (final IOException e) {
      return false;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  int port() {
    return port;
  }

  /** What the process wrote so far (notification errors show here). */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (final IOException e) {
      return "(cannot read " + log + ": " + e + ")";
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
