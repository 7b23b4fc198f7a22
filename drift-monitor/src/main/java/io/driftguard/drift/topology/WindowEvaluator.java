package io.driftguard.drift.topology;

import io.driftguard.avro.Alert;
import io.driftguard.drift.alerting.AlertHysteresis;
import io.driftguard.drift.alerting.AlertKey;
import io.driftguard.drift.alerting.HysteresisState;
import io.driftguard.drift.alerting.Transition;
import io.driftguard.drift.alerting.WindowVerdict;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.stats.DriftEvaluator;
import io.driftguard.drift.stats.DriftThresholds;
import io.driftguard.drift.stats.Level;
import io.driftguard.drift.stats.NumericReference;
import io.driftguard.drift.stats.NumericWindowState;
import io.driftguard.drift.stats.Statistic;
import io.driftguard.drift.stats.StatisticVerdict;
import io.driftguard.drift.stats.Threshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grades one closed window: every statistic of every feature, the score and the confidence, the stale and fallback
 * rates and the volume; publishes them as gauges, runs each through its hysteresis (state in
 * {@link DriftTopology#HYSTERESIS_STORE}) and forwards the alerts, keyed {@code monitor/subject}.
 */
final class WindowEvaluator implements Processor<Windowed<String>, WindowAggregate, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(WindowEvaluator.class);

    static final String FEATURE_DRIFT = "feature-drift";
    static final String NULL_RATE = "null-rate";
    static final String PREDICTION_DRIFT = "prediction-drift";
    static final String FRESHNESS = "freshness";
    static final String FALLBACK = "fallback";
    static final String VOLUME = "volume";
    static final String PREDICTION = "prediction";

    private final DriftMonitorConfig config;
    private final ModelReferences references;
    private final DriftMetrics metrics;
    private final AlertHysteresis hysteresis;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, HysteresisState> states;

    WindowEvaluator(final DriftMonitorConfig config, final ModelReferences references, final DriftMetrics metrics) {
        this.config = config;
        this.references = references;
        this.metrics = metrics;
        this.hysteresis = new AlertHysteresis(config.hysteresis());
    }

    @Override
    public void init(final ProcessorContext<String, Alert> context) {
        this.context = context;
        this.states = context.getStateStore(DriftTopology.HYSTERESIS_STORE);
    }

    /** One graded subject of a window. */
    private record Graded(String monitor, String subject, String statistic, Level level, double value,
            double threshold) {
    }

    @Override
    public void process(final Record<Windowed<String>, WindowAggregate> record) {
        final ModelKey key = ModelKey.decode(record.key().key());
        final WindowAggregate window = record.value();
        final Instant start = record.key().window().startTime();
        final Instant end = record.key().window().endTime();
        final Optional<ModelReference> reference = references.find(key.modelName(), key.modelVersion());
        metrics.windowPredictions(key.modelName(), key.modelVersion(), key.arm(), window.predictions);
        final List<Graded> graded = new ArrayList<>();
        reference.ifPresent(ref -> grade(ref, window, graded));
        final long minSample = config.minSampleSize();
        for (final Map.Entry<String, WindowAggregate.FeatureState> e : window.features.entrySet()) {
            final WindowAggregate.FeatureState s = e.getValue();
            graded.add(rate(FRESHNESS, e.getKey(), "stale_rate", s.stale, s.observations,
                    config.staleRateWarning(), minSample));
        }
        graded.add(rate(FALLBACK, PREDICTION, "fallback_rate", window.fallbacks, window.predictions,
                config.fallbackRateWarning(), minSample));
        if (config.minWindowVolume() > 0) {
            final Threshold below = Threshold.below(config.minWindowVolume());
            graded.add(new Graded(VOLUME, PREDICTION, "volume", below.levelOf(window.predictions),
                    window.predictions, config.minWindowVolume()));
        }
        final long now = context.currentSystemTimeMs();
        for (final Graded g : graded) {
            if (!Double.isNaN(g.value())) {
                metrics.statistic(key.modelName(), key.modelVersion(), key.arm(), g.subject(), g.statistic(),
                        g.value());
            }
            final AlertKey alertKey = new AlertKey(g.monitor(), g.subject(), g.statistic(), key.modelName(),
                    key.modelVersion(), key.arm());
            final HysteresisState before = Optional.ofNullable(states.get(alertKey.id()))
                    .orElse(HysteresisState.INITIAL);
            final Transition t = hysteresis.apply(before,
                    new WindowVerdict(alertKey, start, end, g.level(), g.value(), g.threshold()),
                    Instant.ofEpochMilli(now));
            if (t.ignoredReason().isPresent()) {
                LOG.warn("window verdict for {} ignored: {}", alertKey.id(), t.ignoredReason().get());
                metrics.skipped("window-replayed");
                continue;
            }
            if (!t.state().equals(before)) {
                states.put(alertKey.id(), t.state());
            }
            t.alert().ifPresent(alert -> {
                metrics.alertEmitted(alert);
                context.forward(new Record<>(alert.getMonitor() + "/" + alert.getSubject(), alert, record.timestamp()));
            });
        }
    }

    private void grade(final ModelReference ref, final WindowAggregate window, final List<Graded> out) {
        final DriftThresholds base = config.thresholds();
        for (final Map.Entry<String, WindowAggregate.FeatureState> e : window.features.entrySet()) {
            final String feature = e.getKey();
            final WindowAggregate.FeatureState s = e.getValue();
            final DriftEvaluator evaluator = new DriftEvaluator(ref.thresholdsFor(feature, base));
            final List<StatisticVerdict> verdicts;
            if (s.numeric != null && ref.numeric().containsKey(feature)) {
                verdicts = evaluator.evaluate(ref.numeric().get(feature), s.numeric);
            } else if (s.categorical != null && ref.categorical().containsKey(feature)) {
                verdicts = evaluator.evaluate(ref.categorical().get(feature).reference(), s.categorical);
            } else {
                continue;
            }
            for (final StatisticVerdict v : verdicts) {
                out.add(new Graded(v.statistic() == Statistic.NULL_RATE_DIFF ? NULL_RATE : FEATURE_DRIFT, feature,
                        v.statistic().alertName(), v.level(), v.value(), v.threshold()));
            }
        }
        gradePrediction(ModelReference.SCORE, ref.score(), window.score, ref.thresholdsFor(ModelReference.SCORE,
                base), out);
        ref.confidence().ifPresent(c -> gradePrediction(ModelReference.CONFIDENCE, c, window.confidence,
                ref.thresholdsFor(ModelReference.CONFIDENCE, base), out));
    }

    private static void gradePrediction(final String subject, final NumericReference reference,
            final NumericWindowState state, final DriftThresholds thresholds, final List<Graded> out) {
        if (state == null) {
            return;
        }
        for (final StatisticVerdict v : new DriftEvaluator(thresholds).evaluate(reference, state)) {
            // Abstentions are the scorer's business (fallback rate), not a drift of the score distribution.
            if (v.statistic() != Statistic.NULL_RATE_DIFF) {
                out.add(new Graded(PREDICTION_DRIFT, subject, v.statistic().alertName(), v.level(), v.value(),
                        v.threshold()));
            }
        }
    }

    private static Graded rate(final String monitor, final String subject, final String statistic, final long hits,
            final long total, final double warning, final long minSample) {
        if (total < minSample) {
            return new Graded(monitor, subject, statistic, Level.INSUFFICIENT_DATA,
                    total == 0 ? Double.NaN : (double) hits / total, warning);
        }
        final double rate = (double) hits / total;
        return new Graded(monitor, subject, statistic, rate >= warning && warning > 0 ? Level.WARNING : Level.CLEAN,
                rate, warning);
    }
}
