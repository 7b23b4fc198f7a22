package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * prometheus/: the rules pass {@code promtool check rules}, their unit tests pass {@code promtool test rules} and cover
 * every alert both firing and not firing, every alert carries severity, summary and runbook_url, and every metric a
 * rule reads is in the metrics contract.
 */
class PrometheusRulesTest {
  /** The alerts issue 7 asks for; the rule files must define exactly these. */
  static final Set<String> REQUIRED_ALERTS = Set.of("FeatureFreshnessSLABreached", "FeatureDriftHigh",
      "PredictionDriftHigh", "NullRateSpike", "LabelArrivalStalled", "RealizedQualityDrop", "ScoringLatencyP99High",
      "FallbackRateHigh", "DeadLetterRateHigh", "StreamsAppNotRunning", "ConsumerLagHigh");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void shouldPassPromtoolCheckWhenRuleFilesAreLinted() {
    // Given
    final Path promtool = Binaries.require("promtool");
    final List<String> command = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    command.addAll(Rules.ruleFiles());

    // When
    final Binaries.Result result = Binaries.run(Repo.root(), 60, command);

    // Then
    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void shouldPassPromtoolCheckWhenComposePrometheusConfigIsLinted() {
    // Given
    final Path promtool = Binaries.require("promtool");

    // When
    final Binaries.Result result = Binaries.run(Repo.root(), 60,
        List.of(promtool.toString(), "check", "config", "--syntax-only", "prometheus/prometheus.yml"));

    // Then
    assertThat(result.exitCode()).as("%s", result).isZero();
  }

  @Test
  void shouldPassEveryPromtoolUnitTestWhenRuleTestsRun() {
    // Given
    final Path promtool = Binaries.require("promtool");
    final List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    command.addAll(Rules.testFiles());

    // When
    final Binaries.Result result = Binaries.run(Repo.root(), 120, command);

    // Then
    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void shouldTestEveryAlertFiringAndNotFiringWhenUnitTestsAreRead() {
    // Given
    final Set<String> alerts = new TreeSet<>();
    Rules.load().alerts().forEach(a -> alerts.add(a.name()));
    final Set<String> firing = new TreeSet<>();
    final Set<String> notFiring = new TreeSet<>();

    // When
    for (final String file : Rules.testFiles()) {
      for (final JsonNode test : Yaml.yaml(file).path("tests")) {
        for (final JsonNode check : test.path("alert_rule_test")) {
          final String name = check.path("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? notFiring : firing).add(name);
        }
      }
    }

    // Then
    assertThat(firing).as("alerts with a firing case in %s", Rules.TESTS).containsAll(alerts);
    assertThat(notFiring).as("alerts with a not-firing case in %s", Rules.TESTS).containsAll(alerts);
  }

  @Test
  void shouldDefineEachRequiredAlertWithSeveritySummaryAndRunbookWhenRulesAreRead() {
    // Given
    final List<Rules.Alert> alerts = Rules.load().alerts();

    // When
    final Map<String, String> problems = new TreeMap<>();
    for (final Rules.Alert alert : alerts) {
      final List<String> wrong = new ArrayList<>();
      if (!SEVERITIES.contains(alert.labels().getOrDefault("severity", ""))) {
        wrong.add("severity label must be one of " + SEVERITIES + ", got " + alert.labels().get("severity"));
      }
      if (alert.annotations().getOrDefault("summary", "").isBlank()) {
        wrong.add("no summary annotation");
      }
      if (!alert.annotations().getOrDefault("runbook_url", "").startsWith(RunbookTest.RUNBOOK + "#")) {
        wrong.add("runbook_url must point into " + RunbookTest.RUNBOOK + "#<anchor>, got "
            + alert.annotations().get("runbook_url"));
      }
      if ("rollback".equals(alert.labels().get("action"))
          && !(alert.expr().contains("model_name") && alert.expr().contains("arm"))) {
        wrong.add("action=rollback alerts must keep the model_name and arm labels the webhook reads");
      }
      if (!wrong.isEmpty()) {
        problems.put(alert.name(), String.join("; ", wrong));
      }
    }

    // Then
    assertThat(problems).isEmpty();
    assertThat(alerts.stream().map(Rules.Alert::name).toList()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(REQUIRED_ALERTS);
  }

  @Test
  void shouldReadOnlyDocumentedMetricsWhenRulesAreEvaluated() {
    // Given
    final Rules rules = Rules.load();
    final MetricsDoc doc = MetricsDoc.load();
    final Map<String, String> expressions = new TreeMap<>(rules.recordings());
    rules.alerts().forEach(a -> expressions.put("alert " + a.name(), a.expr()));

    // When
    final Map<String, Set<String>> unknown = new TreeMap<>();
    expressions.forEach((rule, expr) -> {
      final Set<String> names = PromQl.metricNames(expr);
      assertThat(names).as("metric names of %s", rule).isNotEmpty();
      for (final String name : names) {
        final boolean known = name.contains(":") ? rules.recordings().containsKey(name)
            : doc.knows(name) || name.equals("up");
        if (!known) {
          unknown.computeIfAbsent(rule, r -> new TreeSet<>()).add(name);
        }
      }
    });

    // Then
    assertThat(unknown).as("metrics read by rules but missing from %s (or recording rules not defined)",
        MetricsDoc.PATH).isEmpty();
  }
}
