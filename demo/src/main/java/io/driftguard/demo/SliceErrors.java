package io.driftguard.demo;

import io.driftguard.avro.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * False positives and negatives of the served decisions by slice, for the observation ledger: every live event with
 * a champion or canary decision and a (delayed) label counts once, in its {@code channel=} and its {@code country=}
 * slice, before or after the drift onset (event time). Abstentions count in {@code labelled} only.
 */
final class SliceErrors {
  static final String BEFORE = "before onset";
  static final String AFTER = "after onset";
  static final String WHOLE = "whole run";

  /** One slice in one period. */
  record Row(String slice, String period, long labelled, long positives, long falsePositives,
      long falseNegatives) {
    /** Share of the slice's legitimate labelled events declined; NaN without any. */
    double falsePositiveRate() {
      final long negatives = labelled - positives;
      return negatives == 0 ? Double.NaN : (double) falsePositives / negatives;
    }

    /** Share of the slice's fraud let through; NaN without any fraud. */
    double falseNegativeRate() {
      return positives == 0 ? Double.NaN : (double) falseNegatives / positives;
    }

    Map<String, Object> toJson() {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("slice", slice);
      m.put("period", period);
      m.put("labelled", labelled);
      m.put("positives", positives);
      m.put("falsePositives", falsePositives);
      m.put("falseNegatives", falseNegatives);
      m.put("falsePositiveRate", finiteOrNull(falsePositiveRate()));
      m.put("falseNegativeRate", finiteOrNull(falseNegativeRate()));
      return m;
    }
  }

  private SliceErrors() {
  }

  /**
   * @param onsetEventMs drift onset in event time, or null (one period, {@link #WHOLE})
   * @return rows ordered by period, then slice
   */
  static List<Row> compute(final Map<String, RunStats.Published> published, final Map<String, Decision> decisions,
      final Map<String, Integer> labels, final Long onsetEventMs) {
    final Map<String, long[]> acc = new TreeMap<>();
    decisions.forEach((eventId, decision) -> {
      final RunStats.Published p = published.get(eventId);
      final Integer label = labels.get(eventId);
      if (p == null || !p.live() || label == null) {
        return;
      }
      final String period = onsetEventMs == null ? WHOLE : p.eventTimeMs() < onsetEventMs ? BEFORE : AFTER;
      for (final String slice : List.of("channel=" + p.channel(), "country=" + p.country())) {
        final long[] a = acc.computeIfAbsent(period + '\u0000' + slice, k -> new long[4]);
        a[0]++;
        if (label == 1) {
          a[1]++;
          if (decision == Decision.NEGATIVE) {
            a[3]++;
          }
        } else if (decision == Decision.POSITIVE) {
          a[2]++;
        }
      }
    });
    final List<Row> rows = new ArrayList<>();
    for (final String period : List.of(WHOLE, BEFORE, AFTER)) {
      acc.forEach((key, a) -> {
        final String[] parts = key.split("\u0000", 2);
        if (parts[0].equals(period)) {
          rows.add(new Row(parts[1], period, a[0], a[1], a[2], a[3]));
        }
      });
    }
    return rows;
  }

  static String html(final List<Row> rows) {
    if (rows.isEmpty()) {
      return "<p>No live event has both a served decision and a label yet (labels arrive about a day of event time "
          + "late).</p>";
    }
    final StringBuilder h = new StringBuilder("<table><tr><th>period</th><th>slice</th><th>labelled</th>"
        + "<th>fraud</th><th>false positives</th><th>FPR</th><th>false negatives</th><th>FNR</th></tr>");
    for (final Row r : rows) {
      h.append("<tr><td>").append(RunReport.esc(r.period())).append("</td><td>").append(RunReport.esc(r.slice()))
          .append("</td><td class=\"num\">").append(r.labelled()).append("</td><td class=\"num\">")
          .append(r.positives()).append("</td><td class=\"num\">").append(r.falsePositives())
          .append("</td><td class=\"num\">").append(pct(r.falsePositiveRate())).append("</td><td class=\"num\">")
          .append(r.falseNegatives()).append("</td><td class=\"num\">").append(pct(r.falseNegativeRate()))
          .append("</td></tr>");
    }
    return h.append("</table>").toString();
  }

  private static String pct(final double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static Double finiteOrNull(final double v) {
    return Double.isFinite(v) ? v : null;
  }
}
