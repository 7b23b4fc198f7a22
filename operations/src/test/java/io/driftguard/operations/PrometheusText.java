package io.driftguard.operations;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names in a Prometheus text-format scrape, as a user queries them: a counter family {@code x} is
 * {@code x_total}; a histogram or summary {@code x} is {@code x} (its {@code _bucket}, {@code _count}, {@code _sum}
 * series are implied); a gauge is its own name.
 */
final class PrometheusText {
  private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)$");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  private PrometheusText() {}

  /** Queryable name -> Prometheus type of every family in {@code scrape}. */
  static Map<String, String> names(final String scrape) {
    final Map<String, String> families = new TreeMap<>();
    final Set<String> samples = new TreeSet<>();
    for (final String line : scrape.split("\n")) {
      final Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        families.put(type.group(1), type.group(2));
        continue;
      }
      final Matcher sample = SAMPLE.matcher(line);
      if (!line.startsWith("#") && sample.find()) {
        samples.add(sample.group(1));
      }
    }
    final Map<String, String> names = new TreeMap<>();
    families.forEach((family, type) -> {
      final String name = type.equals("counter") && !family.endsWith("_total") ? family + "_total" : family;
      if (samples.contains(name) || samples.contains(name + "_count") || samples.contains(name + "_bucket")) {
        names.put(name, type);
      }
    });
    return names;
  }
}
