package io.driftguard.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run report: {@code index.html} with PNG charts (XChart) and {@code summary.json}. Figures come from
 * {@link RunStats} (what was published and read back) and the exactly-once check; nothing is estimated here except
 * what says so (the quality chart's "estimated" line is the mean calibrated score).
 */
final class RunReport {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 320;
  private static final int QUALITY_BUCKETS = 10;

  private RunReport() {
  }

  /** A chart written, with its caption; small charts are laid out two to a row. */
  record Chart(String file, String title, String caption, boolean small) {
    Chart(final String file, final String title, final String caption) {
      this(file, title, caption, false);
    }
  }

  /** Drift statistic charted per feature: PSI, the statistic every numeric feature and the score have. */
  static final String DRIFT_STATISTIC = "psi";
  private static final int SMALL_WIDTH = 440;
  private static final int SMALL_HEIGHT = 260;

  /**
   * One chart per feature (and the score): drift-monitor's PSI of each closed window over wall time, per served
   * version and arm, with the champion's thresholds as horizontal lines, the drift onset and the rollback marked.
   *
   * @param thresholds the champion's PSI threshold per feature, as drift-monitor grades it; features without one get
   *     no line
   */
  static List<Chart> writeDriftCharts(final Path dir, final List<RunStats.DriftPoint> points,
      final Map<String, io.driftguard.drift.stats.Threshold> thresholds, final DemoPlan plan,
      final Long rollbackWallMs) throws IOException {
    Files.createDirectories(dir);
    final Map<String, Map<String, List<RunStats.DriftPoint>>> byFeature = new java.util.TreeMap<>();
    for (final RunStats.DriftPoint p : points) {
      if (DRIFT_STATISTIC.equals(p.statistic()) && !"SHADOW".equals(p.arm())) {
        byFeature.computeIfAbsent(p.feature(), f -> new java.util.TreeMap<>())
            .computeIfAbsent(p.version() + "/" + p.arm(), k -> new ArrayList<>()).add(p);
      }
    }
    final Double onsetS = plan.onset() == null ? null : plan.wallOffsetMs(plan.onset()) / 1000.0;
    final Double rollbackS = rollbackWallMs == null ? null : rollbackWallMs / 1000.0;
    final List<Chart> charts = new ArrayList<>();
    for (final Map.Entry<String, Map<String, List<RunStats.DriftPoint>>> f : byFeature.entrySet()) {
      final String feature = f.getKey();
      final XYChart c = new XYChartBuilder().width(SMALL_WIDTH).height(SMALL_HEIGHT).title(feature)
          .xAxisTitle("seconds since live start").yAxisTitle("PSI per window").build();
      c.getStyler().setChartBackgroundColor(Color.WHITE);
      c.getStyler().setMarkerSize(4);
      c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
      double maxX = 1;
      for (final Map.Entry<String, List<RunStats.DriftPoint>> series : f.getValue().entrySet()) {
        final List<RunStats.DriftPoint> ps = series.getValue();
        final double[] x = ps.stream().mapToDouble(p -> p.wallMs() / 1000.0).toArray();
        final double[] y = ps.stream().mapToDouble(RunStats.DriftPoint::value).toArray();
        for (final double v : x) {
          maxX = Math.max(maxX, v);
        }
        c.addSeries(series.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
      }
      final io.driftguard.drift.stats.Threshold t = thresholds.get(feature);
      if (t != null) {
        horizontal(c, "warning threshold", t.warning(), maxX, new Color(0xE0, 0xA0, 0x00));
        if (Double.isFinite(t.critical())) {
          horizontal(c, "critical threshold", t.critical(), maxX, Color.RED.darker());
        }
      }
      markers(c, onsetS, rollbackS);
      final String file = "drift-" + feature.replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
      charts.add(save(dir, c, file, feature, "", true));
    }
    return charts;
  }

  private static void horizontal(final XYChart chart, final String name, final double y, final double maxX,
      final Color color) {
    final XYSeries s = chart.addSeries(name, new double[] {0, maxX}, new double[] {y, y});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
  }

  static Path writeSummary(final Path dir, final Map<String, Object> summary) throws IOException {
    Files.createDirectories(dir);
    final Path file = dir.resolve("summary.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
    return file;
  }

  static List<Chart> writeCharts(final Path dir, final RunStats stats, final DemoPlan plan,
      final Long rollbackWallMs) throws IOException {
    Files.createDirectories(dir);
    final List<RunStats.Second> seconds = stats.seconds();
    final double[] x = new double[Math.max(1, seconds.size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    final Double onsetS = plan.onset() == null ? null : plan.wallOffsetMs(plan.onset()) / 1000.0;
    final Double rollbackS = rollbackWallMs == null ? null : rollbackWallMs / 1000.0;
    final List<Chart> charts = new ArrayList<>();

    final XYChart throughput = chart("Throughput", "seconds since live start", "records / s");
    add(throughput, "events published", x, series(seconds, x.length, s -> (double) s.events));
    add(throughput, "champion+canary predictions read", x, series(seconds, x.length, s -> (double) s.predictions));
    add(throughput, "labels published", x, series(seconds, x.length, s -> (double) s.labels));
    markers(throughput, onsetS, rollbackS);
    charts.add(save(dir, throughput, "throughput.png", "Throughput over time",
        "Per wall-clock second: events the demo published, champion/canary predictions it read back "
            + "(read_committed), labels published."));

    final XYChart latency = chart("Latency percentiles", "seconds since live start", "ms");
    add(latency, "scoring p50", x, series(seconds, x.length, s -> pct(s.scoringMicros, 50) / 1000));
    add(latency, "scoring p99", x, series(seconds, x.length, s -> pct(s.scoringMicros, 99) / 1000));
    add(latency, "event->prediction p50", x, series(seconds, x.length, s -> pct(s.endToEndMs, 50)));
    add(latency, "event->prediction p99", x, series(seconds, x.length, s -> pct(s.endToEndMs, 99)));
    markers(latency, onsetS, rollbackS);
    charts.add(save(dir, latency, "latency.png", "Latency percentiles",
        "Scoring: validation plus model call inside scoring-stream (Prediction.scoringLatencyMicros). "
            + "Event->prediction: from the demo's send of the event to its read of the committed prediction; it "
            + "includes the exactly-once commit intervals of feature-stream and scoring-stream."));

    final XYChart versions = chart("Predictions by version and arm", "seconds since live start", "predictions / s");
    final TreeSet<String> keys = new TreeSet<>();
    seconds.forEach(s -> keys.addAll(s.byVersionArm.keySet()));
    for (final String key : keys) {
      add(versions, key, x, series(seconds, x.length, s -> (double) s.byVersionArm.getOrDefault(key, 0L)));
    }
    if (keys.isEmpty()) {
      add(versions, "no predictions", x, new double[x.length]);
    }
    markers(versions, onsetS, rollbackS);
    charts.add(save(dir, versions, "versions.png", "Predictions by version and arm",
        "Rollout as the scorer applied it: champion, canary and shadow predictions per second, per model version."));

    final XYChart nulls = chart("Null rate of deviceId (card-not-present payments)", "seconds since live start",
        "share null");
    add(nulls, "deviceId null rate", x, series(seconds, x.length,
        s -> s.onlineOrMobile == 0 ? Double.NaN : (double) s.deviceMissing / s.onlineOrMobile));
    markers(nulls, onsetS, rollbackS);
    charts.add(save(dir, nulls, "null-rates.png", "Null rates",
        "Share of ONLINE/MOBILE events published without deviceId, per second (the null-spike scenario raises it)."));

    final XYChart coverage = chart("Label coverage", "seconds since live start", "share of published events");
    add(coverage, "labelled / published (cumulative)", x, series(seconds, x.length,
        s -> s.eventsSoFar == 0 ? Double.NaN : (double) s.labelledSoFar / s.eventsSoFar));
    markers(coverage, onsetS, rollbackS);
    charts.add(save(dir, coverage, "label-coverage.png", "Label coverage",
        "Cumulative share of published events whose (delayed) label has been published."));

    charts.add(quality(dir, stats, plan));
    return charts;
  }

  private static Chart quality(final Path dir, final RunStats stats, final DemoPlan plan) throws IOException {
    final Map<String, RunStats.Published> published = stats.published();
    final Map<String, Double> scores = stats.servedScore();
    final Map<String, String> versions = stats.servedVersion();
    final Map<String, Integer> labels = stats.labels();
    final long from = plan.liveStart().toEpochMilli();
    final long width = Math.max(1, (plan.liveEnd().toEpochMilli() - from) / QUALITY_BUCKETS);
    final double[] scoreSum = new double[QUALITY_BUCKETS];
    final long[] scored = new long[QUALITY_BUCKETS];
    final Map<String, double[]> realizedSum = new LinkedHashMap<>();
    final Map<String, long[]> realizedCount = new LinkedHashMap<>();
    for (final Map.Entry<String, Double> e : scores.entrySet()) {
      final RunStats.Published p = published.get(e.getKey());
      if (p == null || !p.live()) {
        continue;
      }
      final int b = (int) Math.min(QUALITY_BUCKETS - 1, Math.max(0, (p.eventTimeMs() - from) / width));
      scoreSum[b] += e.getValue();
      scored[b]++;
      final Integer label = labels.get(e.getKey());
      if (label != null) {
        final String v = versions.getOrDefault(e.getKey(), "?");
        realizedSum.computeIfAbsent(v, k -> new double[QUALITY_BUCKETS])[b] += label;
        realizedCount.computeIfAbsent(v, k -> new long[QUALITY_BUCKETS])[b]++;
      }
    }
    final double[] x = new double[QUALITY_BUCKETS];
    final double[] est = new double[QUALITY_BUCKETS];
    for (int i = 0; i < QUALITY_BUCKETS; i++) {
      x[i] = (i + 0.5) * width / 3_600_000.0;
      est[i] = scored[i] == 0 ? Double.NaN : scoreSum[i] / scored[i];
    }
    final XYChart chart = chart("Realized vs estimated fraud rate", "event hours since live start", "rate");
    add(chart, "estimated (mean calibrated score, all arms served)", x, est);
    realizedSum.forEach((v, sums) -> {
      final long[] n = realizedCount.get(v);
      final double[] y = new double[QUALITY_BUCKETS];
      for (int i = 0; i < QUALITY_BUCKETS; i++) {
        y[i] = n[i] == 0 ? Double.NaN : sums[i] / n[i];
      }
      add(chart, "realized (labels) served by " + v, x, y);
    });
    if (plan.onset() != null) {
      vertical(chart, "drift onset", (plan.onset().toEpochMilli() - from) / 3_600_000.0, Color.RED);
    }
    return save(dir, chart, "quality.png", "Realized and estimated quality",
        "Per event-time bucket of the live phase: the mean calibrated score of served predictions (what the model "
            + "expects) against the fraud rate its delayed labels show, per served version. Buckets without "
            + "labels yet have no realized point: labels arrive about a day (event time) late.");
  }

  private interface Field {
    double of(RunStats.Second s);
  }

  private static double[] series(final List<RunStats.Second> seconds, final int n, final Field f) {
    final double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = i < seconds.size() ? f.of(seconds.get(i)) : Double.NaN;
    }
    return y;
  }

  private static double pct(final org.HdrHistogram.Histogram h, final double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
  }

  private static XYChart chart(final String title, final String xTitle, final String yTitle) {
    final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    c.getStyler().setMarkerSize(0);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    return c;
  }

  private static void add(final XYChart chart, final String name, final double[] x, final double[] y) {
    final XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
  }

  private static void markers(final XYChart chart, final Double onsetS, final Double rollbackS) {
    if (onsetS != null) {
      vertical(chart, "drift onset", onsetS, Color.RED);
    }
    if (rollbackS != null) {
      vertical(chart, "rollback", rollbackS, Color.MAGENTA);
    }
  }

  private static void vertical(final XYChart chart, final String name, final double at, final Color color) {
    double max = 0;
    for (final XYSeries s : chart.getSeriesMap().values()) {
      for (final double v : s.getYData()) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
    }
    final XYSeries s = chart.addSeries(name, new double[] {at, at}, new double[] {0, max == 0 ? 1 : max});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
  }

  private static Chart save(final Path dir, final XYChart chart, final String file, final String title,
      final String caption) throws IOException {
    return save(dir, chart, file, title, caption, false);
  }

  private static Chart save(final Path dir, final XYChart chart, final String file, final String title,
      final String caption, final boolean small) throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    return new Chart(file, title, caption, small);
  }

  static Path writeHtml(final Path dir, final Map<String, Object> summary, final List<Chart> charts,
      final List<Chart> driftCharts, final String driftCaption, final List<RunStats.Control> controls,
      final List<String> notAvailable, final String ledger, final String slices) throws IOException {
    final StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>driftguard demo report</title>\n")
        .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
            + ".warn{background:#fff4d6;padding:8px;border-left:4px solid #e0a000}"
            + "pre{background:#f6f6f6;padding:8px;overflow-x:auto}"
            + ".grid{display:flex;flex-wrap:wrap;gap:8px}.grid img{width:" + SMALL_WIDTH + "px}"
            + "td.num{text-align:right}</style></head><body>\n");
    h.append("<h1>driftguard demo report</h1>\n");
    h.append("<p>Scenario <b>").append(esc(String.valueOf(summary.get("scenario")))).append("</b>, generated ")
        .append(esc(Instant.now().toString())).append(". Machine-readable figures: <a href=\"summary.json\">"
            + "summary.json</a>.</p>\n");
    if (!notAvailable.isEmpty()) {
      h.append("<div class=\"warn\"><b>Not yet available in this build</b> (shown as missing, never simulated):<ul>");
      notAvailable.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
      h.append("</ul></div>\n");
    }
    h.append("<h2>Run</h2>\n<table>");
    for (final String key : List.of("events", "predictionsPerVersion", "deadLetters", "exactlyOnce", "drift",
        "rollback", "latencyPercentiles")) {
      Object value = summary.get(key);
      if (value instanceof Map<?, ?> m && m.containsKey("alerts")) {
        // The full alert list is in summary.json; the page lists the alerts below, one line each.
        final Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.remove("alerts");
        copy.remove("psiThresholds");
        value = copy;
      }
      h.append("<tr><th>").append(esc(key)).append("</th><td><pre>")
          .append(esc(json(value))).append("</pre></td></tr>");
    }
    h.append("</table>\n");
    h.append(alertTable(summary.get("drift")));
    h.append("<h2>Gate verdicts</h2>\n<pre>").append(esc(json(summary.get("training")))).append("</pre>\n");
    h.append("<h2>Model-control timeline</h2>\n");
    if (controls.isEmpty()) {
      h.append("<p>No model-control command was issued.</p>\n");
    } else {
      h.append("<table><tr><th>at</th><th>action</th><th>version</th><th>canary %</th><th>by</th>"
          + "<th>reason</th></tr>");
      for (final RunStats.Control c : controls) {
        h.append("<tr><td>").append(ConsoleView.clock(c.wallMs())).append("</td><td>").append(esc(c.action()))
            .append("</td><td>").append(esc(String.valueOf(c.version()))).append("</td><td>")
            .append(c.canaryPercent() == null ? "" : c.canaryPercent()).append("</td><td>")
            .append(esc(c.issuedBy())).append("</td><td>").append(esc(c.reason())).append("</td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Charts</h2>\n");
    for (final Chart c : charts) {
      h.append("<h3>").append(esc(c.title())).append("</h3>\n<img src=\"").append(esc(c.file()))
          .append("\" alt=\"").append(esc(c.title())).append("\" width=\"").append(WIDTH).append("\">\n<p>")
          .append(esc(c.caption())).append("</p>\n");
    }
    h.append("<h2>Per-feature drift</h2>\n<p>").append(esc(driftCaption)).append("</p>\n");
    if (driftCharts.isEmpty()) {
      h.append("<p>drift-monitor closed no window with a PSI while the demo watched.</p>\n");
    } else {
      h.append("<div class=\"grid\">\n");
      for (final Chart c : driftCharts) {
        h.append("<img src=\"").append(esc(c.file())).append("\" alt=\"PSI of ").append(esc(c.title()))
            .append("\" width=\"").append(SMALL_WIDTH).append("\">\n");
      }
      h.append("</div>\n");
    }
    h.append("<h2>Observation ledger</h2>\n<pre>").append(esc(ledger)).append("</pre>\n");
    h.append("<h3>False positives and negatives by slice</h3>\n").append(slices).append('\n');
    h.append("</body></html>\n");
    final Path file = dir.resolve("index.html");
    Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** Every FIRING or RESOLVED alert, one row each, in the order the demo read them. */
  private static String alertTable(final Object drift) {
    if (!(drift instanceof Map<?, ?> m) || !(m.get("alerts") instanceof List<?> alerts)) {
      return "";
    }
    final StringBuilder h = new StringBuilder("<h2>Alerts</h2>\n");
    final List<RunStats.AlertSeen> rows = alerts.stream().filter(RunStats.AlertSeen.class::isInstance)
        .map(RunStats.AlertSeen.class::cast).filter(a -> !"AUDIT".equals(a.status())).toList();
    if (rows.isEmpty()) {
      return h.append("<p>No alert fired.</p>\n").toString();
    }
    h.append("<table><tr><th>at</th><th>status</th><th>monitor</th><th>subject</th><th>statistic</th>"
        + "<th>value</th><th>threshold</th><th>message</th></tr>");
    for (final RunStats.AlertSeen a : rows) {
      h.append("<tr><td>").append(ConsoleView.clock(a.wallMs())).append("</td><td>").append(esc(a.status()))
          .append("</td><td>").append(esc(a.monitor())).append("</td><td>").append(esc(a.subject()))
          .append("</td><td>").append(esc(a.statistic())).append("</td><td class=\"num\">")
          .append(a.value() == null ? "" : fmt(a.value())).append("</td><td class=\"num\">")
          .append(a.threshold() == null ? "" : fmt(a.threshold())).append("</td><td>").append(esc(a.message()))
          .append("</td></tr>");
    }
    return h.append("</table>\n").toString();
  }

  static String json(final Object value) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (IOException e) {
      return String.valueOf(value);
    }
  }

  static String esc(final String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static String fmt(final double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
