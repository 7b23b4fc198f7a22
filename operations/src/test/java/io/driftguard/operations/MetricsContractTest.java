package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/metrics.md against what the running apps really export, in both directions. Every app runs on the shared
 * embedded broker and registry, has events pushed through it, and is scraped once.
 */
@ExtendWith(KafkaStackExtension.class)
class MetricsContractTest {
  private static final String DRIFTGUARD = "driftguard_";

  private static final PipelineScrapedApps PIPELINE = new PipelineScrapedApps();
  /** Every app in this build. */
  private static final List<ScrapedApp> APPS = List.of(
      new FeatureStreamScrapedApp(), PIPELINE.scoring(), PIPELINE.drift());

  /**
   * Documented meters registered at first use that this run may not reach, with why. Only "documented but not
   * exported" is excused for them; an export missing from the doc always fails.
   */
  static final Map<String, String> MAY_BE_UNREGISTERED = Map.of("driftguard_scoring_fallbacks_total",
      "registered at the first fallback, which this run's traffic does not cause reliably (present in some runs "
          + "on a loaded machine, absent in others)");

  static KafkaStackInfo stack;

  @TempDir
  static Path workDir;

  private static final Map<String, Map<String, String>> EXPORTED = new LinkedHashMap<>();
  private static final List<AutoCloseable> RUNNING = new ArrayList<>();

  @BeforeAll
  static void startAndScrapeEveryApp() throws Exception {
    final HttpClient http = HttpClient.newHttpClient();
    final Path scrapes = Path.of("target", "scrapes");
    Files.createDirectories(scrapes);
    for (final ScrapedApp app : APPS) {
      final ScrapedApp.Running running = app.start(stack, workDir);
      RUNNING.add(running.app());
      final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + running.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as("GET /metrics of %s", app.name()).isEqualTo(200);
      // Kept for whoever edits the doc: the exact export this run saw.
      Files.writeString(scrapes.resolve(app.name() + ".txt"), response.body(), StandardCharsets.UTF_8);
      EXPORTED.put(app.name(), PrometheusText.names(response.body()));
    }
  }

  @AfterAll
  static void stopEveryApp() throws Exception {
    for (final AutoCloseable app : RUNNING) {
      app.close();
    }
  }

  @Test
  void shouldDocumentExactlyTheDriftguardMetricsWhenEachAppIsScraped() {
    // Given
    final MetricsDoc doc = MetricsDoc.load();

    for (final ScrapedApp app : APPS) {
      // When
      final Map<String, String> exported = driftguardMetrics(EXPORTED.get(app.name()));
      final Map<String, String> documented = doc.exportedBy(app.name());

      // Then
      final Set<String> undocumented = new TreeSet<>(exported.keySet());
      undocumented.removeAll(documented.keySet());
      final Set<String> missing = new TreeSet<>(documented.keySet());
      missing.removeAll(exported.keySet());
      missing.removeAll(MAY_BE_UNREGISTERED.keySet());
      assertThat(undocumented).as("%s exports these, but %s does not list them under '## %s' or '## %s'",
          app.name(), MetricsDoc.PATH, app.name(), MetricsDoc.EVERY_APP).isEmpty();
      assertThat(missing).as("%s lists these for %s, but the app does not export them (see target/scrapes/%s.txt)",
          MetricsDoc.PATH, app.name(), app.name()).isEmpty();
      final Map<String, String> wrongTypes = new TreeMap<>();
      exported.forEach((name, type) -> {
        if (!type.equals(documented.get(name))) {
          wrongTypes.put(name, "exported " + type + ", documented " + documented.get(name));
        }
      });
      assertThat(wrongTypes).as("metric types in %s for %s", MetricsDoc.PATH, app.name()).isEmpty();
    }
  }

  @Test
  void shouldCoverEveryOtherExportedMetricByADocumentedGroupWhenAppsAreScraped() {
    // Given
    final MetricsDoc doc = MetricsDoc.load();
    final List<String> prefixes = doc.groupPrefixes();

    // When
    final Map<String, Set<String>> uncovered = new TreeMap<>();
    final Set<String> usedPrefixes = new TreeSet<>();
    EXPORTED.forEach((app, names) -> names.keySet().stream()
        .filter(name -> !name.startsWith(DRIFTGUARD))
        .forEach(name -> {
          final List<String> matching = prefixes.stream().filter(name::startsWith).toList();
          if (matching.isEmpty()) {
            uncovered.computeIfAbsent(app, a -> new TreeSet<>()).add(name);
          }
          usedPrefixes.addAll(matching);
        }));

    // Then
    assertThat(uncovered).as("exported metrics that are neither driftguard_* nor under a prefix in '## %s' of %s",
        MetricsDoc.GROUPS, MetricsDoc.PATH).isEmpty();
    assertThat(prefixes).as("every group prefix documented in %s matches some exported metric", MetricsDoc.PATH)
        .allMatch(usedPrefixes::contains);
  }

  @Test
  void shouldPrefixEveryDocumentedAppMetricWithDriftguardWhenTheDocIsRead() {
    // Given
    final MetricsDoc doc = MetricsDoc.load();

    // When
    final Set<String> unprefixed = new TreeSet<>();
    for (final String section : List.of(MetricsDoc.EVERY_APP, "feature-stream", "scoring-stream", "drift-monitor")) {
      doc.exportedBy(section).keySet().stream().filter(n -> !n.startsWith(DRIFTGUARD)).forEach(unprefixed::add);
    }

    // Then
    assertThat(unprefixed).as("app metrics in %s without the driftguard_ prefix", MetricsDoc.PATH).isEmpty();
  }

  private static Map<String, String> driftguardMetrics(final Map<String, String> names) {
    final Map<String, String> out = new TreeMap<>();
    names.forEach((name, type) -> {
      if (name.startsWith(DRIFTGUARD)) {
        out.put(name, type);
      }
    });
    return out;
  }
}
