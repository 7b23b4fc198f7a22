package io.driftguard.operations;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser (the real Prometheus parses, see DashboardQueriesTest):
 * it drops strings, label matchers, ranges and grouping clauses, then keeps every identifier that is not a function
 * call, a keyword or an operator.
 */
final class PromQl {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "inf", "nan", "Inf", "NaN", "atan2", "e", "start", "end");

  private PromQl() {}

  static Set<String> metricNames(final String expr) {
    String s = STRINGS.matcher(expr).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGES.matcher(s).replaceAll(" ");
    s = OFFSET.matcher(s).replaceAll(" ");
    final Set<String> names = new TreeSet<>();
    final Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      final String id = m.group(1);
      if (m.group(2) != null || KEYWORDS.contains(id) || id.matches("[0-9].*")) {
        continue;
      }
      names.add(id);
    }
    return names;
  }
}
