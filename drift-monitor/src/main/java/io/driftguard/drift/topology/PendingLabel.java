package io.driftguard.drift.topology;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * A label that arrived before its prediction (store value, keyed by event id). Layout: {@code 'L' | 1 | byte label |
 * long labelTimeMs | long arrivedAtMs}.
 *
 * @param arrivedAtMs the label record's timestamp: it expires a label horizon after it
 */
record PendingLabel(int label, long labelTimeMs, long arrivedAtMs) {

    static Serde<PendingLabel> serde() {
        return Bytes2.serde(p -> Bytes2.encode(p, PendingLabel::write),
                b -> Bytes2.decode(b, PendingLabel::read, "PendingLabel"), "PendingLabel");
    }

    private static void write(final PendingLabel p, final DataOutputStream out) throws IOException {
        out.writeByte('L');
        out.writeByte(1);
        out.writeByte(p.label);
        out.writeLong(p.labelTimeMs);
        out.writeLong(p.arrivedAtMs);
    }

    private static PendingLabel read(final DataInputStream in) throws IOException {
        if (in.readByte() != 'L' || in.readByte() != 1) {
            throw new IOException("not a version-1 PendingLabel");
        }
        return new PendingLabel(in.readByte(), in.readLong(), in.readLong());
    }
}
