package io.driftguard.drift.topology;

import io.driftguard.avro.Prediction;
import io.driftguard.avro.UsedFeature;
import io.driftguard.drift.stats.CategoricalWindowState;
import io.driftguard.drift.stats.NumericReference;
import io.driftguard.drift.stats.NumericWindowState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * Everything one event-time window keeps for one (model, version, arm): counts, and one fixed-size state per feature
 * plus the score and confidence states. Its size depends on the model's feature count, never on traffic.
 *
 * <p>Layout: {@code 'A' | 2 | long predictions | long abstained | long fallbacks | long unreferenced |
 * long featuresLate | int F |
 * F x (UTF name | byte kind N/C/O | long observations | long stale | [int L, L bytes state]) | byte hasScore |
 * [blob score] | byte hasConfidence | [blob confidence]}. Version 1 (no {@code featuresLate}) is still read.
 */
final class WindowAggregate {

    /** More distinct feature names than this in one window are not tracked (a model has far fewer inputs). */
    static final int MAX_FEATURES = 1000;
    /** scoring-stream's reason code for an event scored before its task's features reached its time. */
    static final String FEATURES_LATE = "FEATURES_LATE";

    static final class FeatureState {
        long observations;
        long stale;
        NumericWindowState numeric;
        CategoricalWindowState categorical;
        ModelReference.CategoricalFeature codes;
    }

    long predictions;
    long abstained;
    long fallbacks;
    /**
     * Predictions scored before their features caught up (scoring-stream's {@code FEATURES_LATE}): counted, left out
     * of every distribution. Their inputs describe a lagging pipeline, not the data, and during a catch-up they would
     * shift the windowed count features enough to raise drift alerts (and roll a model back) on stationary traffic.
     */
    long featuresLate;
    /** Predictions whose version had no reference profile: counted, no drift statistics. */
    long unreferenced;
    final Map<String, FeatureState> features = new TreeMap<>();
    NumericWindowState score;
    NumericWindowState confidence;

    /** Adds one prediction (mutating, as a Streams aggregator may). Returns how many features were not tracked. */
    int add(final Prediction prediction, final Optional<ModelReference> reference) {
        predictions++;
        if (prediction.getFallbackReason() != null) {
            fallbacks++;
        }
        if (reference.isEmpty()) {
            unreferenced++;
        }
        final Double s = prediction.getScore();
        if (s == null) {
            abstained++;
        }
        if (prediction.getReasonCodes().contains(FEATURES_LATE)) {
            featuresLate++;
            return 0;
        }
        reference.ifPresent(ref -> {
            if (score == null) {
                score = NumericWindowState.empty(ref.score().bins());
            }
            score.update(s);
            ref.confidence().ifPresent(c -> {
                if (confidence == null) {
                    confidence = NumericWindowState.empty(c.bins());
                }
                confidence.update(prediction.getConfidence());
            });
        });
        int untracked = 0;
        for (final UsedFeature used : prediction.getFeatures()) {
            FeatureState state = features.get(used.getName());
            if (state == null) {
                if (features.size() >= MAX_FEATURES) {
                    untracked++;
                    continue;
                }
                state = newState(used.getName(), reference);
                features.put(used.getName(), state);
            }
            state.observations++;
            if (used.getStale()) {
                state.stale++;
            }
            // An imputed value is not what the source sent: for drift and null rate it counts as missing.
            final Double value = used.getImputed() ? null : used.getValue();
            if (state.numeric != null) {
                state.numeric.update(value);
            } else if (state.categorical != null && state.codes != null) {
                state.categorical.update(state.codes.category(value));
            }
        }
        return untracked;
    }

    private static FeatureState newState(final String name, final Optional<ModelReference> reference) {
        final FeatureState state = new FeatureState();
        if (reference.isPresent()) {
            final NumericReference numeric = reference.get().numeric().get(name);
            final ModelReference.CategoricalFeature categorical = reference.get().categorical().get(name);
            if (numeric != null) {
                state.numeric = NumericWindowState.empty(numeric.bins());
            } else if (categorical != null) {
                state.categorical = CategoricalWindowState.empty(categorical.reference());
                state.codes = categorical;
            }
        }
        return state;
    }

