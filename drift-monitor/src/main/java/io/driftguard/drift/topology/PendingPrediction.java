package io.driftguard.drift.topology;

import io.driftguard.avro.Decision;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * A prediction waiting for its label (store value, keyed by event id). Layout: {@code 'P' | 1 | UTF model key |
 * long eventTimeMs | double score | byte decision}.
 */
record PendingPrediction(String modelKey, long eventTimeMs, double score, Decision decision) {

    static Serde<PendingPrediction> serde() {
        return Bytes2.serde(p -> Bytes2.encode(p, PendingPrediction::write),
                b -> Bytes2.decode(b, PendingPrediction::read, "PendingPrediction"), "PendingPrediction");
    }

    private static void write(final PendingPrediction p, final DataOutputStream out) throws IOException {
        out.writeByte('P');
        out.writeByte(1);
        out.writeUTF(p.modelKey);
        out.writeLong(p.eventTimeMs);
        out.writeDouble(p.score);
        out.writeByte(p.decision.ordinal());
    }

    private static PendingPrediction read(final DataInputStream in) throws IOException {
        if (in.readByte() != 'P' || in.readByte() != 1) {
            throw new IOException("not a version-1 PendingPrediction");
        }
        final String key = in.readUTF();
        final long eventTime = in.readLong();
        final double score = in.readDouble();
        final int decision = in.readByte();
        if (decision < 0 || decision >= Decision.values().length) {
            throw new IOException("bad decision " + decision);
        }
        return new PendingPrediction(key, eventTime, score, Decision.values()[decision]);
    }
}
