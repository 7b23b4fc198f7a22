package io.driftguard.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driftguard app ({@code driftguard run <app> --config FILE}) as a separate OS process on this JVM's class path:
 * started, SIGKILLed, restarted and stopped by a test. Each start gets a fresh metrics port (given by the
 * {@code DRIFTGUARD_METRICS_PORT} override) and its own log file under {@code logDir}.
 */
public final class AppProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppProcess.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * What to run.
   *
   * @param app {@code feature-stream} or {@code scoring-stream} (a {@code driftguard run} subcommand)
   * @param name unique name of this instance, used for log files
   * @param config the YAML config
   * @param logDir where {@code <name>-<start>.log} files go
   * @param maxHeap the child's {@code -Xmx}, e.g. {@code 256m}
   */
  public record Spec(String app, String name, Path config, Path logDir, String maxHeap) {
    public Spec {
      if (!app.equals("feature-stream") && !app.equals("scoring-stream") && !app.equals("drift-monitor")) {
        throw new IllegalArgumentException("app must be feature-stream, scoring-stream or drift-monitor, was " + app);
      }
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("config of " + name + " is not a file: " + config);
      }
      if (maxHeap == null || !maxHeap.matches("\\d+[mg]")) {
        throw new IllegalArgumentException("maxHeap of " + name + " must look like 256m, was " + maxHeap);
      }
    }
  }

  private final Spec spec;
  private final Path djlCache;
  private final List<Path> logs = new ArrayList<>();
  private Process process;
  private int port;
  private int starts;
  private int kills;

  public AppProcess(final Spec spec, final Path djlCache) {
    this.spec = spec;
    this.djlCache = djlCache;
  }

  /** Starts the app (again); the previous process must be gone. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(spec.name() + " is still running (pid " + process.pid() + ")");
    }
    port = freePort();
    starts++;
    final Path log = spec.logDir().resolve(spec.name() + "-" + starts + ".log");
    final List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.foreign",
        // C1 only: a restart on a busy 2-core machine spends most of its time compiling; tests need uptime, not peak.
        "-Xmx" + spec.maxHeap(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"),
        "io.driftguard.cli.Driftguard", "run", spec.app(), "--config", spec.config().toString());
    final ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    final Map<String, String> env = builder.environment();
    // The child must see only the overrides given here, not the caller's DRIFTGUARD_/KAFKA_ variables.
    env.keySet().removeIf(k -> k.startsWith("DRIFTGUARD_") || k.startsWith("KAFKA_"));
    env.put("DRIFTGUARD_METRICS_PORT", Integer.toString(port));
    env.put("OMP_NUM_THREADS", "1");
    env.put("DJL_CACHE_DIR", djlCache.toString());
    try {
      Files.createDirectories(spec.logDir());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name() + ": " + command, e);
    }
    logs.add(log);
    LOG.info("started {} (pid {}, metrics port {}, log {})", spec.name(), process.pid(), port, log);
  }

  /** SIGKILL ({@code kill -9}): no shutdown hook, no commit, no flush. Waits until the process is gone. */
  public synchronized void kill() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(spec.name() + " is not running, cannot kill it; log " + currentLog());
    }
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
    kills++;
    LOG.info("killed {} (pid {}) with SIGKILL, exit {}", spec.name(), process.pid(), process.exitValue());
  }

  /** SIGTERM and wait for the clean shutdown (SIGKILL after {@code timeout}); returns the exit code. */
  public synchronized int stop(final Duration timeout) {
    if (process == null) {
      return -1;
    }
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("{} did not stop within {}; killing it", spec.name(), timeout);
          process.destroyForcibly();
          awaitExit(Duration.ofSeconds(30));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    return process.exitValue();
  }

  private void awaitExit(final Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(spec.name() + " (pid " + process.pid() + ") did not exit within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + spec.name() + " to exit", e);
    }
  }

  /** HTTP status of {@code GET /health/ready}: 200 ready, 503 not ready, -1 when nothing answers. */
  public int readiness() {
    final int current;
    synchronized (this) {
      current = port;
    }
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + current + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Waits until {@code /health/ready} answers 200; fails naming the app and its log if it exits or times out. */
  public void awaitReady(final Duration timeout) {
    Awaitility.await(spec.name() + " ready (log " + currentLog() + ")").atMost(timeout)
        .pollInterval(Duration.ofMillis(250)).until(() -> {
          if (!isAlive()) {
            throw new IllegalStateException(spec.name() + " exited with " + process.exitValue() + " before it was "
                + "ready; log " + currentLog());
          }
          return readiness() == 200;
        });
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The child's pid, for /proc readings. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(spec.name() + " was never started");
    }
    return process.pid();
  }

  public synchronized int port() {
    return port;
  }

  public synchronized int kills() {
    return kills;
  }

  public synchronized int starts() {
    return starts;
  }

  public String name() {
    return spec.name();
  }

  public synchronized Path currentLog() {
    return logs.isEmpty() ? null : logs.get(logs.size() - 1);
  }

  public synchronized List<Path> logs() {
    return List.copyOf(logs);
  }

  /** Stops the process if it still runs (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /** A port that was free a moment ago, from the OS's ephemeral range. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
