package io.driftguard.drift.topology;

import io.driftguard.avro.Decision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the label join tells the quality monitor, re-keyed by {@link ModelKey}: a prediction was made (PREDICTED), or
 * its label arrived (LABELED, with the label and the delay).
 *
 * <p>Layout: {@code 'Q' | 1 | byte kind | long eventTimeMs | double score (NaN = abstained) | byte decision ordinal |
 * byte label (-1 none) | long delayMs}.
 *
 * @param score calibrated score; NaN when the model abstained
 * @param label 0/1 for LABELED, -1 for PREDICTED
 * @param delayMs labelTime - eventTime for LABELED, 0 otherwise
 */
record QualityEvent(Kind kind, long eventTimeMs, double score, Decision decision, int label, long delayMs) {

    enum Kind { PREDICTED, LABELED }

    QualityEvent {
        if (kind == null || decision == null) {
            throw new IllegalArgumentException("kind and decision: must not be null");
        }
    }

    static Serde<QualityEvent> serde() {
        return Bytes2.serde(e -> Bytes2.encode(e, QualityEvent::write), b -> Bytes2.decode(b, QualityEvent::read,
                "QualityEvent"), "QualityEvent");
    }

    private static void write(final QualityEvent e, final DataOutputStream out) throws IOException {
        out.writeByte('Q');
        out.writeByte(1);
        out.writeByte(e.kind.ordinal());
        out.writeLong(e.eventTimeMs);
        out.writeDouble(e.score);
        out.writeByte(e.decision.ordinal());
        out.writeByte(e.label);
        out.writeLong(e.delayMs);
    }

    private static QualityEvent read(final DataInputStream in) throws IOException {
        if (in.readByte() != 'Q' || in.readByte() != 1) {
            throw new IOException("not a version-1 QualityEvent");
        }
        final int kind = in.readByte();
        final long eventTime = in.readLong();
        final double score = in.readDouble();
        final int decision = in.readByte();
        final int label = in.readByte();
        final long delay = in.readLong();
        if (kind < 0 || kind >= Kind.values().length || decision < 0 || decision >= Decision.values().length) {
            throw new IOException("bad kind " + kind + " or decision " + decision);
        }
        return new QualityEvent(Kind.values()[kind], eventTime, score, Decision.values()[decision], label, delay);
    }
}
