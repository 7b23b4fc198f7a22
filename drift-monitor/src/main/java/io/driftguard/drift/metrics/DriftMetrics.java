package io.driftguard.drift.metrics;

import io.driftguard.avro.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter of drift-monitor, in one binder. Gauges hold the last value set; they appear once first set (before or
 * after {@link #bindTo}). Names and tags are listed in docs/monitoring.md.
 *
 * <ul>
 *   <li>{@value #STATISTIC}: a drift statistic of the last closed window, tags model_name, model_version, arm,
 *       feature (a feature name, or {@code score} / {@code confidence} / {@code prediction}) and statistic;</li>
 *   <li>{@value #WINDOW_PREDICTIONS}: predictions in the last closed window (volume);</li>
 *   <li>{@value #QUALITY}: label arrival and realized / expected quality, tags model_name, model_version, arm,
 *       feature ({@code labels}) and statistic;</li>
 *   <li>{@value #ALERTS}, {@value #SKIPPED}, {@value #POLICY_DECISIONS}, {@value #ROLLBACK_REQUESTS}: counters.</li>
 * </ul>
 */
public final class DriftMetrics implements MeterBinder {

    public static final String STATISTIC = "driftguard.drift.statistic";
    public static final String WINDOW_PREDICTIONS = "driftguard.drift.window.predictions";
    public static final String QUALITY = "driftguard.quality.statistic";
    public static final String ALERTS = "driftguard.drift.alerts";
    public static final String SKIPPED = "driftguard.drift.records.skipped";
    public static final String POLICY_DECISIONS = "driftguard.drift.rollback.decisions";
    public static final String ROLLBACK_REQUESTS = "driftguard.drift.rollback.requests";

    private record GaugeKey(String name, Tags tags) {
    }

    /** A settable gauge value. */
    private static final class Value {
        private volatile double value;
    }

    private final Map<GaugeKey, Value> gauges = new ConcurrentHashMap<>();
    private final Map<GaugeKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<GaugeKey, Long> pendingCounts = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new ArrayList<>();

    @Override
    public synchronized void bindTo(final MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registries.add(registry);
        gauges.forEach((key, value) -> register(registry, key, value));
        pendingCounts.forEach((key, count) -> counter(registry, key).increment(count));
    }

    /** A drift statistic of the last closed window. */
    public void statistic(final String modelName, final String modelVersion, final String arm, final String feature,
            final String statistic, final double value) {
        set(STATISTIC, Tags.of("model_name", modelName, "model_version", modelVersion, "arm", arm, "feature",
                feature, "statistic", statistic), value);
    }

    /** Predictions in the last closed window. */
    public void windowPredictions(final String modelName, final String modelVersion, final String arm,
            final long count) {
        set(WINDOW_PREDICTIONS, Tags.of("model_name", modelName, "model_version", modelVersion, "arm", arm), count);
    }

    /** A label-arrival or quality statistic. */
    public void quality(final String modelName, final String modelVersion, final String arm, final String statistic,
            final double value) {
        set(QUALITY, Tags.of("model_name", modelName, "model_version", modelVersion, "arm", arm, "feature", "labels",
                "statistic", statistic), value);
    }

    /** The last value of a gauge, or NaN if never set (for tests and the docs). */
    public double gaugeValue(final String name, final Tags tags) {
        final Value v = gauges.get(new GaugeKey(name, tags));
        return v == null ? Double.NaN : v.value;
    }

    public void alertEmitted(final Alert alert) {
        count(ALERTS, Tags.of("monitor", alert.getMonitor(), "statistic", alert.getStatistic(), "status",
                alert.getStatus().name(), "severity", alert.getSeverity().name()));
    }

    /** A record not used, with why (every skip is also logged). */
    public void skipped(final String reason) {
        count(SKIPPED, Tags.of("reason", reason));
    }

    public void policyDecision(final String outcome) {
        count(POLICY_DECISIONS, Tags.of("outcome", outcome));
    }

    public void rollbackRequest(final String outcome) {
        count(ROLLBACK_REQUESTS, Tags.of("outcome", outcome));
    }

    private void set(final String name, final Tags tags, final double value) {
        final GaugeKey key = new GaugeKey(name, tags);
        Value holder = gauges.get(key);
        if (holder == null) {
            synchronized (this) {
                holder = gauges.get(key);
                if (holder == null) {
                    holder = new Value();
                    gauges.put(key, holder);
                    for (final MeterRegistry registry : registries) {
                        register(registry, key, holder);
                    }
                }
            }
        }
        holder.value = value;
    }

    private synchronized void count(final String name, final Tags tags) {
        final GaugeKey key = new GaugeKey(name, tags);
        if (registries.isEmpty()) {
            pendingCounts.merge(key, 1L, Long::sum);
            return;
        }
        for (final MeterRegistry registry : registries) {
            counter(registry, key).increment();
        }
    }

    private static Counter counter(final MeterRegistry registry, final GaugeKey key) {
        return Counter.builder(key.name()).tags(key.tags()).description(description(key.name())).register(registry);
    }

    private static void register(final MeterRegistry registry, final GaugeKey key, final Value holder) {
        Gauge.builder(key.name(), holder, h -> h.value).tags(key.tags()).description(description(key.name()))
                .register(registry);
    }

    private static String description(final String name) {
        return switch (name) {
            case STATISTIC -> "Drift statistic of the last closed window against the model version's reference"
                    + " (ks and chi2 are p-values; rates are shares)";
            case WINDOW_PREDICTIONS -> "Predictions in the last closed window";
            case QUALITY -> "Label arrival and realized or expected (CBPE) model quality";
            case ALERTS -> "Alerts emitted by drift-monitor";
            case SKIPPED -> "Records drift-monitor did not use, by reason";
            case POLICY_DECISIONS -> "Rollback policy decisions on FIRING alerts, by outcome";
            case ROLLBACK_REQUESTS -> "POST /rollback requests, by outcome";
            default -> throw new IllegalArgumentException("unknown meter " + name);
        };
    }
}
