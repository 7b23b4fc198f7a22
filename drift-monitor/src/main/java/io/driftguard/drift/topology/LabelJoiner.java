package io.driftguard.drift.topology;

import io.driftguard.avro.Label;
import io.driftguard.avro.Prediction;
import io.driftguard.drift.metrics.DriftMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
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
 * Joins predictions and labels by event id, in either order, within the label horizon. Both inputs are keyed by
 * entity id and co-partitioned, so each side waits in a local store keyed by event id
 * ({@link DriftTopology#PENDING_PREDICTIONS_STORE}, {@link DriftTopology#PENDING_LABELS_STORE}), and a time index
 * ({@link DriftTopology#PENDING_EXPIRY_STORE}: {@code P|<event time>|<event id>} and {@code L|<arrival>|<event id>})
 * lets a stream-time punctuator find, by a range scan that stops at the cut-off, what waited longer than the horizon
 * and drop it (counted and logged). State is bounded by the horizon's traffic. Emits {@link QualityEvent}s keyed by
 * {@link ModelKey}.
 */
final class LabelJoiner implements Processor<String, SpecificRecord, String, QualityEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(LabelJoiner.class);

    private final Duration horizon;
    private final Duration expiryInterval;
    private final DriftMetrics metrics;
    private ProcessorContext<String, QualityEvent> context;
    private KeyValueStore<String, PendingPrediction> predictions;
    private KeyValueStore<String, PendingLabel> labels;
    private KeyValueStore<String, String> expiry;

    LabelJoiner(final Duration horizon, final Duration expiryInterval, final DriftMetrics metrics) {
        this.horizon = horizon;
        this.expiryInterval = expiryInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(final ProcessorContext<String, QualityEvent> context) {
        this.context = context;
        this.predictions = context.getStateStore(DriftTopology.PENDING_PREDICTIONS_STORE);
        this.labels = context.getStateStore(DriftTopology.PENDING_LABELS_STORE);
        this.expiry = context.getStateStore(DriftTopology.PENDING_EXPIRY_STORE);
        context.schedule(expiryInterval, PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        if (record.value() instanceof Prediction p) {
            onPrediction(p, record.timestamp());
        } else if (record.value() instanceof Label l) {
            onLabel(l, record.timestamp());
        } else {
            metrics.skipped("null-value");
            LOG.warn("skipped a record with a null or unknown value (key present: {})", record.key() != null);
        }
    }

    private void onPrediction(final Prediction p, final long timestamp) {
        final ModelKey key = new ModelKey(p.getModelName(), p.getModelVersion(), p.getArm().name());
        final double score = p.getScore() == null ? Double.NaN : p.getScore();
        final long eventTime = p.getEventTime().toEpochMilli();
        final PendingPrediction pending = new PendingPrediction(key.encode(), eventTime, score, p.getDecision());
        context.forward(new Record<>(key.encode(), new QualityEvent(QualityEvent.Kind.PREDICTED, eventTime, score,
                p.getDecision(), -1, 0L), timestamp));
        final PendingLabel label = labels.get(p.getEventId());
        if (label != null) {
            labels.delete(p.getEventId());
            expiry.delete(indexKey('L', label.arrivedAtMs(), p.getEventId()));
            joined(pending, label.label(), label.labelTimeMs(), timestamp);
        } else {
            final PendingPrediction previous = predictions.get(p.getEventId());
            if (previous != null) {
                expiry.delete(indexKey('P', previous.eventTimeMs(), p.getEventId()));
            }
            predictions.put(p.getEventId(), pending);
            expiry.put(indexKey('P', eventTime, p.getEventId()), p.getEventId());
        }
    }

    private void onLabel(final Label l, final long timestamp) {
        if (l.getLabel() != 0 && l.getLabel() != 1) {
            metrics.skipped("label-not-binary");
            LOG.warn("skipped label of event {}: label must be 0 or 1, got {}", l.getEventId(), l.getLabel());
            return;
        }
        final PendingPrediction pending = predictions.get(l.getEventId());
        if (pending != null) {
            predictions.delete(l.getEventId());
            expiry.delete(indexKey('P', pending.eventTimeMs(), l.getEventId()));
            joined(pending, l.getLabel(), l.getLabelTime().toEpochMilli(), timestamp);
        } else {
            final PendingLabel previous = labels.get(l.getEventId());
            if (previous != null) {
                expiry.delete(indexKey('L', previous.arrivedAtMs(), l.getEventId()));
            }
            labels.put(l.getEventId(), new PendingLabel(l.getLabel(), l.getLabelTime().toEpochMilli(), timestamp));
            expiry.put(indexKey('L', timestamp, l.getEventId()), l.getEventId());
        }
    }

    private void joined(final PendingPrediction p, final int label, final long labelTimeMs, final long timestamp) {
        if (labelTimeMs - p.eventTimeMs() > horizon.toMillis()) {
            metrics.skipped("label-after-horizon");
            LOG.info("label for a prediction at {} came {} ms later, after the horizon {}: not joined",
                    p.eventTimeMs(), labelTimeMs - p.eventTimeMs(), horizon);
            return;
        }
        context.forward(new Record<>(p.modelKey(), new QualityEvent(QualityEvent.Kind.LABELED, p.eventTimeMs(),
                p.score(), p.decision(), label, labelTimeMs - p.eventTimeMs()), Math.max(timestamp, p.eventTimeMs())));
    }

    static String indexKey(final char kind, final long timeMs, final String eventId) {
        // Epoch ms before 1970 do not occur in practice; clamp so the zero-padded order stays the time order.
        return kind + "|" + String.format("%019d", Math.max(0L, timeMs)) + "|" + eventId;
    }

    private void expire(final long streamTime) {
        final long cutoff = streamTime - horizon.toMillis();
        if (cutoff <= 0) {
            return;
        }
        final int predictionsDropped = expire('P', cutoff, predictions);
        final int labelsDropped = expire('L', cutoff, labels);
        for (int i = 0; i < predictionsDropped; i++) {
            metrics.skipped("prediction-unlabelled-past-horizon");
        }
        for (int i = 0; i < labelsDropped; i++) {
            metrics.skipped("label-without-prediction");
        }
        if (predictionsDropped > 0 || labelsDropped > 0) {
            LOG.info("label horizon passed: {} predictions without label and {} labels without prediction dropped",
                    predictionsDropped, labelsDropped);
        }
    }

    /** Deletes every entry of one kind indexed before {@code cutoff}; the range scan stops at the cut-off. */
    private int expire(final char kind, final long cutoff, final KeyValueStore<String, ?> pending) {
        final List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiry.range(indexKey(kind, 0L, ""),
                indexKey(kind, cutoff - 1, "\uffff"))) {
            while (it.hasNext()) {
                expired.add(it.next());
            }
        }
        for (final KeyValue<String, String> e : expired) {
            expiry.delete(e.key);
            pending.delete(e.value);
        }
        return expired.size();
    }
}
