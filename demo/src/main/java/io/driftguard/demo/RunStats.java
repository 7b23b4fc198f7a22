package io.driftguard.demo;

import io.driftguard.avro.Arm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Everything the console and the report show, recorded as it happens: what the demo published and what it read back
 * (read_committed) from the output topics. Times are wall-clock milliseconds since the live phase started; latencies
 * are measured between the demo's own send and receive, both on this JVM's clock. Thread-safe (one lock: the producer,
 * the monitor and the console touch it a few hundred times a second at most).
 */
final class RunStats {
  /** A published event. */
  record Published(long wallMs, long eventTimeMs, boolean live, boolean onlineOrMobile, boolean deviceMissing,
      String channel, String country) {
  }

  /** A drift statistic of one closed window, as drift-monitor's {@code /metrics} showed it at {@code wallMs}. */
  record DriftPoint(long wallMs, String version, String arm, String feature, String statistic, double value) {
  }

  /** A model-control command as read back from the topic. */
  record Control(long wallMs, String action, String version, Double canaryPercent, String reason, String issuedBy) {
  }

  /** An alert as read back from the topic. */
  record AlertSeen(long wallMs, String monitor, String subject, String statistic, Double value, Double threshold,
      String severity, String status, String message, Long windowEndMs, String arm) {
  }

  /** One wall-clock second of the live phase. */
  static final class Second {
    long events;
    long labels;
    long onlineOrMobile;
    long deviceMissing;
    long predictions;
    long deadLetters;
    final Map<String, Long> byVersionArm = new TreeMap<>();
    final Histogram scoringMicros = histogram();
    final Histogram endToEndMs = histogram();
    long labelledSoFar;
    long eventsSoFar;
  }

  private volatile long startMillis;
  private final Map<String, Published> published = new HashMap<>();
  private final Map<String, Integer> labels = new HashMap<>();
  private final Map<String, String> servedVersion = new HashMap<>();
  private final Map<String, Double> servedScore = new HashMap<>();
  private final Map<String, io.driftguard.avro.Decision> servedDecision = new HashMap<>();
  private final List<DriftPoint> driftPoints = new ArrayList<>();
  private long featuresLate;
  private final Map<String, Double> lastDriftValue = new HashMap<>();
  private final Map<String, Long> predictionsByVersionArm = new TreeMap<>();
  private final List<Second> seconds = new ArrayList<>();
  private final List<Control> controls = new ArrayList<>();
  private final List<AlertSeen> alerts = new ArrayList<>();
  private final java.util.Set<String> deadLettered = new java.util.HashSet<>();
  private final Histogram scoringMicros = histogram();
  private final Histogram endToEndMs = histogram();
  private final Histogram freshnessMs = histogram();
  private long liveEvents;
  private long backfillEvents;
  private long labelsPublished;
  private long labelsForPublished;
  private long deadLetters;
  private long undecodedDeadLetters;
  private long featureVectors;

  RunStats(final long startMillis) {
    this.startMillis = startMillis;
  }

  private static Histogram histogram() {
    return new Histogram(3_600_000_000L, 2);
  }

  long nowMs() {
    return System.currentTimeMillis() - startMillis;
  }

  private Second second(final long wallMs) {
    final int index = (int) Math.max(0, wallMs / 1000);
    while (seconds.size() <= index) {
      final Second s = new Second();
      s.eventsSoFar = liveEvents + backfillEvents;
      s.labelledSoFar = labelsForPublished;
      seconds.add(s);
    }
    return seconds.get(index);
  }

  synchronized void eventPublished(final String eventId, final long eventTimeMs, final boolean live,
      final boolean onlineOrMobile, final boolean deviceMissing, final String channel, final String country) {
    final long now = nowMs();
    published.put(eventId, new Published(System.currentTimeMillis(), eventTimeMs, live, onlineOrMobile,
        deviceMissing, channel, country));
    if (live) {
      liveEvents++;
      final Second s = second(now);
      s.events++;
      s.onlineOrMobile += onlineOrMobile ? 1 : 0;
      s.deviceMissing += deviceMissing ? 1 : 0;
      s.eventsSoFar = liveEvents + backfillEvents;
    } else {
      backfillEvents++;
    }
  }

  synchronized void labelPublished(final String eventId, final int label) {
    labelsPublished++;
    if (published.containsKey(eventId)) {
      labels.put(eventId, label);
      labelsForPublished++;
    }
    final Second s = second(nowMs());
    s.labels++;
    s.labelledSoFar = labelsForPublished;
  }

  synchronized void predictionRead(final String eventId, final String version, final Arm arm, final Double score,
      final io.driftguard.avro.Decision decision, final boolean featuresLate, final long scoringLatencyMicros) {
    final long now = nowMs();
    final String key = version + "/" + arm;
    predictionsByVersionArm.merge(key, 1L, Long::sum);
    final Second s = second(now);
    s.byVersionArm.merge(key, 1L, Long::sum);
    if (arm == Arm.SHADOW) {
      return;
    }
    s.predictions++;
    scoringMicros.recordValue(Math.max(0, scoringLatencyMicros));
    s.scoringMicros.recordValue(Math.max(0, scoringLatencyMicros));
    final Published p = published.get(eventId);
    if (p != null && p.live()) {
      final long e2e = Math.max(0, System.currentTimeMillis() - p.wallMs());
      endToEndMs.recordValue(e2e);
      s.endToEndMs.recordValue(e2e);
    }
    servedVersion.put(eventId, version);
    servedDecision.put(eventId, decision);
    if (featuresLate) {
      this.featuresLate++;
    }
    if (score != null) {
      servedScore.put(eventId, score);
    }
  }

