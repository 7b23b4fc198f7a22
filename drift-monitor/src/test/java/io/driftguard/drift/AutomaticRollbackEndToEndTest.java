package io.driftguard.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelAction;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.avro.Transaction;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.topology.ModelReference;
import io.driftguard.embedded.KafkaStackInfo;
import io.driftguard.embedded.junit.KafkaStackExtension;
import io.driftguard.features.FeatureApp;
import io.driftguard.features.FeatureSet;
import io.driftguard.model.pipeline.DataSource;
import io.driftguard.model.pipeline.PipelineConfig;
import io.driftguard.model.pipeline.PipelineRequest;
import io.driftguard.model.pipeline.PipelineResult;
import io.driftguard.model.pipeline.TrainingPipeline;
import io.driftguard.model.synth.Scenario;
import io.driftguard.model.synth.SynthConfig;
import io.driftguard.model.synth.SyntheticDataGenerator;
import io.driftguard.model.synth.TimedRecord;
import io.driftguard.platform.app.StreamsApp;
import io.driftguard.platform.config.DriftguardConfig;
import io.driftguard.platform.config.KafkaSettings;
import io.driftguard.platform.config.MetricsSettings;
import io.driftguard.platform.config.SchemaRegistrySettings;
import io.driftguard.platform.config.StreamsSettings;
import io.driftguard.platform.config.TopicSettings;
import io.driftguard.schemas.registry.SchemaRegistryClient;
import io.driftguard.schemas.serde.AvroSerdes;
import io.driftguard.scoring.ScoringApp;
import io.driftguard.scoring.ScoringConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic rollback end to end (issue #6) on the embedded broker and registry: feature-stream, scoring-stream and
 * drift-monitor as three apps; v1 trained from the generator's history by the training pipeline and promoted through
 * its gates; a weaker v2 of the same history, registered without passing the gates, pushed to champion by an
 * operator; the generator's AMOUNT_SHIFT scenario from a known onset; drift-monitor's alerts; the rollback policy's
 * ROLLBACK on model-control; the scorer back on v1; every step checked on the audit trail (alerts and model-control)
 * with its window and offsets. Event time runs {@link #CLOCK_SPEED} times faster than the wall clock.
 */
@ExtendWith(KafkaStackExtension.class)
class AutomaticRollbackEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(AutomaticRollbackEndToEndTest.class);
    private static final String P = "rollback-e2e-";
    private static final TopicSettings TOPICS = new TopicSettings(P + "events", P + "labels", P + "features",
            P + "predictions", P + "predictions-shadow", P + "alerts", P + "model-control", P + "dead-letters", 1,
            (short) 1);
    private static final String MODEL = "fraud";
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration HISTORY = Duration.ofDays(7);
    private static final Instant LIVE_START = START.plus(HISTORY);
    /** The live phase: 12 h stationary (three drift windows on v2), then amount drift. */
    private static final Instant ONSET = LIVE_START.plus(Duration.ofHours(12));
    private static final Instant LIVE_END = ONSET.plus(Duration.ofHours(30));
    /** Published before drift-monitor starts, so the 24 h feature windows are warm when it does. */
    private static final Duration BACKFILL = Duration.ofDays(1);
    /** Event-time window of drift-monitor: about 400 predictions at 400 cards x 6 payments a day. */
    private static final Duration WINDOW = Duration.ofHours(4);
    /** 1 s of wall clock = 30 min of event time. */
    private static final double CLOCK_SPEED = 1800;
    private static final int CARDS = 400;
    /** The event's own fields the model reads beside the feature vector (the training set's eventFields). */
    private static final List<String> EVENT_FIELDS = List.of("amount", "channel", "country", "merchantCategory");
    /**
     * The scorer with a model-call bound of 2 s instead of 100 ms: seven builds share two cores here, and a call that
     * times out is served by the fallback rule (version {@link #FALLBACK}), which would blur which model served.
     * {@code maxTaskIdle} 5 s: the scorer waits for feature-stream to reach each event rather than score it with an
     * older vector (FEATURES_LATE), which shifts the count features away from the training profile.
     */
    private static final java.util.function.Function<Path, ScoringConfig> SCORING = registry -> new ScoringConfig(
            MODEL, registry, null, Duration.ofSeconds(2), null, null, null, Duration.ofSeconds(5), null);
    private static final String FALLBACK = ScoringConfig.of(MODEL, Path.of(".")).fallbackRule().name();

    static KafkaStackInfo stack;

    @TempDir
    Path dir;

    @Test
    void shouldRollTheChampionBackToV1WhenAmountDriftFollowsABadPromotion() throws Exception {
        // Given the topics, and the generator's timeline: 7 days of history, then the live phase with AMOUNT_SHIFT
        stack.createTopics(1, TOPICS.events(), TOPICS.labels(), TOPICS.features(), TOPICS.predictions(),
                TOPICS.predictionsShadow(), TOPICS.alerts(), TOPICS.modelControl(), TOPICS.deadLetters());
        final SynthConfig generator = SynthConfig.builder().seed(42).cards(CARDS).start(START)
                .duration(Duration.between(START, LIVE_END)).eventsPerCardDay(6).merchants(300)
                .scenario(Scenario.AMOUNT_SHIFT, ONSET).amountShiftSigmas(2.0).build();
        final List<Transaction> historyEvents = new ArrayList<>();
        final List<Label> historyLabels = new ArrayList<>();
        final List<Transaction> backfill = new ArrayList<>();
        final List<Transaction> live = new ArrayList<>();
        try (Stream<TimedRecord> timeline = SyntheticDataGenerator.create(generator).timeline()) {
            timeline.forEach(r -> {
                final boolean history = r.timestamp().isBefore(LIVE_START);
                if (r.value() instanceof Transaction t) {
                    if (history) {
                        historyEvents.add(t);
                        if (!r.timestamp().isBefore(LIVE_START.minus(BACKFILL))) {
                            backfill.add(t);
                        }
                    } else {
                        live.add(t);
                    }
                } else if (history) {
                    historyLabels.add((Label) r.value());
                }
            });
        }

        // and v1 trained on the history and promoted by its gates; v2, a much weaker model of the same history,
        // registered but not promoted (it fails v1's quality gates)
        final Path registryDir = dir.resolve("models");
        final long trainStart = System.nanoTime();
        final PipelineResult v1 = train("v1", historyEvents, historyLabels, registryDir, true,
                "{maxDepth: 4, eta: 0.2, rounds: 40, seed: 42, nthread: 1}");
        final PipelineResult v2 = train("v2", historyEvents, historyLabels, registryDir, false,
                "{maxDepth: 1, eta: 0.1, rounds: 2, seed: 42, nthread: 1}");
        LOG.info("trained v1 (promoted {}) and v2 (promoted {}) on {} events in {} s", v1.promoted(), v2.promoted(),
                historyEvents.size(), (System.nanoTime() - trainStart) / 1e9);
        assertThat(v1.promoted()).as(v1.gates().report()).isTrue();
        assertThat(v2.promoted()).isFalse();

        final FeatureSet featureSet = FeatureSet.loadResource(FeatureSet.TRANSACTIONS_RESOURCE,
                Transaction.getClassSchema());
        final SchemaRegistryClient schemas = stack.registryClient();
        // The policy acts on critical drift of the inputs the event carries itself. Windowed features are left to
        // alerts here: on this shared machine feature-stream lags the fast clock (most predictions are FEATURES_LATE,
        // scored with an older vector), which skews the count features against the training profile before the
        // onset (txn_count_1h PSI 0.42 was measured); that skew is reported, not a rollback this test is about.
        final Path policyFile = Files.writeString(dir.resolve("rollback-policy.yaml"), """
                cooldown: 1h
                rules:
                  - name: champion-critical-input-drift
                    monitors: [feature-drift, null-rate]
                    subjects: %s
                    minSeverity: CRITICAL
                    minConsecutiveWindows: 2
                    arm: CHAMPION
                """.formatted(EVENT_FIELDS));
        final DriftMonitorConfig driftConfig = new DriftMonitorConfig(WINDOW, null, Duration.ofMinutes(1),
                ModelReference.ThresholdMode.DEFAULT, null, null, null, 100L, 2, 2, null, null, null, null, null, null,
                null, registryDir, policyFile, null, null);

        final Watcher watcher = new Watcher(stack.bootstrapServers(), schemas);
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final AtomicBoolean stopPublishing = new AtomicBoolean();
        final AtomicLong onsetPublishedNanos = new AtomicLong();
        try (KafkaProducer<String, Transaction> events = new KafkaProducer<>(producerProps(),
                new StringSerializer(), AvroSerdes.specific(Transaction.class, schemas, false).serializer());
                KafkaProducer<String, ModelCommand> control = new KafkaProducer<>(producerProps(),
                        new StringSerializer(), AvroSerdes.specific(ModelCommand.class, schemas, false)
                        .serializer());
                StreamsApp features = FeatureApp.create(common("rollback-e2e-features", Map.of()), featureSet);
                ScoringApp scoring = ScoringApp.create(common("rollback-e2e-scoring", Map.of()),
                        SCORING.apply(registryDir), featureSet)) {
            pool.submit(watcher);
            features.start();
            scoring.start();
            awaitRunning(features.streams(), "feature-stream");
            awaitRunning(scoring.streamsApp().streams(), "scoring-stream");

            // and the backfill scored by v1, the registry's champion
            for (final Transaction t : backfill) {
                events.send(record(t));
            }
            events.flush();
            await("backfill predictions").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> watcher.predictions.size() >= backfill.size());
            assertThat(watcher.predictions).allSatisfy(p -> assertThat(p.value().getModelVersion())
                    .isIn("v1", FALLBACK));

            // and drift-monitor watching from here on (the backfill's cold-start windows are not its business)
            try (StreamsApp drift = DriftApp.create(common("rollback-e2e-drift",
                    Map.of("main.consumer.auto.offset.reset", "latest")), driftConfig)) {
                drift.start();
                awaitRunning(drift.streams(), "drift-monitor");

                // When an operator promotes v2 although it failed the gates
                control.send(new ProducerRecord<>(TOPICS.modelControl(), MODEL, ModelCommand.newBuilder()
                        .setCommandId(UUID.randomUUID().toString()).setModelName(MODEL)
                        .setAction(ModelAction.PROMOTE).setVersion("v2").setCanaryPercent(null)
                        .setReason("operator pushes v2 past its failed gates").setIssuedBy("operator")
                        .setIssuedAt(Instant.now()).build())).get();

                // and the live stream runs on the fast clock, amount drift starting at ONSET
                final long liveStartNanos = System.nanoTime();
                final Future<?> publisher = pool.submit(() -> {
                    for (final Transaction t : live) {
                        if (stopPublishing.get()) {
                            return null;
                        }
                        final long dueNanos = liveStartNanos + (long) (Duration.between(LIVE_START,
                                t.getEventTime()).toNanos() / CLOCK_SPEED);
                        final long wait = dueNanos - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        if (!t.getEventTime().isBefore(ONSET)) {
                            onsetPublishedNanos.compareAndSet(0, System.nanoTime());
                        }
                        events.send(record(t));
                    }
                    events.flush();
                    return null;
                });

                // Then the policy writes ROLLBACK on model-control
                await("ROLLBACK on model-control").atMost(Duration.ofSeconds(150))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> watcher.commands.stream()
                                .anyMatch(c -> c.value().getAction() == ModelAction.ROLLBACK));
                final Seen<ModelCommand> rollback = watcher.commands.stream()
                        .filter(c -> c.value().getAction() == ModelAction.ROLLBACK).findFirst().orElseThrow();
                final long rollbackSeenNanos = rollback.seenNanos();

                // and the scorer applies it: its AUDIT names the command's offset and the event offset it took
                // effect at, and champion v1
                await("scorer's ROLLBACK audit").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> scorerAudit(watcher, rollback) != null);
                final Seen<Alert> applied = scorerAudit(watcher, rollback);
                assertThat(applied.value().getAttributes())
                        .containsEntry("effectiveTopic", TOPICS.events())
                        .containsEntry("controlOffset", Long.toString(rollback.offset()))
                        .containsEntry("commandId", rollback.value().getCommandId())
                        .containsEntry("champion", "v1")
                        .containsKey("effectiveOffset");
                final long effectiveOffset = Long.parseLong(applied.value().getAttributes().get("effectiveOffset"));

                // and every prediction from that event offset on carries v1 again
                await("v1 predictions after the rollback").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> watcher.predictions.stream().filter(p -> p.value().getEventTime()
                                .isAfter(eventTimeAtOffset(live, backfill, effectiveOffset))).count() >= 50);
                stopPublishing.set(true);
                publisher.get(30, TimeUnit.SECONDS);
                final Instant effectiveEventTime = eventTimeAtOffset(live, backfill, effectiveOffset);
                final List<Prediction> after = watcher.predictions.stream().map(Seen::value)
                        .filter(p -> !p.getEventTime().isBefore(effectiveEventTime)).toList();
                assertThat(after).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.getModelVersion()).as(p.getEventId()).isIn("v1", FALLBACK));
                assertThat(after.stream().filter(p -> p.getModelVersion().equals("v1")).count())
                        .as("v1 predictions among %d after the rollback", after.size())
                        .isGreaterThanOrEqualTo(after.size() * 9L / 10);
                assertThat(watcher.predictions.stream().map(Seen::value)
                        .filter(p -> p.getEventTime().isBefore(effectiveEventTime)
                                && !p.getEventTime().isBefore(ONSET)))
                        .as("v2 served between the onset and the rollback")
                        .isNotEmpty().allSatisfy(p -> assertThat(p.getModelVersion()).isIn("v2", FALLBACK));

                // and the audit trail links each step: FIRING alert (window, version v2) -> policy AUDIT ->
                // ROLLBACK command -> scorer AUDIT
                final List<Alert> alerts = watcher.alerts.stream().map(Seen::value).toList();
                final List<String> firing = alerts.stream().filter(a -> a.getStatus() == AlertStatus.FIRING)
                        .map(a -> a.getMonitor() + "/" + a.getSubject() + "/" + a.getStatistic() + "@"
                                + a.getModelVersion() + " " + a.getSeverity() + " " + a.getValue() + " vs "
                                + a.getThreshold() + " window " + a.getWindowStart() + ".." + a.getWindowEnd())
                        .toList();
                final long late = watcher.predictions.stream()
                        .filter(p -> p.value().getReasonCodes().contains("FEATURES_LATE")).count();
                LOG.info("FIRING alerts: {}; predictions {} of which FEATURES_LATE {}", firing,
                        watcher.predictions.size(), late);
                final Alert policyAudit = alerts.stream().filter(a -> "rollback-policy".equals(a.getMonitor())
                        && rollback.value().getCommandId().equals(a.getAttributes().get("commandId")))
                        .findFirst().orElseThrow(() -> new AssertionError("no policy AUDIT for the ROLLBACK; alerts: "
                                + alerts));
                assertThat(policyAudit.getStatus()).isEqualTo(AlertStatus.AUDIT);
                assertThat(policyAudit.getStatistic()).isEqualTo("ROLLBACK");
                final String triggeringId = policyAudit.getAttributes().get("triggeringAlertId");
                final Alert trigger = alerts.stream().filter(a -> a.getAlertId().equals(triggeringId)).findFirst()
                        .orElseThrow(() -> new AssertionError("triggering alert " + triggeringId + " not on alerts"));
                assertThat(trigger.getStatus()).isEqualTo(AlertStatus.FIRING);
                assertThat(trigger.getModelVersion()).isEqualTo("v2");
                assertThat(trigger.getArm()).isEqualTo("CHAMPION");
                assertThat(trigger.getWindowStart()).isNotNull();
                assertThat(trigger.getWindowEnd()).isNotNull();
                assertThat(rollback.value().getIssuedBy()).isEqualTo("rollback-policy");
                assertThat(rollback.value().getReason()).contains(triggeringId);
                // the drift that caused it is the injected one: the triggering window ends after the onset, and no
                // rollback-grade (CRITICAL) alert fired on a window that ended before it
                assertThat(trigger.getWindowEnd()).isAfter(ONSET);
                final List<Alert> preOnsetCritical = alerts.stream().filter(a -> a.getStatus() == AlertStatus.FIRING
                        && a.getWindowEnd() != null && !a.getWindowEnd().isAfter(ONSET)
                        && a.getSeverity() == io.driftguard.avro.Severity.CRITICAL
                        && EVENT_FIELDS.contains(a.getSubject())).toList();
                assertThat(preOnsetCritical).as("CRITICAL input alerts on stationary windows").isEmpty();
                assertThat(EVENT_FIELDS).contains(trigger.getSubject());

                // Measured: onset to rollback in event time and wall clock
                final Duration eventTimeToTriggerWindowEnd = Duration.between(ONSET, trigger.getWindowEnd());
                final Duration eventTimeToV1 = Duration.between(ONSET, effectiveEventTime);
                final double wallToCommand = (rollbackSeenNanos - onsetPublishedNanos.get()) / 1e9;
                final double wallToApplied = (applied.seenNanos() - onsetPublishedNanos.get()) / 1e9;
                final double loadAverage = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage();
                final String measured = String.format(java.util.Locale.ROOT,
                        "ROLLBACK measured: onset %s; triggering alert %s (%s %s = %.3f vs %.3f, window %s..%s, "
                                + "version %s); event time onset -> end of triggering window %s, onset -> first "
                                + "event scored by v1 again %s; wall clock onset published -> ROLLBACK on "
                                + "model-control %.1f s, -> scorer applied %.1f s (clock x%.0f, window %s, "
                                + "load average %.2f); FIRING alerts: %s; FEATURES_LATE predictions %d of %d",
                        ONSET, triggeringId, trigger.getMonitor(), trigger.getStatistic(), trigger.getValue(),
                        trigger.getThreshold(), trigger.getWindowStart(), trigger.getWindowEnd(),
                        trigger.getModelVersion(), eventTimeToTriggerWindowEnd, eventTimeToV1, wallToCommand,
                        wallToApplied, CLOCK_SPEED, WINDOW, loadAverage, firing, late, watcher.predictions.size());
                LOG.info(measured);
                System.out.println(measured);
                // within two windows of the first fully drifted window, plus the wall-clock delays of three apps
                assertThat(eventTimeToTriggerWindowEnd).isLessThanOrEqualTo(WINDOW.multipliedBy(3));
            }
        } finally {
            stopPublishing.set(true);
            watcher.stop();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Seen<Alert> scorerAudit(final Watcher watcher, final Seen<ModelCommand> rollback) {
        return watcher.alerts.stream().filter(a -> "model-control".equals(a.value().getMonitor())
                        && a.value().getStatus() == AlertStatus.AUDIT && "ROLLBACK".equals(a.value().getStatistic())
                        && rollback.value().getCommandId().equals(a.value().getAttributes().get("commandId")))
                .findFirst().orElse(null);
    }

    /** Event time of the record at {@code offset} of the single-partition events topic (backfill, then live). */
    private static Instant eventTimeAtOffset(final List<Transaction> live, final List<Transaction> backfill,
            final long offset) {
        final int index = (int) (offset - backfill.size());
        return index < 0 ? backfill.get((int) offset).getEventTime()
                : live.get(Math.min(index, live.size() - 1)).getEventTime();
    }

    private PipelineResult train(final String version, final List<Transaction> events, final List<Label> labels,
            final Path registryDir, final boolean promote, final String xgboost) throws Exception {
        final PipelineConfig config = PipelineConfig.parse("""
                featureSet: classpath:features/transactions.yaml
                trainingSet:
                  labelCutoff: %s
                  unlabelled: drop
                  eventFields: %s
                  staleFeatures: missing
                  sliceFields: [channel]
                  amountField: amount
                  amountBucketEdges: [20, 100, 500]
                  partitions: 1
                evaluation: {bootstrapResamples: 0, seed: 17, latencyRows: 50}
                modelName: fraud
                xgboost: %s
                split: {validationFraction: 0.2, testFraction: 0.2}
                calibration: platt
                missingPolicy: {defaultPolicy: IMPUTE}
                gates: [auc min 0.8, auc not_worse_than_champion 0.01]
                compact:
                  goal: catch card fraud before authorisation
                  successMetric: recall at the budgeted precision
                  mistakeBudget: "precision >= 0.2"
                  rollbackPlan: the drift monitor rolls the champion back to the previous known-good version
                """.formatted(LIVE_START, EVENT_FIELDS, xgboost));
        return TrainingPipeline.run(new PipelineRequest(config, DataSource.of(events, labels),
                dir.resolve("train-" + version), registryDir, version, LIVE_START, "test", "test", promote), null);
    }

    private static ProducerRecord<String, Transaction> record(final Transaction t) {
        return new ProducerRecord<>(TOPICS.events(), null, t.getEventTime().toEpochMilli(), t.getCardId(), t);
    }

    private static Properties producerProps() {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return props;
    }

    private DriftguardConfig common(final String applicationId, final Map<String, String> kafka) {
        return new DriftguardConfig(applicationId, "it-1", new KafkaSettings(stack.bootstrapServers(), kafka),
                new SchemaRegistrySettings(stack.schemaRegistryUrl(), null, null),
                new StreamsSettings(dir.resolve("state"), null, Duration.ofMillis(200), null, 1,
                        Duration.ofSeconds(30), null),
                TOPICS, new MetricsSettings("127.0.0.1", 0));
    }

    private static void awaitRunning(final KafkaStreams streams, final String name) {
        await(name + " RUNNING").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(streams.state()).as(name).isNotIn(KafkaStreams.State.ERROR,
                            KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_ERROR);
                    return streams.state() == KafkaStreams.State.RUNNING;
                });
    }

    /** A record as read back, with its offset and the wall-clock instant (nanoTime) it was seen. */
    record Seen<V>(V value, long offset, long seenNanos) {
    }

    /** Reads predictions, alerts and model-control (read_committed) in the background, noting when each arrived. */
    private static final class Watcher implements java.util.concurrent.Callable<Void> {
        final List<Seen<Prediction>> predictions = new CopyOnWriteArrayList<>();
        final List<Seen<Alert>> alerts = new CopyOnWriteArrayList<>();
        final List<Seen<ModelCommand>> commands = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Deserializer<Prediction> predictionSerde;
        private final Deserializer<Alert> alertSerde;
        private final Deserializer<ModelCommand> commandSerde;

        Watcher(final String bootstrap, final SchemaRegistryClient schemas) {
            final Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "rollback-e2e-watcher-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            this.predictionSerde = AvroSerdes.specific(Prediction.class, schemas, false).deserializer();
            this.alertSerde = AvroSerdes.specific(Alert.class, schemas, false).deserializer();
            this.commandSerde = AvroSerdes.specific(ModelCommand.class, schemas, false).deserializer();
        }

        @Override
        public Void call() {
            try {
                consumer.subscribe(List.of(TOPICS.predictions(), TOPICS.alerts(), TOPICS.modelControl()));
                while (!stopped.get()) {
                    for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        final long now = System.nanoTime();
                        if (r.topic().equals(TOPICS.predictions())) {
                            predictions.add(new Seen<>(predictionSerde.deserialize(r.topic(), r.value()), r.offset(),
                                    now));
                        } else if (r.topic().equals(TOPICS.alerts())) {
                            alerts.add(new Seen<>(alertSerde.deserialize(r.topic(), r.value()), r.offset(), now));
                        } else {
                            commands.add(new Seen<>(commandSerde.deserialize(r.topic(), r.value()), r.offset(), now));
                        }
                    }
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
            return null;
        }

        void stop() {
            stopped.set(true);
        }
    }
}
