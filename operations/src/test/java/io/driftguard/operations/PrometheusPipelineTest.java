package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole observability path on a running pipeline: {@link LivePipeline} (feature-stream, scoring-stream and
 * drift-monitor on the embedded broker, fed by the generator), a real Prometheus (Debian's binary) scraping the three
 * apps with a generated config and the rules of prometheus/rules, and a real Alertmanager with
 * prometheus/alertmanager.yml whose webhook is drift-monitor's token-protected POST /rollback.
 *
 * <p>The rules Prometheus loads here are the production files with two edits, both timing only: every {@code for:}
 * is {@value #FOR} and every group {@code interval:} is {@value #INTERVAL}, so a drift that production would page on
 * after 15 minutes pages here within seconds. The expressions are the production ones (checked below).
 *
 * <p>The test methods run in order: the first looks at the pipeline at rest, the second injects drift.
 */
@ExtendWith(KafkaStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusPipelineTest {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusPipelineTest.class);
  private static final String PREFIX = "ops-prom-";
  private static final String TOKEN = "ops-prometheus-test-token-0123456789";
  static final String FOR = "3s";
  static final String INTERVAL = "1s";
  private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for: \\S+$");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{[^}]*}");
  private static final Pattern INTERVAL_LINE = Pattern.compile("(?m)^(\\s+)interval: \\S+$");

  /** Marks the EMPTY_AT_REST entries the drift test checks have data after the rollback. */
  private static final String INCIDENT = "incident: ";

  /**
   * Dashboard and recording-rule queries that are legitimately empty while the pipeline runs without incident, with
   * the reason. Every other query must return data. Keep docs/metrics.md ("Empty at rest") in step.
   */
  static final Map<String, String> EMPTY_AT_REST = Map.of(
      "annotation 'Model-control command applied'", INCIDENT
          + "applied-command counter that increased, or first appeared, in the last 2m: only after a command",
      "annotation 'Rollout: active version changed'", INCIDENT
          + "changes() over 2m of the active-version gauge: only right after the serving version changed",
      "panel 'POST /rollback requests (1h)'", INCIDENT
          + "driftguard_drift_rollback_requests_total is registered at the first POST /rollback",
      "driftguard:scoring_fallbacks:rate5m", "fallbacks by reason: the counter's series appear at the first fallback "
          + "of each reason (its share, driftguard:scoring_fallback_ratio:rate5m, is 0 until then)");

  static KafkaStackInfo stack;

  @TempDir
  static Path workDir;

  private static LivePipeline pipeline;
  private static AlertmanagerServer alertmanager;
  private static PrometheusServer prometheus;
  private static Path rulesDir;

  @BeforeAll
  static void startPipelinePrometheusAndAlertmanager() throws Exception {
    final long t0 = System.nanoTime();
    pipeline = LivePipeline.start(stack, workDir.resolve("pipeline"), PREFIX, TOKEN);
    LOG.info("pipeline at rest after {} s", (System.nanoTime() - t0) / 1_000_000_000);
    final Path tokenFile = Files.writeString(workDir.resolve("am-rollback-token"), TOKEN);
    final String shipped = Repo.read(AlertmanagerConfigTest.CONFIG);
    assertThat(shipped).contains("http://drift-monitor:9103/rollback", "/etc/alertmanager/secrets/rollback-token");
    // Only the addresses differ from the shipped file: the receiver is this run's drift-monitor.
    alertmanager = AlertmanagerServer.start(Files.createDirectories(workDir.resolve("am")), shipped
        .replace("http://drift-monitor:9103/rollback", "http://127.0.0.1:" + pipeline.driftPort() + "/rollback")
        .replace("/etc/alertmanager/secrets/rollback-token", tokenFile.toString()));
    prometheus = PrometheusServer.start(Files.createDirectories(workDir.resolve("prometheus")),
        prometheusConfig(rulesDir = copyRules(Files.createDirectories(workDir.resolve("rules")))));
    // Live traffic while Prometheus scrapes: the baseline, and records each app must dead-letter.
    pipeline.publishGarbageEvent(new byte[] {7, 7});
    pipeline.publishGarbagePrediction(new byte[] {7, 7});
    pipeline.publish(LivePipeline.BASELINE);
    pipeline.awaitDriftCaughtUp();
    // Rates need two scrapes, recording rules one evaluation after that: wait for the last of them.
    await("first scrapes and rule evaluations").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> prometheus.result("up{job=\"driftguard\"} == 1").size() == 3
            && prometheus.result("driftguard:scoring_predictions_by_version:rate5m").size() > 0);
    LOG.info("prometheus and alertmanager up after {} s", (System.nanoTime() - t0) / 1_000_000_000);
  }

  @AfterAll
  static void stopEverything() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** The production rule files with only {@code for:} and group {@code interval:} shortened. */
  private static Path copyRules(final Path dir) throws Exception {
    for (final String file : Rules.ruleFiles()) {
      final String text = Repo.read(file);
      String shortened = FOR_LINE.matcher(text).replaceAll("$1for: " + FOR);
      shortened = INTERVAL_LINE.matcher(shortened).replaceAll("$1interval: " + INTERVAL);
      Files.writeString(dir.resolve(Path.of(file).getFileName()), shortened);
    }
    return dir;
  }

  private static String prometheusConfig(final Path rules) {
    final JsonNode shippedJob = Yaml.yaml("prometheus/prometheus.yml").path("scrape_configs").path(0);
    assertThat(shippedJob.path("job_name").asText()).isEqualTo("driftguard");
    assertThat(shippedJob.path("honor_labels").asBoolean()).isTrue();
    final StringBuilder targets = new StringBuilder();
    pipeline.appsByPort().forEach((port, app) -> targets.append("""
              - targets: ["127.0.0.1:%d"]
                labels: {app: %s}
        """.formatted(port, app)));
    return """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: ["%s/*.yml"]
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ["127.0.0.1:%d"]
        scrape_configs:
          - job_name: driftguard
            honor_labels: true
            metrics_path: /metrics
            static_configs:
        %s""".formatted(rules, alertmanager.port(), targets);
  }

  /** The EMPTY_AT_REST queries an incident fills that still have no data. */
  private static Set<String> incidentQueriesWithoutData() throws Exception {
    final Set<String> missing = new TreeSet<>();
    for (final Map.Entry<String, JsonNode> dashboard : Dashboards.load().entrySet()) {
      for (final Dashboards.Query query : Dashboards.queries(dashboard.getKey(), dashboard.getValue())) {
        final boolean incident = EMPTY_AT_REST.entrySet().stream()
            .anyMatch(e -> e.getValue().startsWith(INCIDENT) && query.where().contains(e.getKey()));
        if (incident && prometheus.result(query.substituted().replace("[2m]", "[10m]")).isEmpty()) {
          missing.add(query.where());
        }
      }
    }
    return missing;
  }

  @Test
  @Order(1)
  void shouldLoadTheProductionExpressionsWhenRulesAreShortenedForTheTest() throws Exception {
    // Given
    final Rules production = Rules.load();
    final Map<String, String> expected = new TreeMap<>();
    production.alerts().forEach(a -> expected.put(a.name(), a.expr()));
    expected.putAll(production.recordings());

    // When: the copies Prometheus was given, and what it loaded
    final Map<String, String> copied = new TreeMap<>();
    try (var files = Files.list(rulesDir)) {
      for (final Path file : files.toList()) {
        for (final JsonNode group : Yaml.YAML.readTree(file.toFile()).path("groups")) {
          if (group.has("interval")) {
            assertThat(group.path("interval").asText()).isEqualTo(INTERVAL);
          }
          for (final JsonNode rule : group.path("rules")) {
            copied.put(rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText(),
                rule.path("expr").asText());
          }
        }
      }
    }
    final Map<String, Double> loadedDurations = new TreeMap<>();
    for (final JsonNode group : prometheus.ruleGroups()) {
      for (final JsonNode rule : group.path("rules")) {
        loadedDurations.put(rule.path("name").asText(), rule.path("duration").asDouble());
      }
    }

    // Then: the same expressions, every rule loaded, alerts held for the test's short duration
    assertThat(copied).isEqualTo(expected);
    assertThat(loadedDurations.keySet()).isEqualTo(expected.keySet());
    production.alerts().forEach(a -> assertThat(loadedDurations.get(a.name())).as("for: of %s", a.name())
        .isEqualTo(Duration.parse("PT" + FOR).toSeconds()));
  }

  @Test
  @Order(2)
  void shouldReturnDataForEveryDashboardQueryRecordingRuleAndAlertInputWhenThePipelineRunsAtRest() throws Exception {
    // Given
    final List<Dashboards.Query> queries = new ArrayList<>();
    Dashboards.load().forEach((file, dashboard) -> queries.addAll(Dashboards.queries(file, dashboard)));
    Rules.load().recordings().forEach((name, expr) -> queries.add(new Dashboards.Query("recording rule " + name,
        name)));
    // Every selector an alert reads matches series (a misspelt metric or label value keeps an alert silent).
    for (final Rules.Alert alert : Rules.load().alerts()) {
      final Set<String> selected = new TreeSet<>();
      final Matcher selector = SELECTOR.matcher(alert.expr());
      while (selector.find()) {
        selected.add(selector.group(1));
        queries.add(new Dashboards.Query("alert " + alert.name() + " input " + selector.group(), selector.group()));
      }
      PromQl.metricNames(alert.expr()).stream().filter(n -> !selected.contains(n))
          .forEach(n -> queries.add(new Dashboards.Query("alert " + alert.name() + " input " + n, n)));
    }

    // When: more events flow (ratios divide by the apps' current process rate: they need recent traffic) and
    // drift-monitor has taken them in; then each query is asked until it answers, within a common deadline
    // Micrometer binds Kafka metrics that appear after start (processor-node e2e latency, created with the tasks) on
    // its 60 s refresh: on a fast run, wait for them first, so that the traffic the ratio queries need is recent
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> !prometheus.result("kafka_stream_processor_node_record_e2e_latency_max").isEmpty());
    pipeline.publish(LivePipeline.STEADY);
    pipeline.awaitDriftCaughtUp();
    final Set<String> empty = new TreeSet<>();
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (final Dashboards.Query query : queries) {
      boolean answered = !prometheus.result(query.substituted()).isEmpty();
      while (!answered && System.nanoTime() < deadline) {
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
        answered = !prometheus.result(query.substituted()).isEmpty();
      }
      if (!answered) {
        empty.add(query.where() + ": " + query.substituted());
      }
    }


    // Then
    final Set<String> unexplained = new TreeSet<>();
    empty.forEach(e -> {
      if (EMPTY_AT_REST.keySet().stream().noneMatch(e::contains)) {
        unexplained.add(e);
      }
    });
    LOG.info("{} queries, {} empty at rest: {}", queries.size(), empty.size(), empty);
    assertThat(queries).hasSizeGreaterThan(100);
    assertThat(unexplained).as("queries without data on the running pipeline (not in EMPTY_AT_REST)").isEmpty();
  }

  @Test
  @Order(3)
  void shouldFireFeatureDriftHighAndRollBackThroughAlertmanagerWhenDriftIsInjected() throws Exception {
    // Given: the pipeline at rest, v2 champion, drift statistics exported and no drift alert
    assertThat(pipeline.scoring().rollout().champion()).isEqualTo("v2");
    assertThat(prometheus.result("driftguard_drift_statistic{statistic=\"psi\"}")).isNotEmpty();
    assertThat(prometheus.result("ALERTS{alertname=\"FeatureDriftHigh\"}")).as("FeatureDriftHigh at rest")
        .isEmpty();
    final long t0 = System.nanoTime();

    // When: amounts shift by several sigmas
    pipeline.publish(LivePipeline.DRIFT);

    // Then: FeatureDriftHigh fires on the serving version
    await("FeatureDriftHigh firing").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
        .until(() -> !prometheus.result("ALERTS{alertname=\"FeatureDriftHigh\", alertstate=\"firing\"}").isEmpty());
    final JsonNode firing = prometheus.result("ALERTS{alertname=\"FeatureDriftHigh\", alertstate=\"firing\"}");
    LOG.info("FeatureDriftHigh firing {} s after the drift was published: {}", (System.nanoTime() - t0) / 1e9,
        firing);
    assertThat(firing.findValuesAsText("model_version")).contains("v2");
    assertThat(firing.findValuesAsText("arm")).containsOnly("CHAMPION");

    // and Alertmanager posts it to POST /rollback, which writes a ROLLBACK to model-control
    await("ROLLBACK on model-control").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
        .until(() -> pipeline.commands().stream().anyMatch(c -> c.getAction() == ModelAction.ROLLBACK));
    final ModelCommand rollback = pipeline.commands().stream().filter(c -> c.getAction() == ModelAction.ROLLBACK)
        .findFirst().orElseThrow();
    assertThat(rollback.getModelName()).isEqualTo(LivePipeline.MODEL);
    assertThat(rollback.getReason()).as("the command says it came from an Alertmanager alert")
        .containsAnyOf("FeatureDriftHigh", "PredictionDriftHigh");

    // and the scorer applies it with the next events it scores: v1, the previous known-good version, serves again
    pipeline.publish(LivePipeline.NUDGE);
    await("scorer on v1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> "v1".equals(pipeline.scoring().rollout().champion()));
    LOG.info("rolled back to v1 {} s after the drift was published (alertmanager log:\n{})",
        (System.nanoTime() - t0) / 1e9, alertmanager.log());

    // and the queries that only an incident fills (EMPTY_AT_REST) have data now
    await("incident annotations").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(incidentQueriesWithoutData()).isEmpty());

    // When: more events arrive
    final Set<String> tail = pipeline.publish(LivePipeline.TAIL);

    // Then: every one of them is scored by v1
    final List<Prediction> after = pipeline.predictionsOf(tail);
    assertThat(after).isNotEmpty().allSatisfy(p -> {
      assertThat(p.getModelVersion()).isEqualTo("v1");
      assertThat(p.getArm().name()).isEqualTo("CHAMPION");
    });
  }
}
