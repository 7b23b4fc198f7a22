package io.driftguard.operations;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The Prometheus rule files under prometheus/rules, read as data. */
record Rules(List<Alert> alerts, Map<String, String> recordings) {
  static final String DIR = "prometheus/rules";
  static final String TESTS = "prometheus/tests";

  /** One alerting rule. */
  record Alert(String name, String expr, Map<String, String> labels, Map<String, String> annotations) {
  }

  static List<String> ruleFiles() {
    return yamlFiles(DIR);
  }

  static List<String> testFiles() {
    return yamlFiles(TESTS);
  }

  private static List<String> yamlFiles(final String dir) {
    try (Stream<Path> files = Files.list(Repo.root().resolve(dir))) {
      final List<String> out = files.map(p -> dir + "/" + p.getFileName())
          .filter(name -> name.endsWith(".yml") || name.endsWith(".yaml")).sorted().toList();
      if (out.isEmpty()) {
        throw new IllegalStateException("no YAML files in " + dir);
      }
      return out;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static Rules load() {
    final List<Alert> alerts = new ArrayList<>();
    final Map<String, String> recordings = new TreeMap<>();
    for (final String file : ruleFiles()) {
      for (final JsonNode group : Yaml.yaml(file).path("groups")) {
        for (final JsonNode rule : group.path("rules")) {
          if (rule.hasNonNull("alert")) {
            alerts.add(new Alert(rule.get("alert").asText(), rule.path("expr").asText(),
                strings(rule.path("labels")), strings(rule.path("annotations"))));
          } else {
            recordings.put(rule.path("record").asText(), rule.path("expr").asText());
          }
        }
      }
    }
    return new Rules(List.copyOf(alerts), Map.copyOf(recordings));
  }

  private static Map<String, String> strings(final JsonNode node) {
    final Map<String, String> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
