package io.driftguard.operations;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards under grafana/dashboards and the PromQL they run. */
final class Dashboards {
  static final String DIR = "grafana/dashboards";
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\)$");
  private static final Pattern GRAFANA_INTERVAL = Pattern.compile("\\$\\{?__(rate_)?interval\\}?|\\$\\{?__range\\}?");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*(:[a-z]+)?\\}?");

  private Dashboards() {}

  /** File name -> dashboard JSON. */
  static Map<String, JsonNode> load() {
    try (Stream<Path> files = Files.list(Repo.root().resolve(DIR))) {
      final Map<String, JsonNode> out = new LinkedHashMap<>();
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
          .forEach(name -> out.put(name, Yaml.json(DIR + "/" + name)));
      return out;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + DIR, e);
    }
  }

  /** One PromQL expression and where it is (dashboard, panel or annotation or variable). */
  record Query(String where, String expr) {
    /** The expression as Prometheus receives it once Grafana substituted its variables. */
    String substituted() {
      String s = GRAFANA_INTERVAL.matcher(expr).replaceAll("5m");
      // Template variables are regex-matched (=~) multi-values: "all" is ".*".
      s = GRAFANA_VARIABLE.matcher(s).replaceAll(Matcher.quoteReplacement(".*"));
      return s;
    }
  }

  /** Every expression of every panel (rows included), annotation and query variable of {@code dashboard}. */
  static List<Query> queries(final String file, final JsonNode dashboard) {
    final List<Query> out = new ArrayList<>();
    panels(dashboard.path("panels"), file, out);
    for (final JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.hasNonNull("expr")) {
        out.add(new Query(file + " annotation '" + annotation.path("name").asText() + "'",
            annotation.get("expr").asText()));
      }
    }
    for (final JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        final JsonNode query = variable.path("query");
        final String text = query.isObject() ? query.path("query").asText() : query.asText();
        final Matcher m = LABEL_VALUES.matcher(text.strip());
        out.add(new Query(file + " variable $" + variable.path("name").asText(), m.matches() ? m.group(1) : text));
      }
    }
    return out;
  }

  private static void panels(final JsonNode panels, final String file, final List<Query> out) {
    for (final JsonNode panel : panels) {
      for (final JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          out.add(new Query(file + " panel '" + panel.path("title").asText() + "' "
              + target.path("refId").asText(), target.get("expr").asText()));
        }
      }
      panels(panel.path("panels"), file, out);
    }
  }
}
