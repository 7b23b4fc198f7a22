package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helpers that read PromQL, scrapes and the metrics doc: unit tests on fixed text. */
class PromQlTest {

  @Test
  void shouldFindMetricNamesButNotFunctionsLabelsOrKeywordsWhenExpressionIsComplex() {
    // Given
    final String expr = "histogram_quantile(0.99, sum by (model_name, le) (rate(driftguard_scoring_latency_seconds_bucket"
        + "{model_name=~\"$model\", arm!=\"SHADOW\"}[5m]))) > on (model_name) group_left max_over_time("
        + "driftguard:scoring_latency_seconds:p99[1d] offset 1d) or up{job=\"driftguard\"} == bool 0";

    // When
    final var names = PromQl.metricNames(expr);

    // Then
    assertThat(names).containsExactlyInAnyOrder("driftguard_scoring_latency_seconds_bucket",
        "driftguard:scoring_latency_seconds:p99", "up");
  }

  @Test
  void shouldReadQueryableNamesAndTypesWhenScrapeHasCountersHistogramsAndGauges() {
    // Given
    final String scrape = """
        # HELP driftguard_dead_letters_total Records sent to the dead-letters topic
        # TYPE driftguard_dead_letters_total counter
        driftguard_dead_letters_total{app="a",reason="X",stage="s"} 1.0
        # TYPE x_lag_seconds histogram
        x_lag_seconds_bucket{le="0.1"} 0
        x_lag_seconds_bucket{le="+Inf"} 2
        x_lag_seconds_count 2
        x_lag_seconds_sum 0.5
        # TYPE x_lag_seconds_max gauge
        x_lag_seconds_max 0.3
        # TYPE declared_but_empty gauge
        """;

    // When
    final Map<String, String> names = PrometheusText.names(scrape);

    // Then
    assertThat(names).containsExactly(Map.entry("driftguard_dead_letters_total", "counter"),
        Map.entry("x_lag_seconds", "histogram"), Map.entry("x_lag_seconds_max", "gauge"));
  }

  @Test
  void shouldKnowHistogramSeriesAndGroupPrefixesWhenDocListsThem() {
    // Given
    final MetricsDoc doc = MetricsDoc.parse("""
        ## every app
        | metric | type |
        |---|---|
        | `driftguard_a_seconds` | histogram | s | `t` | with `code` in a cell |
        ## JVM, process and Kafka groups
        | prefix | bound by |
        | `jvm_*` | Micrometer `JvmMemoryMetrics` |
        """);

    // When / Then
    assertThat(doc.knows("driftguard_a_seconds_bucket")).isTrue();
    assertThat(doc.knows("driftguard_a_seconds_count")).isTrue();
    assertThat(doc.knows("jvm_memory_used_bytes")).isTrue();
    assertThat(doc.knows("driftguard_b_total")).isFalse();
    assertThat(doc.section("every app")).containsEntry("driftguard_a_seconds", "histogram");
    assertThat(doc.groupPrefixes()).containsExactly("jvm_");
  }

  @Test
  void shouldGiveGithubAnchorsAndSectionBodiesWhenMarkdownHasNestedHeadings() {
    // Given
    final String markdown = "# Runbook\nintro\n## FeatureDriftHigh\nbody **Means**\n### detail\nmore\n"
        + "## Rolling back and forward by hand\n```\n# not a heading\n```\n";

    // When
    final Map<String, String> sections = Markdown.sections(markdown);

    // Then
    assertThat(sections).containsOnlyKeys("runbook", "featuredrifthigh", "detail",
        "rolling-back-and-forward-by-hand");
    assertThat(sections.get("featuredrifthigh")).contains("**Means**").contains("more");
  }
}
