package io.driftguard.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Headings of a Markdown file and the anchors GitHub gives them. */
final class Markdown {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

  private Markdown() {}

  private record Heading(int line, int level, String anchor) {
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String anchor(final String heading) {
    return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  /** Anchor -> the section's text, up to the next heading of the same or a higher level (fenced code ignored). */
  static Map<String, String> sections(final String markdown) {
    final String[] lines = markdown.split("\n");
    final List<Heading> headings = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      final Matcher m = HEADING.matcher(lines[i]);
      if (!fenced && m.matches()) {
        headings.add(new Heading(i, m.group(1).length(), anchor(m.group(2))));
      }
    }
    final Map<String, String> sections = new LinkedHashMap<>();
    for (int h = 0; h < headings.size(); h++) {
      final Heading heading = headings.get(h);
      int end = lines.length;
      for (int next = h + 1; next < headings.size(); next++) {
        if (headings.get(next).level() <= heading.level()) {
          end = headings.get(next).line();
          break;
        }
      }
      final String body = String.join("\n", List.of(lines).subList(heading.line() + 1, end));
      if (sections.put(heading.anchor(), body) != null) {
        throw new IllegalStateException("two headings share the anchor #" + heading.anchor());
      }
    }
    return sections;
  }
}
