package io.driftguard.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** Readings of a running child app: heap from its /metrics, RSS from /proc, state-store size from its state dir. */
public final class ProcessProbe {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ProcessProbe() {
  }

  /** Sum of {@code jvm_memory_used_bytes{area="heap"}} on the app's Prometheus endpoint. */
  public static long heapUsedBytes(final int metricsPort) {
    final String body;
    try {
      body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scrape /metrics on port " + metricsPort, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted scraping port " + metricsPort, e);
    }
    return heapUsedBytes(body);
  }

  static long heapUsedBytes(final String prometheusText) {
    double sum = 0;
    boolean found = false;
    for (final String line : prometheusText.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in the scraped metrics");
    }
    return (long) sum;
  }

  /** Resident set size of a Linux process, from {@code /proc/<pid>/status}. */
  public static long rssBytes(final long pid) {
    final Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (final String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          final String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024L;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + status, e);
    }
    throw new IllegalStateException(status + " has no VmRSS line");
  }

  /** Bytes of every file under {@code dir} (RocksDB files, checkpoints); files vanishing mid-walk are skipped. */
  public static long directoryBytes(final Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (NoSuchFileException gone) {
          return 0;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot size " + f, e);
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      // RocksDB deletes files while we walk; one retry sees a consistent enough listing.
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      } catch (IOException again) {
        throw new UncheckedIOException("cannot size state dir " + dir, again);
      }
    }
  }
}