    /** Re-attaches the category codes after decoding (they live in the reference, not in the bytes). */
    WindowAggregate withCodes(final Optional<ModelReference> reference) {
        reference.ifPresent(ref -> features.forEach((name, state) -> {
            if (state.categorical != null) {
                state.codes = ref.categorical().get(name);
                if (state.codes == null || !state.codes.reference().categories().equals(state.categorical
                        .categories())) {
                    state.categorical = null; // the reference changed under the window: stop tracking it
                }
            }
        }));
        return this;
    }

    byte[] toBytes() {
        return Bytes2.encode(this, WindowAggregate::write);
    }

    static WindowAggregate fromBytes(final byte[] bytes) {
        return Bytes2.decode(bytes, WindowAggregate::read, "WindowAggregate");
    }

    static Serde<WindowAggregate> serde() {
        return Bytes2.memoizingSerde(WindowAggregate::toBytes, WindowAggregate::fromBytes, "WindowAggregate");
    }

    private static void write(final WindowAggregate a, final DataOutputStream out) throws IOException {
        out.writeByte('A');
        out.writeByte(2);
        out.writeLong(a.predictions);
        out.writeLong(a.abstained);
        out.writeLong(a.fallbacks);
        out.writeLong(a.unreferenced);
        out.writeLong(a.featuresLate);
        out.writeInt(a.features.size());
        for (final Map.Entry<String, FeatureState> e : a.features.entrySet()) {
            final FeatureState s = e.getValue();
            out.writeUTF(e.getKey());
            out.writeByte(s.numeric != null ? 'N' : s.categorical != null ? 'C' : 'O');
            out.writeLong(s.observations);
            out.writeLong(s.stale);
            if (s.numeric != null) {
                Bytes2.writeBlob(out, s.numeric.toBytes());
            } else if (s.categorical != null) {
                Bytes2.writeBlob(out, s.categorical.toBytes());
            }
        }
        out.writeBoolean(a.score != null);
        if (a.score != null) {
            Bytes2.writeBlob(out, a.score.toBytes());
        }
        out.writeBoolean(a.confidence != null);
        if (a.confidence != null) {
            Bytes2.writeBlob(out, a.confidence.toBytes());
        }
    }

    private static WindowAggregate read(final DataInputStream in) throws IOException {
        final byte magic = in.readByte();
        final byte version = in.readByte();
        if (magic != 'A' || version < 1 || version > 2) {
            throw new IOException("not a version-1 or -2 WindowAggregate");
        }
        final WindowAggregate a = new WindowAggregate();
        a.predictions = in.readLong();
        a.abstained = in.readLong();
        a.fallbacks = in.readLong();
        a.unreferenced = in.readLong();
        a.featuresLate = version >= 2 ? in.readLong() : 0;
        final int count = in.readInt();
        if (count < 0 || count > MAX_FEATURES) {
            throw new IOException("bad feature count " + count);
        }
        for (int i = 0; i < count; i++) {
            final String name = in.readUTF();
            final byte kind = in.readByte();
            final FeatureState s = new FeatureState();
            s.observations = in.readLong();
            s.stale = in.readLong();
            switch (kind) {
                case 'N' -> s.numeric = NumericWindowState.fromBytes(Bytes2.readBlob(in));
                case 'C' -> s.categorical = CategoricalWindowState.fromBytes(Bytes2.readBlob(in));
                case 'O' -> { }
                default -> throw new IOException("bad feature kind " + kind);
            }
            a.features.put(name, s);
        }
        if (in.readBoolean()) {
            a.score = NumericWindowState.fromBytes(Bytes2.readBlob(in));
        }
        if (in.readBoolean()) {
            a.confidence = NumericWindowState.fromBytes(Bytes2.readBlob(in));
        }
        return a;
    }
}
