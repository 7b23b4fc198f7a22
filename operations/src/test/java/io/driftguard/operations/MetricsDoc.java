package io.driftguard.operations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/metrics.md read as data. Every {@code ## section} holds one table whose first cell is a backticked metric name
 * (or, in {@link #GROUPS}, a backticked prefix ending in {@code *}); the second cell is the type.
 */
record MetricsDoc(Map<String, Map<String, String>> sections) {
  static final String PATH = "docs/metrics.md";
  static final String EVERY_APP = "every app";
  static final String GROUPS = "JVM, process and Kafka groups";
  private static final Pattern HEADING = Pattern.compile("^## (.+)$");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|");

  static MetricsDoc load() {
    return parse(Repo.read(PATH));
  }

  static MetricsDoc parse(final String markdown) {
    final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    String section = null;
    for (final String line : markdown.split("\n")) {
      final Matcher heading = HEADING.matcher(line.strip());
      if (heading.matches()) {
        section = heading.group(1).strip();
        continue;
      }
      final Matcher row = ROW.matcher(line.strip());
      if (section != null && row.find()) {
        final String previous = sections.computeIfAbsent(section, s -> new TreeMap<>())
            .put(row.group(1).strip(), row.group(2).replace("`", "").strip());
        if (previous != null) {
          throw new IllegalStateException(PATH + ": `" + row.group(1) + "` is listed twice in '" + section + "'");
        }
      }
    }
    return new MetricsDoc(Map.copyOf(sections));
  }

  /** Name -> type of one section; empty if the doc has no such section. */
  Map<String, String> section(final String name) {
    return sections.getOrDefault(name, Map.of());
  }

  /** Name -> type of what {@code app} exports: the every-app table plus the app's own. */
  Map<String, String> exportedBy(final String app) {
    if (!sections.containsKey(app)) {
      throw new IllegalStateException(PATH + " has no '## " + app + "' section");
    }
    final Map<String, String> all = new TreeMap<>(section(EVERY_APP));
    all.putAll(section(app));
    return all;
  }

  /** Every documented driftguard metric name, over all apps. */
  Map<String, String> allMetrics() {
    final Map<String, String> all = new TreeMap<>();
    sections.forEach((name, rows) -> {
      if (!name.equals(GROUPS)) {
        all.putAll(rows);
      }
    });
    return all;
  }

  /** The documented prefixes of the JVM/process/Kafka groups, without the trailing {@code *}. */
  List<String> groupPrefixes() {
    return section(GROUPS).keySet().stream().map(p -> {
      if (!p.endsWith("*")) {
        throw new IllegalStateException(PATH + ": group entries are prefixes ending in '*', got `" + p + "`");
      }
      return p.substring(0, p.length() - 1);
    }).toList();
  }

  /**
   * Whether {@code name} as used in a query is a documented metric: a listed name, a histogram's or summary's
   * {@code _bucket}/{@code _count}/{@code _sum} series, or a name under a documented group prefix.
   */
  boolean knows(final String name) {
    final Map<String, String> all = allMetrics();
    if (all.containsKey(name)) {
      return true;
    }
    for (final String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)) {
        final String base = name.substring(0, name.length() - suffix.length());
        final String type = all.get(base);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return true;
        }
      }
    }
    return groupPrefixes().stream().anyMatch(name::startsWith);
  }
}
