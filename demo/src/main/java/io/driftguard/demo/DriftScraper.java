package io.driftguard.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads drift-monitor's per-window drift statistics the way Prometheus would: it scrapes the app's {@code /metrics}
 * about once a second and records every change of a {@code driftguard_drift_statistic} gauge (one closed window) in
 * {@link RunStats}, for the report's per-feature drift charts. The demo computes no statistic itself.
 */
final class DriftScraper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftScraper.class);
  /** Prometheus name of drift-monitor's {@code driftguard.drift.statistic} gauge. */
  static final String METRIC = "driftguard_drift_statistic";
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;
  private final RunStats stats;
  private final ScheduledExecutorService executor;
  private long failures;

  DriftScraper(final int port, final RunStats stats) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    this.stats = stats;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "demo-drift-scraper");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    executor.scheduleWithFixedDelay(this::scrapeQuietly, 1, 1, TimeUnit.SECONDS);
  }

  /** One scrape now (also the last one before drift-monitor stops, so the final windows are in the report). */
  void scrape() throws IOException, InterruptedException {
    final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode());
    }
    parse(response.body(), stats);
  }

  /** Records every {@value #METRIC} sample of a Prometheus text exposition; returns how many it found. */
  static int parse(final String exposition, final RunStats stats) {
    int found = 0;
    for (final String line : exposition.split("\n")) {
      if (!line.startsWith(METRIC + "{")) {
        continue;
      }
      final int close = line.lastIndexOf('}');
      if (close < 0) {
        continue;
      }
      final Map<String, String> labels = new HashMap<>();
      final Matcher m = LABEL.matcher(line.substring(METRIC.length() + 1, close));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      final String[] rest = line.substring(close + 1).trim().split("\\s+");
      final double value;
      try {
        value = Double.parseDouble(rest[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (Double.isFinite(value) && labels.containsKey("model_version") && labels.containsKey("arm")
          && labels.containsKey("feature") && labels.containsKey("statistic")) {
        stats.driftStatistic(labels.get("model_version"), labels.get("arm"), labels.get("feature"),
            labels.get("statistic"), value);
        found++;
      }
    }
    return found;
  }

  private void scrapeQuietly() {
    try {
      scrape();
    } catch (IOException e) {
      // A missed scrape loses no window unless several in a row fail; say so once in a while, never stop.
      if (failures++ % 30 == 0) {
        LOG.warn("scraping {} failed ({} so far): {}", uri, failures, e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
