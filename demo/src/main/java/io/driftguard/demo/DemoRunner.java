package io.driftguard.demo;

import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Transaction;
import io.driftguard.drift.DriftApp;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.stats.Statistic;
import io.driftguard.drift.stats.Threshold;
import io.driftguard.drift.topology.ModelReference;
import io.driftguard.drift.topology.ModelReferences;
import io.driftguard.model.registry.ModelRegistry;
import io.driftguard.embedded.EmbeddedStack;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.KafkaSettings;
import io.driftguard.platform.config.MetricsSettings;
import io.driftguard.platform.config.SchemaRegistrySettings;
import io.driftguard.platform.config.StreamsSettings;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.platform.topics.TopicCatalogue;
import io.driftguard.platform.topics.TopicDefinition;
import io.driftguard.platform.topics.TopicProvisioner;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.scoring.ScoringApp;
import io.driftguard.scoring.ScoringConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code driftguard demo}: the whole platform in one process. Starts the embedded broker and registry, provisions
 * topics and schemas, trains and registers v1 (and a biased candidate) through the CLI's {@code TrainingPipeline}
 * when the registry has no champion, starts feature-stream, scoring-stream and drift-monitor (each its own
 * KafkaStreams instance and metrics port, as in production), publishes a backfill then the live generator on a fast
 * scenario clock with delayed labels, shows a live console view, and at the end (or on {@link #requestStop()}) stops
 * everything in order and writes {@code index.html} and {@code summary.json}.
 *
 * <p>What the report cannot show yet is listed as missing in the console and the report, never simulated: see
 * {@link #NOT_AVAILABLE}.
 */
public final class DemoRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);
  static final int PARTITIONS = 2;
  /** The demo's rollback policy: see the file for the rules and why. */
  static final String POLICY_RESOURCE = "demo/rollback-policy.yaml";
  /**
   * The calibration's bootstrap window size: the fewest present values a graded window holds in the demo, not the
   * typical champion window (about 450-600 predictions in 6 hours). drift-monitor calibrates every feature at this
   * size whatever its null rate, and grades canary windows too: the 25% canary has about 150 predictions a window,
   * and {@code txn_count_1h} (71% missing: most cards paid more than an hour ago) about 130-175 present values.
   * Thresholds calibrated for 450 flagged those smaller windows' sampling noise as drift (a false alarm on
   * {@code txn_count_1h} before the onset); at 150 they hold for every graded window, and the drift the demo
   * injects is still 10-50 times over them.
   */
  static final int CALIBRATION_WINDOW = 150;
  /** Lower than the platform default (1 s): the demo shows event->prediction latency, EOS commits bound it. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_QUIET = Duration.ofSeconds(15);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  /** What this build of the demo cannot show yet, and why; printed at start and listed in the report. */
  static final List<String> NOT_AVAILABLE = List.of();

  private final DemoOptions options;
  private final PrintStream out;
  private final boolean tty;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean stoppedEarly;
  /** The model the demo trains and serves (set once training is configured). */
  private volatile String modelName;

  /** A runner printing to {@code out}; the console view redraws in place when {@code tty} is true. */
  public DemoRunner(final DemoOptions options, final PrintStream out, final boolean tty) {
    this.options = java.util.Objects.requireNonNull(options, "options");
    this.out = java.util.Objects.requireNonNull(out, "out");
    this.tty = tty;
  }

  /** Asks a running demo to stop: the live phase ends, then everything shuts down in order and the report is written. */
  public void requestStop() {
    stoppedEarly = true;
    stop.countDown();
  }

  /**
   * Runs the demo to the end of its duration (or {@link #requestStop()}, or forever with keepRunning until stopped).
   *
   * @throws DemoUsageException when a requested port is in use (naming it)
   * @throws IOException when the report or registry cannot be written
   */
  public DemoResult run() throws IOException, InterruptedException {
    checkPorts();
    if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
      // drift-monitor's KLL sketches (datasketches-memory 4 on Java 17) cannot be stored without it; fail before
      // starting anything rather than dead-letter every drift window.
      throw new IllegalStateException("the demo JVM needs the option '--add-modules jdk.incubator.foreign' "
          + "(drift-monitor's sketches use it on Java 17)");
    }
    final Path reportDir = Files.createDirectories(options.reportDir());
    final Path workDir = Files.createTempDirectory("driftguard-demo-");
    final Instant wallStart = Instant.now();
    final PipelineConfig baseConfig = DemoTraining.loadConfig();
    final DemoPlan timing = DemoPlan.create(options, baseConfig.generator(), wallStart, null);
    final PipelineConfig config = DemoTraining.asOf(baseConfig.withGenerator(timing.generator()), timing.liveStart(),
        PARTITIONS);
    final TopicSettings topics = new TopicSettings(null, null, null, null, null, null, null, null, PARTITIONS,
        (short) 1);
    out.printf(Locale.ROOT, "driftguard demo: scenario %s, %s at %.0f events/s; scenario clock x%.0f covers %s of "
            + "event time%n", options.scenario(), options.duration(), options.rate(), options.clockSpeed(),
        options.eventSpan());
    NOT_AVAILABLE.forEach(n -> out.println("  NOT YET AVAILABLE: " + n));
    final Map<String, Object> summary = new LinkedHashMap<>();
    try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(options.dataDir(),
        options.brokerPort(), options.registryPort()));
        SchemaRegistryClient registry = stack.registryClient()) {
      out.printf("Kafka %s, schema registry %s, data dir %s%n", stack.bootstrapServers(), stack.schemaRegistryUrl(),
          options.dataDir() == null ? "temporary" : options.dataDir());
      final List<TopicDefinition> definitions = TopicCatalogue.of(topics);
      try (Admin admin = stack.admin()) {
        final TopicProvisioner.Report report = TopicProvisioner.ensure(admin, definitions, Duration.ofSeconds(60));
        out.printf("Topics created %s, existing %s%n", report.created(), report.existing());
      }
      out.printf("Schemas registered %s%n", TopicProvisioner.registerSchemas(registry, definitions));

      // One pass over the generator: history (training), backfill, and the first live record onwards.
      final List<Transaction> historyEvents = new ArrayList<>();
      final List<io.driftguard.avro.Label> historyLabels = new ArrayList<>();
      final List<TimedRecord> backfill = new ArrayList<>();
      // The generator starts every card with no past, so in the first day of history the 24h windows are still
      // filling. Those events are replayed (they warm the windows) but their labels are withheld, so with
      // `unlabelled: drop` they are no training rows: the reference profile then describes warm windows, as served
      // after the backfill. Training on them put cold-start vectors in the reference, which drift-monitor then
      // (rightly) flagged as drift on the warm, stationary live phase.
      final Instant warmupEnd = timing.generator().start().plus(featureWarmup(config.featureSet()));
      final java.util.Set<String> warmupEvents = new java.util.HashSet<>();
      long warmupLabels = 0;
      final Stream<TimedRecord> timeline = SyntheticDataGenerator.create(config.generator()).timeline();
      final Iterator<TimedRecord> it = timeline.iterator();
      TimedRecord first = null;
      while (it.hasNext()) {
        final TimedRecord r = it.next();
        if (!r.timestamp().isBefore(timing.liveStart())) {
          first = r;
          break;
        }
        if (r.value() instanceof Transaction t) {
          historyEvents.add(t);
          if (t.getEventTime().isBefore(warmupEnd)) {
            warmupEvents.add(t.getEventId());
          }
        } else if (warmupEvents.contains(((io.driftguard.avro.Label) r.value()).getEventId())) {
          warmupLabels++;
        } else {
          historyLabels.add((io.driftguard.avro.Label) r.value());
        }
        if (!r.timestamp().isBefore(timing.backfillStart())) {
          backfill.add(r);
        }
      }

      out.printf("Feature warm-up: the first %s of history (%d events) fill the windows; their %d labels are "
          + "withheld, so they are no training rows%n", featureWarmup(config.featureSet()), warmupEvents.size(),
          warmupLabels);
      summary.put("featureWarmup", Map.of("duration", featureWarmup(config.featureSet()).toString(),
          "events", warmupEvents.size(), "labelsWithheld", warmupLabels));
      final DemoTraining training = new DemoTraining(config, options.registryDir(), reportDir.resolve("training"),
          out);
      modelName = training.modelName();
      final List<DemoTraining.Outcome> outcomes = new ArrayList<>();
      final DataSource.History history = new DataSource.History(historyEvents, historyLabels);
      final var champion = training.champion();
      if (champion.isPresent()) {
        out.printf("Registry %s already has champion %s %s: not retrained%n", options.registryDir(),
            training.modelName(), champion.get());
        outcomes.add(new DemoTraining.Outcome(champion.get(), "champion", false, true, null, null,
            "existing champion in " + options.registryDir() + "; gate verdicts are in its registry history",
            Map.of(), null));
      } else {
        outcomes.add(training.trainChampion(history));
      }
      String candidate = null;
      if (options.scenario() == DemoScenario.DRIFT_AND_ROLLBACK) {
        try {
          final DemoTraining.Outcome c = training.trainCandidate(history);
          outcomes.add(c);
          candidate = c.version();
        } catch (IllegalStateException | IllegalArgumentException e) {
          out.println("Candidate could not be trained, the rollout is skipped: " + e.getMessage());
          outcomes.add(new DemoTraining.Outcome(null, "candidate", false, false, null, null,
              "not trained: " + e.getMessage(), Map.of(), null));
        }
      }
      final DemoPlan plan = DemoPlan.create(options, baseConfig.generator(), wallStart, candidate);
      summary.put("training", outcomes.stream().map(DemoTraining.Outcome::toJson).toList());

      final FeatureSet featureSet = config.featureSet();
      final RunStats stats = new RunStats(System.currentTimeMillis());
      try (LiveFeed feed = new LiveFeed(stack.bootstrapServers(), registry, topics, stats)) {
        final StreamsApp features = FeatureApp.create(appConfig(stack, topics, workDir, "driftguard-demo-features",
            options.featuresPort()), featureSet);
        ScoringApp scoring = null;
        StreamsApp drift = null;
        RunMonitor monitor = null;
        DriftScraper scraper = null;
        ScheduledExecutorService ticker = null;
        try {
          scoring = ScoringApp.create(appConfig(stack, topics, workDir, "driftguard-demo-scoring",
              options.scoringPort()), ScoringConfig.of(training.modelName(), options.registryDir()), featureSet);
          features.start();
          scoring.start();
          awaitRunning(features.streams(), "feature-stream");
          awaitRunning(scoring.streamsApp().streams(), "scoring-stream");
          monitor = new RunMonitor(stack.bootstrapServers(), registry, topics, stats);
          monitor.start();
          out.printf("Backfill: %d records of the last %s of history%n", backfill.size(), DemoPlan.BACKFILL);
          for (final TimedRecord r : backfill) {
            feed.publish(r, false);
          }
          feed.flush();
          drain(stats);
          // drift-monitor watches the live phase only: backfill predictions come from cards whose windows are
          // still filling, a cold start the reference profile (trained on full histories) rightly calls drift.
          final String rollbackToken = UUID.randomUUID().toString();
          drift = DriftApp.create(driftConfig(stack, topics, workDir),
              driftMonitorConfig(workDir, options.registryDir(), rollbackToken));
          drift.start();
          awaitRunning(drift.streams(), "drift-monitor");
          final int fp = features.server().port();
          final int sp = scoring.streamsApp().server().port();
          out.printf("feature-stream  http://127.0.0.1:%d/metrics   GET http://127.0.0.1:%d/features/{cardId}%n", fp,
              fp);
          out.printf("scoring-stream  http://127.0.0.1:%d/metrics   POST http://127.0.0.1:%d/score%n", sp, sp);
          final int dp = drift.server().port();
          scraper = new DriftScraper(dp, stats);
          scraper.start();
          out.printf("drift-monitor   http://127.0.0.1:%d/metrics   POST http://127.0.0.1:%d/rollback "
              + "(Authorization: Bearer %s)   window %s event time%n", dp, dp, rollbackToken, driftWindow());
          summary.put("endpoints", Map.of("featureStreamMetrics", "http://127.0.0.1:" + fp + "/metrics",
              "features", "http://127.0.0.1:" + fp + "/features/{cardId}",
              "scoringStreamMetrics", "http://127.0.0.1:" + sp + "/metrics",
              "score", "http://127.0.0.1:" + sp + "/score",
              "driftMonitorMetrics", "http://127.0.0.1:" + dp + "/metrics",
              "rollback", "http://127.0.0.1:" + dp + "/rollback"));

          final ConsoleView console = new ConsoleView(out, tty, plan, options.duration().toMillis(), null);
          final String[] phase = {"live"};
          ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "demo-console");
            t.setDaemon(true);
            return t;
          });
          ticker.scheduleAtFixedRate(() -> {
            try {
              console.render(stats.snapshot(), phase[0]);
            } catch (RuntimeException e) {
              LOG.warn("console refresh failed: {}", e.toString());
            }
          }, 1, 1, TimeUnit.SECONDS);

          runLive(plan, first, it, feed, training.modelName(), stats);
          timeline.close();
          feed.flush();
          if (options.keepRunning() && !stoppedEarly) {
            phase[0] = "kept running (Ctrl-C stops)";
            out.println("Live phase over; apps keep running until Ctrl-C.");
            stop.await();
          }
          phase[0] = "draining";
          drain(stats);
          scraper.close();
          try {
            scraper.scrape();
          } catch (IOException e) {
            LOG.warn("last scrape of drift-monitor's /metrics failed: {}", e.toString());
          }
          ticker.shutdownNow();
          console.render(stats.snapshot(), "final");
        } finally {
          if (ticker != null) {
            ticker.shutdownNow();
          }
          if (scraper != null) {
            scraper.close();
          }
          out.println("Stopping: drift-monitor, scoring-stream, feature-stream, monitor...");
          if (drift != null) {
            drift.close();
          }
          if (scoring != null) {
            scoring.close();
          }
          features.close();
          if (monitor != null) {
            monitor.close();
          }
        }
        summary.put("sendFailures", feed.sendFailures());
        return report(reportDir, stack, registry, topics, plan, stats, summary);
      }
    } finally {
      deleteQuietly(workDir);
    }
  }

  private void runLive(final DemoPlan plan, final TimedRecord first, final Iterator<TimedRecord> rest,
      final LiveFeed feed, final String modelName, final RunStats stats) throws InterruptedException {
    final long startNanos = System.nanoTime();
    stats.liveStarted(System.currentTimeMillis());
    int nextCommand = 0;
    TimedRecord r = first;
    while (r != null && r.timestamp().isBefore(plan.liveEnd())) {
      while (nextCommand < plan.commands().size()
          && !r.timestamp().isBefore(plan.at(plan.commands().get(nextCommand).atFraction()))) {
        final DemoPlan.PlannedCommand c = plan.commands().get(nextCommand++);
        feed.command(ModelCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setModelName(modelName)
            .setAction(c.action()).setVersion(c.version()).setCanaryPercent(c.canaryPercent()).setReason(c.reason())
            .setIssuedBy(DemoPlan.OPERATOR).setIssuedAt(Instant.now()).build());
      }
      if (!LiveFeed.waitUntil(startNanos, plan.wallOffsetMs(r.timestamp()), stop)) {
        return;
      }
      feed.publish(r, true);
      r = rest.hasNext() ? rest.next() : null;
    }
    // The live phase is paced on event time; wait out the wall clock to the configured duration.
    LiveFeed.waitUntil(startNanos, options.duration().toMillis(), stop);
  }

  /** Waits until every published event is accounted for (prediction or dead letter), or progress stops. */
  private void drain(final RunStats stats) throws InterruptedException {
    final long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long last = stats.unaccounted();
    long lastChange = System.nanoTime();
    while (last > 0 && System.nanoTime() < deadline && System.nanoTime() - lastChange < DRAIN_QUIET.toNanos()) {
      if (stop.await(250, TimeUnit.MILLISECONDS) && stoppedEarly && System.nanoTime() - lastChange > 2_000_000_000L) {
        break;
      }
      final long now = stats.unaccounted();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      }
    }
    if (last > 0) {
      out.printf("%d published events have no prediction read back yet; the exactly-once check will say so%n", last);
    }
  }

  private DemoResult report(final Path reportDir, final EmbeddedStack stack, final SchemaRegistryClient registry,
      final TopicSettings topics, final DemoPlan plan, final RunStats stats, final Map<String, Object> partial)
      throws IOException {
    final Map<String, RunStats.Published> published = stats.published();
    final ExactlyOnceCheck.Result eos = ExactlyOnceCheck.run(stack.bootstrapServers(), registry,
        topics.predictions(), published.keySet(), stats.deadLettered(), Duration.ofSeconds(60));
    final List<RunStats.Control> controls = stats.controls();
    // The policy rolls a canary back with CLEAR and a champion with ROLLBACK; either is "the rollback".
    final RunStats.Control rollback = controls.stream()
        .filter(c -> "ROLLBACK".equals(c.action()) || "CLEAR".equals(c.action())).findFirst().orElse(null);
    final Long onsetWallMs = plan.onset() == null ? null : plan.wallOffsetMs(plan.onset());
    final List<RunStats.AlertSeen> firing = stats.alerts().stream()
        .filter(a -> "FIRING".equals(a.status()) && DRIFT_MONITORS.contains(a.monitor()))
        .sorted(Comparator.comparingLong(RunStats.AlertSeen::wallMs)).toList();

    final Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", options.scenario().cliName());
    s.put("stoppedEarly", stoppedEarly);
    s.put("options", Map.of("durationSeconds", options.duration().toSeconds(), "rate", options.rate(),
        "clockSpeed", options.clockSpeed(), "eventSpanHours", options.eventSpan().toMinutes() / 60.0,
        "keepRunning", options.keepRunning()));
    s.put("eventTime", Map.of("liveStart", plan.liveStart().toString(), "liveEnd", plan.liveEnd().toString(),
        "backfillStart", plan.backfillStart().toString()));
    final Map<String, Object> events = new LinkedHashMap<>();
    events.put("live", stats.liveEvents());
    events.put("backfill", stats.backfillEvents());
    events.put("total", stats.liveEvents() + stats.backfillEvents());
    events.put("labelsPublished", stats.labelsPublished());
    events.put("labelsForPublishedEvents", stats.labelsForPublished());
    events.put("labelCoverage", published.isEmpty() ? 0.0 : (double) stats.labelsForPublished() / published.size());
    events.put("sendFailures", partial.get("sendFailures"));
    s.put("events", events);
    s.put("predictionsPerVersion", stats.predictionsByVersionArm());
    // Scored before their features arrived (after scoring-stream's 1 s wait, about an hour of event time on the
    // scenario clock): served vectors older than training's, a skew the drift charts may show on a busy machine.
    s.put("featuresLate", stats.featuresLate());
    s.put("deadLetters", Map.of("count", stats.deadLetters(), "events", eos.deadLettered(),
        "undecodable", stats.undecodedDeadLetters()));
    final Map<String, Object> drift = new LinkedHashMap<>();
    drift.put("monitors", DRIFT_MONITORS);
    drift.put("windowEventTime", driftWindow().toString());
    drift.put("onsetEventTime", plan.onset() == null ? null : plan.onset().toString());
    drift.put("onsetWallSeconds", onsetWallMs == null ? null : onsetWallMs / 1000.0);
    drift.put("detectionWallSeconds", firing.isEmpty() ? null : firing.get(0).wallMs() / 1000.0);
    // Before or after the onset by the event time of the window an alert grades, not by when it was raised: on a
    // busy machine the apps lag the feed, and an alert on a stationary window can be raised after the onset's
    // wall-clock time. A window that ends at or before the onset holds no drifted event.
    // The headline is the champion arm: it serves every card but the canary's, so it is the population the
    // reference profile describes. The canary arm is a sticky 25% of cards, whose card-level traits (channel mix,
    // online share) differ from the population whatever the time: its alerts are counted apart (see docs/demo.md).
    final long onsetEventMs = plan.onset() == null ? Long.MAX_VALUE : plan.onset().toEpochMilli();
    final List<RunStats.AlertSeen> championFiring = firing.stream().filter(a -> "CHAMPION".equals(a.arm()))
        .toList();
    final List<RunStats.AlertSeen> beforeOnset = championFiring.stream()
        .filter(a -> a.windowEndMs() != null && a.windowEndMs() <= onsetEventMs).toList();
    drift.put("detectedAfterOnset", championFiring.isEmpty() || plan.onset() == null ? null
        : championFiring.get(0).windowEndMs() != null && championFiring.get(0).windowEndMs() > onsetEventMs);
    drift.put("alertsBeforeOnset", beforeOnset.size());
    drift.put("championDetectionWallSeconds", championFiring.isEmpty() ? null
        : championFiring.get(0).wallMs() / 1000.0);
    drift.put("canaryAlertsBeforeOnset", firing.stream().filter(a -> "CANARY".equals(a.arm()))
        .filter(a -> a.windowEndMs() != null && a.windowEndMs() <= onsetEventMs).count());
    drift.put("alertsRaisedBeforeOnsetWallTime", onsetWallMs == null ? firing.size()
        : firing.stream().filter(a -> a.wallMs() < onsetWallMs).count());
    drift.put("firstAlertBeforeOnset", beforeOnset.isEmpty() ? null : beforeOnset.get(0));
    drift.put("alertsFiring", firing.size());
    drift.put("firstAlert", firing.isEmpty() ? null : firing.get(0));
    drift.put("alerts", stats.alerts());
    s.put("drift", drift);
    final Map<String, Object> rb = new LinkedHashMap<>();
    rb.put("happened", rollback != null);
    rb.put("wallSeconds", rollback == null ? null : rollback.wallMs() / 1000.0);
    rb.put("issuedBy", rollback == null ? null : rollback.issuedBy());
    rb.put("reason", rollback == null ? null : rollback.reason());
    rb.put("action", rollback == null ? null : rollback.action());
    // A rollback before the onset was caused by a false alarm; the report says so rather than hiding it.
    rb.put("afterOnset", rollback == null || onsetWallMs == null ? null : rollback.wallMs() >= onsetWallMs);
    s.put("rollback", rb);
    s.put("modelControl", controls);
    s.put("latencyPercentiles", stats.latencyPercentiles());
    s.put("exactlyOnce", eos.toJson());
    s.put("featureWarmup", partial.get("featureWarmup"));
    s.put("training", partial.get("training"));
    s.put("gateVerdictsRecorded", ((List<?>) partial.get("training")).stream()
        .anyMatch(o -> ((Map<?, ?>) o).containsKey("gates")));
    s.put("endpoints", partial.get("endpoints"));
    s.put("notAvailable", NOT_AVAILABLE);
    final List<SliceErrors.Row> slices = SliceErrors.compute(stats.published(), stats.servedDecision(),
        stats.labels(), plan.onset() == null ? null : plan.onset().toEpochMilli());
    s.put("errorsBySlice", slices.stream().map(SliceErrors.Row::toJson).toList());
    final List<RunStats.DriftPoint> driftPoints = stats.driftPoints();
    // The version most PSI windows were graded for on the champion arm (a fallback rule has no reference, no PSI).
    final String champion = driftPoints.stream()
        .filter(p -> "CHAMPION".equals(p.arm()) && RunReport.DRIFT_STATISTIC.equals(p.statistic()))
        .collect(java.util.stream.Collectors.groupingBy(RunStats.DriftPoint::version,
            java.util.stream.Collectors.counting()))
        .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    final Map<String, Threshold> psiThresholds = psiThresholds(options.registryDir(), modelName, champion);
    drift.put("windowsScraped", driftPoints.size());
    drift.put("psiThresholds", psiThresholds.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        Map.Entry::getKey, e -> e.getValue().warning(), (a, b) -> a, java.util.TreeMap::new)));

    final Path summaryJson = RunReport.writeSummary(reportDir, s);
    final List<RunReport.Chart> charts = RunReport.writeCharts(reportDir, stats, plan,
        rollback == null ? null : rollback.wallMs());
    final List<RunReport.Chart> driftCharts = RunReport.writeDriftCharts(reportDir, driftPoints, psiThresholds,
        plan, rollback == null ? null : rollback.wallMs());
    final String driftCaption = "PSI of every closed " + driftWindow() + " event-time window, per feature, as "
        + "drift-monitor computed it (scraped from its /metrics), per served version and arm. The horizontal line is "
        + "the champion " + champion + "'s warning threshold, calibrated on its reference bins for windows of "
        + CALIBRATION_WINDOW + " predictions (drift-monitor's CALIBRATED mode has one level: no critical line); an "
        + "alert fires after " + 2 + " consecutive breaching windows. Red: drift onset; magenta: the rollback.";
    final Path html = RunReport.writeHtml(reportDir, s, charts, driftCharts, driftCaption, controls, NOT_AVAILABLE,
        ledger(plan, stats), SliceErrors.html(slices));
    out.printf("Exactly-once check: %s (%d valid events, %d missing, %d duplicated)%n",
        eos.passed() ? "PASSED" : "FAILED", eos.validEvents(), eos.missing(), eos.duplicated());
    out.println("Report:  " + html.toAbsolutePath());
    out.println("Summary: " + summaryJson.toAbsolutePath());
    return new DemoResult(summaryJson, html, stoppedEarly, eos.passed());
  }

  private String ledger(final DemoPlan plan, final RunStats stats) {
    final StringBuilder b = new StringBuilder();
    b.append("What changed: ").append(plan.onset() == null ? "nothing was injected (steady)"
        : options.scenario() + " from event time " + plan.onset()).append('\n');
    if (plan.onset() != null) {
      final Map<String, RunStats.Published> published = stats.published();
      final Map<String, Double> scores = stats.servedScore();
      final Map<String, Integer> labels = stats.labels();
      final double[] before = new double[4];
      final double[] after = new double[4];
      scores.forEach((id, score) -> {
        final RunStats.Published p = published.get(id);
        if (p == null || !p.live()) {
          return;
        }
        final double[] acc = p.eventTimeMs() < plan.onset().toEpochMilli() ? before : after;
        acc[0] += score;
        acc[1]++;
        final Integer label = labels.get(id);
        if (label != null) {
          acc[2] += label;
          acc[3]++;
        }
      });
      b.append(String.format(Locale.ROOT, "Metric movement: mean score %s -> %s; realized fraud rate (labelled) %s "
              + "-> %s (%d -> %d labels)%n", ratio(before[0], before[1]), ratio(after[0], after[1]),
          ratio(before[2], before[3]), ratio(after[2], after[3]), (long) before[3], (long) after[3]));
    }
    b.append("False positives/negatives by slice: the table below (served decisions against delayed labels, live "
        + "phase only)\n");
    final List<RunStats.Control> controls = stats.controls();
    b.append("Decisions taken: ").append(controls.isEmpty() ? "none" : controls.stream()
        .map(c -> c.action() + " " + (c.version() == null ? "" : c.version()) + " by " + c.issuedBy())
        .toList()).append('\n');
    b.append("Next experiment: ").append(switch (options.scenario()) {
      case DRIFT_AND_ROLLBACK -> "compare time-to-rollback with a smaller drift window and with the champion rule on";
      case NULL_SPIKE -> "check the scorer's imputation counters for deviceId-derived inputs during the spike";
      case LABEL_OUTAGE -> "check that label coverage alerts fire and quality monitors abstain during the outage";
      case STEADY -> "compare p99 event->prediction at this rate with a run at twice the rate";
    }).append('\n');
    return b.toString();
  }

  /** Monitors whose FIRING alerts count as drift detection (not label arrival, volume or policy audits). */
  static final List<String> DRIFT_MONITORS = List.of("feature-drift", "prediction-drift", "null-rate");

  /**
   * How long a card's history must be before every windowed feature sees a full window: the longest window of the
   * feature set (24h for the demo's), at least {@link DemoPlan#BACKFILL} so the served vectors are as warm.
   */
  static Duration featureWarmup(final FeatureSet featureSet) {
    final Duration longest = featureSet.features().stream().filter(f -> f.window() != null)
        .map(f -> f.window().size()).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    if (longest.compareTo(DemoPlan.BACKFILL) > 0) {
      // The backfill is what warms the served windows: a longer window would be cold in live but warm in training.
      throw new IllegalStateException("the feature set has a " + longest + " window, longer than the demo's "
          + DemoPlan.BACKFILL + " backfill: served vectors would be colder than the reference profile");
    }
    return DemoPlan.BACKFILL;
  }

  /** About 600 predictions per window at the demo's card count, whatever the rate. */
  static Duration driftWindow() {
    return Duration.ofHours(6);
  }

  private static String ratio(final double sum, final double n) {
    return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.4f", sum / n);
  }

  private DriftguardConfig appConfig(final EmbeddedStack stack, final TopicSettings topics, final Path workDir,
      final String applicationId, final int port) {
    return new DriftguardConfig(applicationId, "demo", new KafkaSettings(stack.bootstrapServers(), Map.of()),
        new SchemaRegistrySettings(stack.schemaRegistryUrl(), null, null),
        new StreamsSettings(workDir.resolve("streams"), null, COMMIT_INTERVAL, null, 1, Duration.ofSeconds(30),
            null),
        topics, new MetricsSettings("127.0.0.1", port));
  }

  /**
   * drift-monitor's {@code drift} section as the demo runs it: windows of {@link #driftWindow()} event time,
   * thresholds CALIBRATED on the reference bins for windows of about the demo's volume (the default absolute
   * thresholds flag sampling noise on windows of a few hundred predictions), hysteresis 2/2, the demo's rollback
   * policy (copied from the jar to the work dir, since drift-monitor reads a file) and a per-run rollback token.
   */
  static DriftMonitorConfig driftMonitorConfig(final Path workDir, final Path registryDir, final String token)
      throws IOException {
    final Path policy = workDir.resolve("rollback-policy.yaml");
    Files.writeString(policy, resource(POLICY_RESOURCE));
    return driftSection(registryDir, policy, token);
  }

  private static DriftMonitorConfig driftSection(final Path registryDir, final Path policy, final String token) {
    return new DriftMonitorConfig(driftWindow(), null, Duration.ofMinutes(1), ModelReference.ThresholdMode.CALIBRATED,
        CALIBRATION_WINDOW, null, null, 100L, 2, 2, null, null, null, null, null, null, null, registryDir, policy,
        token, null);
  }

  static String resource(final String name) throws IOException {
    try (java.io.InputStream in = DemoRunner.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource '" + name + "' missing from the demo jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }


  /** The champion's PSI thresholds per feature as drift-monitor grades them (same calibration, same seed). */
  static Map<String, Threshold> psiThresholds(final Path registryDir, final String model, final String version) {
    if (model == null || version == null) {
      return Map.of();
    }
    final DriftMonitorConfig config = driftSection(registryDir, null, null);
    final java.time.Clock clock = java.time.Clock.systemUTC();
    final ModelReferences references = new ModelReferences(new ModelRegistry(registryDir, clock),
        config.thresholds(), config.calibration(), clock);
    final Map<String, Threshold> out = new java.util.TreeMap<>();
    references.find(model, version).ifPresent(ref -> {
      final List<String> subjects = new ArrayList<>(ref.numeric().keySet());
      subjects.add(ModelReference.SCORE);
      for (final String subject : subjects) {
        out.put(subject, ref.thresholdsFor(subject, references.thresholds()).threshold(Statistic.PSI));
      }
    });
    return out;
  }

  /** drift-monitor's config: its consumers start at the end of the topics (see where it is started). */
  private DriftguardConfig driftConfig(final EmbeddedStack stack, final TopicSettings topics, final Path workDir) {
    final DriftguardConfig base = appConfig(stack, topics, workDir, "driftguard-demo-drift", options.driftPort());
    return new DriftguardConfig(base.applicationId(), base.instanceId(), new KafkaSettings(stack.bootstrapServers(),
        Map.of("main.consumer.auto.offset.reset", "latest")), base.schemaRegistry(), base.streams(), base.topics(),
        base.metrics());
  }

  private void awaitRunning(final KafkaStreams streams, final String name) throws InterruptedException {
    final long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException(name + " did not start: state " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not RUNNING within " + STARTUP_TIMEOUT + ": " + streams.state());
      }
      if (stop.await(100, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  private void checkPorts() {
    final Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--kafka-port", options.brokerPort());
    ports.put("--registry-port", options.registryPort());
    ports.put("--features-port", options.featuresPort());
    ports.put("--scoring-port", options.scoringPort());
    ports.put("--drift-port", options.driftPort());
    ports.forEach((option, port) -> {
      if (port != 0) {
        try (ServerSocket socket = new ServerSocket()) {
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
          throw new DemoUsageException(option + ": port " + port + " is already in use (" + e.getMessage() + ")");
        }
      }
    });
  }

  private static void deleteQuietly(final Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the demo's work dir {}: {}", dir, e.toString());
    }
  }
}
