package io.driftguard.drift.topology;

import io.driftguard.avro.Alert;
import io.driftguard.avro.AlertStatus;
import io.driftguard.avro.Label;
import io.driftguard.avro.ModelCommand;
import io.driftguard.avro.Prediction;
import io.driftguard.drift.alerting.HysteresisState;
import io.driftguard.drift.config.DriftMonitorConfig;
import io.driftguard.drift.metrics.DriftMetrics;
import io.driftguard.drift.policy.RollbackPolicy;
import io.driftguard.platform.topics.TopicSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift-monitor topology.
 *
 * <p>Inputs (keys are entity ids, both topics co-partitioned):
 * <ul>
 *   <li>{@code predictions}: String key, Avro {@link Prediction} (Confluent wire format); event time =
 *       {@code Prediction.eventTime};</li>
 *   <li>{@code labels}: String key, Avro {@link Label}; event time = {@code Label.labelTime}.</li>
 * </ul>
 * Outputs:
 * <ul>
 *   <li>{@code alerts}: String key {@code monitor/subject}, Avro {@link Alert}: FIRING / RESOLVED verdicts of every
 *       monitor (feature-drift, null-rate, prediction-drift, freshness, fallback, volume, label-arrival) and AUDIT
 *       records of the rollback policy;</li>
 *   <li>{@code model-control}: String key model name, Avro {@link ModelCommand} (ROLLBACK for the champion, CLEAR for
 *       the canary) from the rollback policy.</li>
 * </ul>
 * Internal topics: {@code <app>-drift-by-model-repartition}, {@code <app>-drift-quality-by-model-repartition} and
 * {@code <app>-drift-alerts-by-model-repartition}.
 *
 * <p>Stores:
 * <ul>
 *   <li>{@value #WINDOW_STORE}: window store, {@code arm|version|model} to {@link WindowAggregate}; retention =
 *       window size + grace;</li>
 *   <li>{@value #HYSTERESIS_STORE} and {@value #LABEL_HYSTERESIS_STORE}: {@code AlertKey.id()} to
 *       {@link HysteresisState};</li>
 *   <li>{@value #PENDING_PREDICTIONS_STORE} / {@value #PENDING_LABELS_STORE}: event id to the side of the label join
 *       that waits, for at most the label horizon; {@value #PENDING_EXPIRY_STORE}: their time index for expiry;</li>
 *   <li>{@value #COHORT_STORE}: {@code model key@window start} to {@link Cohort}, until a label horizon after the
 *       cohort's window ends;</li>
 *   <li>{@value #COOLDOWN_STORE}: {@code model|arm} to the epoch ms of the last rollback-policy action.</li>
 * </ul>
 */
public final class DriftTopology {

    public static final String WINDOW_STORE = "drift-window-store";
    public static final String HYSTERESIS_STORE = "drift-hysteresis-store";
    public static final String LABEL_HYSTERESIS_STORE = "drift-label-hysteresis-store";
    public static final String PENDING_PREDICTIONS_STORE = "drift-pending-predictions-store";
    public static final String PENDING_LABELS_STORE = "drift-pending-labels-store";
    public static final String PENDING_EXPIRY_STORE = "drift-pending-expiry-store";
    public static final String COHORT_STORE = "drift-cohort-store";
    public static final String COOLDOWN_STORE = "drift-rollback-cooldown-store";

    private static final Logger LOG = LoggerFactory.getLogger(DriftTopology.class);

    private DriftTopology() {
    }

    /** The topics the topology reads and writes. */
    public record Topics(TopicSpec<String, Prediction> predictions, TopicSpec<String, Label> labels,
            TopicSpec<String, Alert> alerts, TopicSpec<String, ModelCommand> modelControl) {
        public Topics {
            if (predictions == null || labels == null || alerts == null || modelControl == null) {
                throw new IllegalArgumentException("predictions, labels, alerts and modelControl: must not be null");
            }
        }

        public static Topics of(final io.driftguard.platform.topics.TopicSpecs specs) {
            return new Topics(specs.predictions(), specs.labels(), specs.alerts(), specs.modelControl());
        }
    }

    /** The topology with the default properties (no optimizations). */
    public static Topology build(final DriftMonitorConfig config, final Topics topics,
            final ModelReferences references, final RollbackPolicy policy, final DriftMetrics metrics) {
        return build(config, topics, references, policy, metrics, new Properties());
    }

    /**
     * @param references reference profiles per version (from the model registry)
     * @param policy the rollback policy; a policy without rules only alerts
     * @param props the Streams properties the topology is built with (so optimizations apply)
     */
    public static Topology build(final DriftMonitorConfig config, final Topics topics,
            final ModelReferences references, final RollbackPolicy policy, final DriftMetrics metrics,
            final Properties props) {
        final StreamsBuilder builder = new StreamsBuilder();
        final TimestampExtractor predictionTime = (record, partitionTime) ->
                record.value() instanceof Prediction p ? p.getEventTime().toEpochMilli() : partitionTime;
        final TimestampExtractor labelTime = (record, partitionTime) ->
                record.value() instanceof Label l ? l.getLabelTime().toEpochMilli() : partitionTime;
        final KStream<String, Prediction> predictions = builder.stream(topics.predictions().name(),
                topics.predictions().consumed("drift-predictions-source").withTimestampExtractor(predictionTime));
        final KStream<String, Label> labels = builder.stream(topics.labels().name(),
                topics.labels().consumed("drift-labels-source").withTimestampExtractor(labelTime));

        final KStream<String, Alert> windowAlerts = windowMonitors(config, topics, references, metrics, predictions,
                builder);
        final KStream<String, Alert> labelAlerts = labelMonitors(config, metrics, predictions, labels, builder);
        final KStream<String, Alert> alerts = windowAlerts.merge(labelAlerts, Named.as("drift-alerts-merge"));
        alerts.to(topics.alerts().name(), topics.alerts().produced("drift-alerts-sink"));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COOLDOWN_STORE),
                Serdes.String(), Serdes.Long()));
        final Map<String, KStream<String, SpecificRecord>> decided = alerts
                .filter((k, a) -> a != null && a.getStatus() == AlertStatus.FIRING && a.getModelName() != null,
                        Named.as("drift-firing-alerts"))
                .selectKey((k, a) -> a.getModelName(), Named.as("drift-alerts-key-by-model"))
                .repartition(Repartitioned.<String, Alert>as("drift-alerts-by-model")
                        .withKeySerde(Serdes.String()).withValueSerde(topics.alerts().valueSerde()))
                .process(() -> new PolicyEnforcer(policy, metrics), Named.as("drift-rollback-policy"), COOLDOWN_STORE)
                .split(Named.as("drift-policy-"))
                .branch((k, v) -> v instanceof ModelCommand, Branched.as("commands"))
                .defaultBranch(Branched.as("audits"));
        decided.get("drift-policy-commands")
                .mapValues(v -> (ModelCommand) v, Named.as("drift-policy-as-command"))
                .to(topics.modelControl().name(), topics.modelControl().produced("drift-model-control-sink"));
        decided.get("drift-policy-audits")
                .mapValues(v -> (Alert) v, Named.as("drift-policy-as-audit"))
                .to(topics.alerts().name(), topics.alerts().produced("drift-audit-alerts-sink"));
        return builder.build(props);
    }

    private static KStream<String, Alert> windowMonitors(final DriftMonitorConfig config, final Topics topics,
            final ModelReferences references, final DriftMetrics metrics,
            final KStream<String, Prediction> predictions, final StreamsBuilder builder) {
        TimeWindows windows = TimeWindows.ofSizeAndGrace(config.windowSize(), config.grace());
        if (config.windowAdvance() != null) {
            windows = windows.advanceBy(config.windowAdvance());
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HYSTERESIS_STORE),
                Serdes.String(), HysteresisState.serde()));
        return predictions
                .filter((k, p) -> {
                    if (p == null) {
                        metrics.skipped("null-value");
                        LOG.warn("skipped a prediction record with a null value");
                        return false;
                    }
                    return true;
                }, Named.as("drift-predictions-present"))
                .groupBy((k, p) -> new ModelKey(p.getModelName(), p.getModelVersion(), p.getArm().name()).encode(),
                        Grouped.with("drift-by-model", Serdes.String(), topics.predictions().valueSerde()))
                .windowedBy(windows)
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(WindowAggregate::new, (key, prediction, aggregate) -> {
                    final Optional<ModelReference> reference = references.find(prediction.getModelName(),
                            prediction.getModelVersion());
                    if (reference.isEmpty()) {
                        metrics.skipped("no-reference-profile");
                    }
                    final int untracked = aggregate.withCodes(reference).add(prediction, reference);
                    for (int i = 0; i < untracked; i++) {
                        metrics.skipped("feature-limit");
                    }
                    return aggregate;
                }, Named.as("drift-window-agg"),
                        Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(WindowAggregate.serde())
                                .withRetention(config.windowSize().plus(config.grace())))
                .toStream(Named.as("drift-window-closed"))
                .process(() -> new WindowEvaluator(config, references, metrics), Named.as("drift-window-evaluate"),
                        HYSTERESIS_STORE);
    }

    private static KStream<String, Alert> labelMonitors(final DriftMonitorConfig config, final DriftMetrics metrics,
            final KStream<String, Prediction> predictions, final KStream<String, Label> labels,
            final StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_PREDICTIONS_STORE),
                Serdes.String(), PendingPrediction.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_LABELS_STORE),
                Serdes.String(), PendingLabel.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_EXPIRY_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COHORT_STORE),
                Serdes.String(), Cohort.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LABEL_HYSTERESIS_STORE),
                Serdes.String(), HysteresisState.serde()));
        final Duration expiry = config.windowSize().compareTo(config.labelHorizon()) < 0 ? config.windowSize()
                : config.labelHorizon();
        final KStream<String, SpecificRecord> both = predictions
                .mapValues(p -> (SpecificRecord) p, Named.as("drift-predictions-for-labels"))
                .merge(labels.mapValues(l -> (SpecificRecord) l, Named.as("drift-labels-for-join")),
                        Named.as("drift-label-join-merge"));
        return both
                .process(() -> new LabelJoiner(config.labelHorizon(), expiry, metrics), Named.as("drift-label-join"),
                        PENDING_PREDICTIONS_STORE, PENDING_LABELS_STORE, PENDING_EXPIRY_STORE)
                .repartition(Repartitioned.<String, QualityEvent>as("drift-quality-by-model")
                        .withKeySerde(Serdes.String()).withValueSerde(QualityEvent.serde()))
                .process(() -> new CohortMonitor(config, metrics), Named.as("drift-label-quality"), COHORT_STORE,
                        LABEL_HYSTERESIS_STORE);
    }
}
