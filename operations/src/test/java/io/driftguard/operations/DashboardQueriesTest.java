package io.driftguard.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grafana/: every PromQL expression of every dashboard parses in the real Prometheus (Debian's binary, started here
 * with an empty config: a 200 with status success means it parsed; empty results are expected), reads only metrics
 * from the metrics contract or recording rules, and the dashboards use the provisioned datasource.
 */
class DashboardQueriesTest {
  private static final Set<String> REQUIRED_TITLES = Set.of("driftguard / Model health",
      "driftguard / Features & freshness", "driftguard / Drift", "driftguard / Labels & quality",
      "driftguard / Streams internals");
  private static final String DATASOURCES = "grafana/provisioning/datasources/prometheus.yml";
  private static final String PROVIDER = "grafana/provisioning/dashboards/driftguard.yml";

  @TempDir
  static Path workDir;

  private static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus() throws Exception {
    prometheus = PrometheusServer.start(workDir);
  }

  @AfterAll
  static void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void shouldParseEveryDashboardQueryWhenSentToARealPrometheus() throws Exception {
    // Given
    final List<Dashboards.Query> queries = new ArrayList<>();
    Dashboards.load().forEach((file, dashboard) -> queries.addAll(Dashboards.queries(file, dashboard)));

    // When
    final Map<String, String> rejected = new TreeMap<>();
    for (final Dashboards.Query query : queries) {
      final HttpResponse<String> response = prometheus.query(query.substituted());
      final JsonNode body = Yaml.JSON.readTree(response.body());
      if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
        rejected.put(query.where(), response.statusCode() + " " + body.path("error").asText() + " in: "
            + query.substituted());
      }
    }

    // Then
    assertThat(queries).hasSizeGreaterThan(40);
    assertThat(rejected).as("dashboard queries Prometheus refused").isEmpty();
  }

  @Test
  void shouldReadOnlyContractMetricsWhenDashboardQueriesAreRun() {
    // Given
    final MetricsDoc doc = MetricsDoc.load();
    final Map<String, String> recordings = Rules.load().recordings();

    // When
    final Map<String, Set<String>> unknown = new TreeMap<>();
    Dashboards.load().forEach((file, dashboard) -> {
      for (final Dashboards.Query query : Dashboards.queries(file, dashboard)) {
        final Set<String> names = PromQl.metricNames(query.substituted());
        assertThat(names).as("metric names of %s", query.where()).isNotEmpty();
        for (final String name : names) {
          if (name.contains(":") ? !recordings.containsKey(name) : !doc.knows(name)) {
            unknown.computeIfAbsent(query.where(), w -> new TreeSet<>()).add(name);
          }
        }
      }
    });

    // Then
    assertThat(unknown).as("metrics used by dashboards but not in %s or the recording rules", MetricsDoc.PATH)
        .isEmpty();
  }

  @Test
  void shouldProvideEveryDashboardWithModelAndVersionVariablesWhenProvisioned() {
    // Given
    final Map<String, JsonNode> dashboards = Dashboards.load();
    final String datasourceUid = Yaml.yaml(DATASOURCES).path("datasources").path(0).path("uid").asText();
    final JsonNode provider = Yaml.yaml(PROVIDER).path("providers").path(0);

    // When
    final Set<String> titles = new TreeSet<>();
    final Set<String> uids = new TreeSet<>();
    final Map<String, String> problems = new TreeMap<>();
    dashboards.forEach((file, dashboard) -> {
      titles.add(dashboard.path("title").asText());
      if (!uids.add(dashboard.path("uid").asText())) {
        problems.put(file, "duplicate uid " + dashboard.path("uid").asText());
      }
      final Set<String> variables = new TreeSet<>();
      dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
      if (!variables.containsAll(Set.of("model", "version"))) {
        problems.put(file, "template variables " + variables + " lack model and version");
      }
      dashboard.path("panels").forEach(panel -> {
        if (!panel.path("datasource").path("uid").asText().equals(datasourceUid)) {
          problems.put(file, "panel '" + panel.path("title").asText() + "' does not use datasource uid "
              + datasourceUid);
        }
      });
    });

    // Then
    assertThat(problems).isEmpty();
    assertThat(titles).containsAll(REQUIRED_TITLES);
    assertThat(datasourceUid).isNotBlank();
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).isNotBlank();
  }
}
