package io.driftguard.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The live view, refreshed about once a second: a redrawn block on a terminal, one plain line per refresh when
 * stdout is not a terminal (CI logs, pipes).
 */
final class ConsoleView {
  private static final String CLEAR_BLOCK = "\u001b[H\u001b[2J";

  private final PrintStream out;
  private final boolean tty;
  private final DemoPlan plan;
  private final long durationMs;
  private final String unavailable;

  /**
   * @param unavailable what the console shows instead of alerts when no alert source runs, or null
   */
  ConsoleView(final PrintStream out, final boolean tty, final DemoPlan plan, final long durationMs,
      final String unavailable) {
    this.out = out;
    this.tty = tty;
    this.plan = plan;
    this.durationMs = durationMs;
    this.unavailable = unavailable;
  }

  void render(final RunStats.Snapshot s, final String phase) {
    final Instant eventTime = plan.eventTimeAt(Math.min(s.wallMs(), durationMs));
    final String versions = s.byVersionArm().isEmpty() ? "none yet" : s.byVersionArm().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("  "));
    final String alerts = alertsLine(s);
    if (tty) {
      final StringBuilder b = new StringBuilder(CLEAR_BLOCK);
      b.append(String.format(Locale.ROOT, "driftguard demo   %s   %s / %s   scenario %s   event time %s (x%.0f)%n",
          phase, clock(s.wallMs()), clock(durationMs), plan.scenario(), eventTime, plan.speed()));
      b.append(String.format(Locale.ROOT, "  events/s     %-6d live %-8d backfill %-6d dead letters %d%n",
          s.eventsLastSecond(), s.liveEvents(), s.backfillEvents(), s.deadLetters()));
      b.append("  predictions  ").append(versions).append('\n');
      b.append(String.format(Locale.ROOT, "  p99          scoring %s   event->prediction %s   event->features %s%n",
          RunMonitor.fmtMs(s.scoringP99Ms()), RunMonitor.fmtMs(s.endToEndP99Ms()),
          RunMonitor.fmtMs(s.freshnessP99Ms())));
      b.append(String.format(Locale.ROOT, "  labels       %d published, coverage %.1f%% of published events%n",
          s.labelsPublished(), 100 * s.labelCoverage()));
      b.append("  alerts       ").append(alerts).append('\n');
      b.append("  model-control").append(s.controls().isEmpty() ? " (no command yet)\n" : "\n");
      for (final RunStats.Control c : tail(s.controls(), 6)) {
        b.append(String.format(Locale.ROOT, "    %s  %-10s %-4s %s  by %s: %s%n", clock(c.wallMs()), c.action(),
            c.version() == null ? "" : c.version(), c.canaryPercent() == null ? "" : c.canaryPercent() + "%",
            c.issuedBy(), c.reason()));
      }
      b.append("  Ctrl-C stops the demo and writes the report.\n");
      out.print(b);
    } else {
      out.printf(Locale.ROOT, "%s %s ev/s=%d live=%d backfill=%d dlq=%d preds[%s] p99 score=%s e2e=%s feat=%s "
              + "labels=%d cov=%.1f%% alerts=%s control=%d%n", clock(s.wallMs()), phase, s.eventsLastSecond(),
          s.liveEvents(), s.backfillEvents(), s.deadLetters(), versions, RunMonitor.fmtMs(s.scoringP99Ms()),
          RunMonitor.fmtMs(s.endToEndP99Ms()), RunMonitor.fmtMs(s.freshnessP99Ms()), s.labelsPublished(),
          100 * s.labelCoverage(), alerts, s.controls().size());
    }
    out.flush();
  }

  private String alertsLine(final RunStats.Snapshot s) {
    final Map<String, RunStats.AlertSeen> open = new java.util.LinkedHashMap<>();
    for (final RunStats.AlertSeen a : s.alerts()) {
      final String key = a.monitor() + "/" + a.subject() + "/" + a.statistic();
      if ("AUDIT".equals(a.status())) {
        continue;
      }
      if ("RESOLVED".equals(a.status())) {
        open.remove(key);
      } else {
        open.put(key, a);
      }
    }
    if (!open.isEmpty()) {
      return open.values().stream().map(a -> a.severity() + " " + a.subject() + " " + a.statistic())
          .collect(Collectors.joining(", "));
    }
    return unavailable == null ? "none" : "none (" + unavailable + ")";
  }

  private static <T> List<T> tail(final List<T> list, final int n) {
    return list.subList(Math.max(0, list.size() - n), list.size());
  }

  static String clock(final long ms) {
    final long s = Math.max(0, ms) / 1000;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
