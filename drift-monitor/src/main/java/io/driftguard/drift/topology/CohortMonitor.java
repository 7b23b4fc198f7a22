package io.driftguard.drift.topology;

import io.driftguard.avro.Alert;
import io.driftguard.drift.alerting.AlertHysteresis;
import io.driftguard.drift.alerting.AlertKey;
import io.driftguard.drift.alerting.HysteresisState;
import io.driftguard.drift.alerting.Transition;
import io.driftguard.drift.alerting.WindowVerdict;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.stats.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Label arrival and delayed quality per cohort (the predictions of one model key in one tumbling event-time window of
 * {@code windowSize}), in {@link DriftTopology#COHORT_STORE}. On every stream-time tick of {@code windowSize}:
 * <ul>
 *   <li>over every closed, open cohort it compares the labels that arrived since the previous tick with the labels
 *       the expected curve says should have arrived in that interval ({@code n * (curve(age) - curve(age -
 *       interval))} per cohort); that arrival-rate ratio is the {@value #STALLED} check, run through its hysteresis
 *       ({@link DriftTopology#LABEL_HYSTERESIS_STORE}). It also publishes the cumulative coverage ratio (labels so far
 *       / labels expected by now) and CBPE expected precision / recall;</li>
 *   <li>a cohort whose end is a label horizon old is final: its coverage, delay p50 / p95, missing labels and
 *       realized precision, recall, ROC-AUC, log loss and calibration error are published, and it is deleted.</li>
 * </ul>
 */
final class CohortMonitor implements Processor<String, QualityEvent, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(CohortMonitor.class);
    static final String MONITOR = "label-arrival";
    static final String SUBJECT = "labels";
    static final String STALLED = "LABEL_ARRIVAL_STALLED";

    private final DriftMonitorConfig config;
    private final DriftMetrics metrics;
    private final AlertHysteresis hysteresis;
    private final NavigableMap<Long, Double> curve;
    private final long size;
    private final long horizon;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Cohort> cohorts;
    private KeyValueStore<String, HysteresisState> states;
    private long lastTick = Long.MIN_VALUE;

    CohortMonitor(final DriftMonitorConfig config, final DriftMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.hysteresis = new AlertHysteresis(config.hysteresis());
        this.curve = config.labelCurve();
        this.size = config.windowSize().toMillis();
        this.horizon = config.labelHorizon().toMillis();
    }

    @Override
    public void init(final ProcessorContext<String, Alert> context) {
        this.context = context;
        this.cohorts = context.getStateStore(DriftTopology.COHORT_STORE);
        this.states = context.getStateStore(DriftTopology.LABEL_HYSTERESIS_STORE);
        context.schedule(config.windowSize(), PunctuationType.STREAM_TIME, this::tick);
    }

    static String cohortKey(final String modelKey, final long windowStartMs) {
        // zero-padded start, so a range scan visits a model key's cohorts in time order
        return modelKey + '@' + String.format("%020d", windowStartMs);
    }

    @Override
    public void process(final Record<String, QualityEvent> record) {
        final QualityEvent e = record.value();
        final long start = Math.floorDiv(e.eventTimeMs(), size) * size;
        if (start + size + horizon <= lastTick) {
            metrics.skipped(e.kind() == QualityEvent.Kind.PREDICTED ? "prediction-cohort-final" : "label-cohort-final");
            LOG.debug("quality event for a final cohort starting {} skipped", start);
            return;
        }
        final String key = cohortKey(record.key(), start);
        final Cohort cohort = Optional.ofNullable(cohorts.get(key)).orElseGet(Cohort::new);
        if (e.kind() == QualityEvent.Kind.PREDICTED) {
            cohort.onPredicted(e);
        } else {
            cohort.onLabeled(e);
        }
        cohorts.put(key, cohort);
    }

    /** Sums over a model key's open, closed cohorts. */
    private static final class Pending {
        final Cohort total = new Cohort();
        double expectedLabels;
        long receivedLabels;
        double expectedInInterval;
        long receivedInInterval;
    }

    private void tick(final long streamTime) {
        lastTick = streamTime;
        final Map<String, Pending> pending = new LinkedHashMap<>();
        final List<KeyValue<String, Cohort>> finals = new ArrayList<>();
        final List<String> finalKeys = new ArrayList<>();
        final List<KeyValue<String, Cohort>> checked = new ArrayList<>();
        try (KeyValueIterator<String, Cohort> it = cohorts.all()) {
            while (it.hasNext()) {
                final KeyValue<String, Cohort> e = it.next();
                final int at = e.key.lastIndexOf('@');
                final String modelKey = e.key.substring(0, at);
                final long end = Long.parseLong(e.key.substring(at + 1)) + size;
                if (end > streamTime) {
                    continue; // still collecting predictions
                }
                if (end + horizon <= streamTime) {
                    finals.add(KeyValue.pair(modelKey, e.value));
                    finalKeys.add(e.key);
                    continue;
                }
                final Pending p = pending.computeIfAbsent(modelKey, k -> new Pending());
                final long age = streamTime - end;
                final double now = DriftMonitorConfig.expectedCoverage(curve, age);
                final double before = DriftMonitorConfig.expectedCoverage(curve, age - size);
                p.expectedLabels += e.value.predictions * now;
                p.receivedLabels += e.value.labelled;
                p.expectedInInterval += e.value.predictions * (now - before);
                p.receivedInInterval += e.value.labelled - e.value.labelledAtLastCheck;
                add(p.total, e.value);
                e.value.labelledAtLastCheck = e.value.labelled;
                checked.add(KeyValue.pair(e.key, e.value));
            }
        }
        finalKeys.forEach(cohorts::delete);
        checked.forEach(kv -> cohorts.put(kv.key, kv.value));
        for (final KeyValue<String, Cohort> f : finals) {
            publishFinal(ModelKey.decode(f.key), f.value);
        }
        for (final Map.Entry<String, Pending> e : pending.entrySet()) {
            evaluatePending(ModelKey.decode(e.getKey()), e.getValue(), streamTime);
        }
    }

    private void publishFinal(final ModelKey k, final Cohort c) {
        quality(k, "coverage", c.coverage());
        quality(k, "delay_p50_seconds", c.delayQuantileMs(0.5) / 1000.0);
        quality(k, "delay_p95_seconds", c.delayQuantileMs(0.95) / 1000.0);
        quality(k, "missing_labels", c.predictions - c.labelled);
        quality(k, "precision", c.precision());
        quality(k, "recall", c.recall());
        quality(k, "roc_auc", c.rocAuc());
        quality(k, "log_loss", c.logLoss());
        quality(k, "calibration_error", c.calibrationError());
        quality(k, "labelled", c.labelled);
    }

    private void evaluatePending(final ModelKey k, final Pending p, final long streamTime) {
        quality(k, "precision_expected", p.total.expectedPrecision());
        quality(k, "recall_expected", p.total.expectedRecall());
        if (p.expectedLabels > 0) {
            quality(k, "coverage_vs_expected", p.receivedLabels / p.expectedLabels);
        }
        final double ratio = p.expectedInInterval > 0 ? p.receivedInInterval / p.expectedInInterval : Double.NaN;
        if (!Double.isNaN(ratio)) {
            quality(k, "arrival_rate_vs_expected", ratio);
        }
        final Level level;
        if (p.expectedInInterval < config.minExpectedLabels()) {
            level = Level.INSUFFICIENT_DATA;
        } else {
            level = ratio < config.labelStallRatio() ? Level.WARNING : Level.CLEAN;
        }
        final AlertKey key = new AlertKey(MONITOR, SUBJECT, STALLED, k.modelName(), k.modelVersion(), k.arm());
        final HysteresisState before = Optional.ofNullable(states.get(key.id())).orElse(HysteresisState.INITIAL);
        final Transition t = hysteresis.apply(before, new WindowVerdict(key, Instant.ofEpochMilli(streamTime - size),
                Instant.ofEpochMilli(streamTime), level, ratio, config.labelStallRatio()),
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (t.ignoredReason().isPresent()) {
            return;
        }
        if (!t.state().equals(before)) {
            states.put(key.id(), t.state());
        }
        t.alert().ifPresent(alert -> {
            metrics.alertEmitted(alert);
            context.forward(new Record<>(MONITOR + "/" + SUBJECT, alert, streamTime));
        });
    }

    private void quality(final ModelKey k, final String statistic, final double value) {
        if (!Double.isNaN(value)) {
            metrics.quality(k.modelName(), k.modelVersion(), k.arm(), statistic, value);
        }
    }

    /** Adds the CBPE-relevant counts of {@code c} into {@code total}. */
    private static void add(final Cohort total, final Cohort c) {
        total.predictions += c.predictions;
        total.labelled += c.labelled;
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn += c.fn;
        total.scoreSumPositiveDecision += c.scoreSumPositiveDecision;
        total.positiveDecisions += c.positiveDecisions;
        total.scoreSumNegativeDecision += c.scoreSumNegativeDecision;
        total.labelledScoreSumPositiveDecision += c.labelledScoreSumPositiveDecision;
        total.labelledPositiveDecisions += c.labelledPositiveDecisions;
        total.labelledScoreSumNegativeDecision += c.labelledScoreSumNegativeDecision;
    }
}