  synchronized void featureVectorRead(final String eventId) {
    featureVectors++;
    final Published p = eventId == null ? null : published.get(eventId);
    if (p != null && p.live()) {
      freshnessMs.recordValue(Math.max(0, System.currentTimeMillis() - p.wallMs()));
    }
  }

  synchronized void deadLetterRead(final String eventIdOrNull) {
    deadLetters++;
    second(nowMs()).deadLetters++;
    if (eventIdOrNull == null) {
      undecodedDeadLetters++;
    } else {
      deadLettered.add(eventIdOrNull);
    }
  }

  synchronized void controlRead(final Control c) {
    controls.add(c);
  }

  synchronized void alertRead(final AlertSeen a) {
    alerts.add(a);
  }

  /**
   * A drift statistic scraped from drift-monitor's gauge (the last closed window's value); kept only when it differs
   * from the previous scrape of the same series, so each point is one window.
   */
  synchronized void driftStatistic(final String version, final String arm, final String feature,
      final String statistic, final double value) {
    final String key = version + "/" + arm + "/" + feature + "/" + statistic;
    final Double last = lastDriftValue.put(key, value);
    if (last == null || Double.compare(last, value) != 0) {
      driftPoints.add(new DriftPoint(nowMs(), version, arm, feature, statistic, value));
    }
  }

  /** Champion/canary predictions scored before their features arrived (scoring-stream's FEATURES_LATE). */
  synchronized long featuresLate() {
    return featuresLate;
  }

  synchronized List<DriftPoint> driftPoints() {
    return List.copyOf(driftPoints);
  }

  synchronized Map<String, io.driftguard.avro.Decision> servedDecision() {
    return new HashMap<>(servedDecision);
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  /** A consistent copy of the figures the console prints. */
  record Snapshot(long wallMs, long liveEvents, long backfillEvents, long eventsLastSecond, long labelsPublished,
      long labelsForPublished, long deadLetters, Map<String, Long> byVersionArm, double scoringP99Ms,
      double endToEndP99Ms, double freshnessP99Ms, List<Control> controls, List<AlertSeen> alerts,
      long featureVectors) {
    double labelCoverage() {
      final long events = liveEvents + backfillEvents;
      return events == 0 ? 0 : (double) labelsForPublished / events;
    }
  }

  synchronized Snapshot snapshot() {
    final long now = nowMs();
    final int last = (int) (now / 1000) - 1;
    final long lastSecond = last >= 0 && last < seconds.size() ? seconds.get(last).events : 0;
    return new Snapshot(now, liveEvents, backfillEvents, lastSecond, labelsPublished, labelsForPublished,
        deadLetters, new LinkedHashMap<>(predictionsByVersionArm), percentile(scoringMicros, 99) / 1000.0,
        percentile(endToEndMs, 99), percentile(freshnessMs, 99), List.copyOf(controls), List.copyOf(alerts),
        featureVectors);
  }

  static double percentile(final Histogram h, final double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
  }

  synchronized List<Second> seconds() {
    return List.copyOf(seconds);
  }

  synchronized Map<String, Published> published() {
    return Map.copyOf(published);
  }

  synchronized java.util.Set<String> deadLettered() {
    return java.util.Set.copyOf(deadLettered);
  }

  synchronized long undecodedDeadLetters() {
    return undecodedDeadLetters;
  }

  synchronized Map<String, Integer> labels() {
    return Map.copyOf(labels);
  }

  synchronized Map<String, String> servedVersion() {
    return Map.copyOf(servedVersion);
  }

  synchronized Map<String, Double> servedScore() {
    return Map.copyOf(servedScore);
  }

  /** Percentiles (ms) over the whole run: scoring (in the scorer), event→prediction and event→features (visible). */
  synchronized Map<String, Map<String, Double>> latencyPercentiles() {
    final Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    m.put("scoringMs", percentiles(scoringMicros, 1000.0));
    m.put("eventToPredictionMs", percentiles(endToEndMs, 1.0));
    m.put("eventToFeaturesMs", percentiles(freshnessMs, 1.0));
    return m;
  }

  private static Map<String, Double> percentiles(final Histogram h, final double divisor) {
    final Map<String, Double> m = new LinkedHashMap<>();
    m.put("count", (double) h.getTotalCount());
    for (final double p : new double[] {50, 95, 99, 99.9}) {
      final double v = percentile(h, p);
      m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)),
          Double.isNaN(v) ? null : v / divisor);
    }
    m.put("max", h.getTotalCount() == 0 ? null : h.getMaxValue() / divisor);
    return m;
  }

  synchronized long liveEvents() {
    return liveEvents;
  }

  synchronized long backfillEvents() {
    return backfillEvents;
  }

  synchronized long labelsPublished() {
    return labelsPublished;
  }

  synchronized long labelsForPublished() {
    return labelsForPublished;
  }

  synchronized long deadLetters() {
    return deadLetters;
  }

  synchronized Map<String, Long> predictionsByVersionArm() {
    return new LinkedHashMap<>(predictionsByVersionArm);
  }

  synchronized List<Control> controls() {
    return List.copyOf(controls);
  }

  synchronized List<AlertSeen> alerts() {
    return List.copyOf(alerts);
  }

  /** Events published that have neither a champion/canary prediction read back nor a dead letter. */
  synchronized long unaccounted() {
    long n = 0;
    for (final String id : published.keySet()) {
      if (!servedVersion.containsKey(id) && !deadLettered.contains(id)) {
        n++;
      }
    }
    return n;
  }

  /** Moves time zero to the start of the live phase (backfill and start-up come before it). */
  synchronized void liveStarted(final long millis) {
    startMillis = millis;
    seconds.clear();
  }

  long startMillis() {
    return startMillis;
  }
}
