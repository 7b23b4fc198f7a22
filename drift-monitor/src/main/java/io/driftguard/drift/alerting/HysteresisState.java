package io.driftguard.drift.alerting;

import io.driftguard.avro.Severity;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The state of one alert key's hysteresis: immutable, with a small explicit byte encoding for a state store.
 *
 * <p>Layout (big-endian): magic {@code 'H'}, version byte 1, byte firing (0/1), byte severity ordinal (-1 when not
 * firing), int breach streak, int critical streak, int clean streak, long last window end (epoch ms, Long.MIN_VALUE
 * when none), long firing since (epoch ms, Long.MIN_VALUE when not firing), int L, L UTF-8 bytes of the firing alert
 * id (L = 0 when not firing): 36 bytes plus the id (72 with a UUID).
 *
 * @param firing whether an alert is currently firing
 * @param severity the firing severity; null when not firing
 * @param breachStreak consecutive breaching windows (WARNING or CRITICAL)
 * @param criticalStreak consecutive CRITICAL windows
 * @param cleanStreak consecutive clean windows
 * @param lastWindowEndMs end of the last window applied; Long.MIN_VALUE when none
 * @param firingSinceMs end of the window that raised the alert; Long.MIN_VALUE when not firing
 * @param firingAlertId id of the FIRING alert that raised it; empty when not firing
 */
public record HysteresisState(boolean firing, Severity severity, int breachStreak, int criticalStreak,
        int cleanStreak, long lastWindowEndMs, long firingSinceMs, String firingAlertId) {

    /** The state before any window. */
    public static final HysteresisState INITIAL = new HysteresisState(false, null, 0, 0, 0, Long.MIN_VALUE,
            Long.MIN_VALUE, "");

    private static final byte MAGIC = 'H';
    private static final byte VERSION = 1;

    public HysteresisState {
        if (firing && severity == null) {
            throw new IllegalArgumentException("severity: must be set while firing");
        }
        if (!firing && severity != null) {
            throw new IllegalArgumentException("severity: must be null when not firing");
        }
        if (breachStreak < 0 || criticalStreak < 0 || cleanStreak < 0) {
            throw new IllegalArgumentException("streaks: must be >= 0");
        }
        if (criticalStreak > breachStreak) {
            throw new IllegalArgumentException("criticalStreak: must be <= breachStreak");
        }
        if (firingAlertId == null) {
            throw new IllegalArgumentException("firingAlertId: must not be null (empty when not firing)");
        }
    }

    /** Kafka serde over {@link #toBytes()} / {@link #fromBytes(byte[])}. */
    public static org.apache.kafka.common.serialization.Serde<HysteresisState> serde() {
        return io.driftguard.drift.stats.StateSerdes.of(HysteresisState::toBytes, HysteresisState::fromBytes,
                "HysteresisState");
    }

    HysteresisState withLastWindowEnd(final long windowEndMs) {
        return new HysteresisState(firing, severity, breachStreak, criticalStreak, cleanStreak, windowEndMs,
                firingSinceMs, firingAlertId);
    }

    public byte[] toBytes() {
        final byte[] id = firingAlertId.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + 12 + 16 + 4 + id.length);
        buffer.put(MAGIC).put(VERSION).put((byte) (firing ? 1 : 0))
                .put((byte) (severity == null ? -1 : severity.ordinal()))
                .putInt(breachStreak).putInt(criticalStreak).putInt(cleanStreak)
                .putLong(lastWindowEndMs).putLong(firingSinceMs).putInt(id.length).put(id);
        return buffer.array();
    }

    public static HysteresisState fromBytes(final byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: must not be null");
        }
        try {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            if (buffer.get() != MAGIC || buffer.get() != VERSION) {
                throw new IllegalArgumentException("bytes: not a HysteresisState v" + VERSION);
            }
            final boolean firing = buffer.get() == 1;
            final byte ordinal = buffer.get();
            if (ordinal < -1 || ordinal >= Severity.values().length) {
                throw new IllegalArgumentException("bytes: severity ordinal " + ordinal + " out of range");
            }
            final Severity severity = ordinal == -1 ? null : Severity.values()[ordinal];
            final int breach = buffer.getInt();
            final int critical = buffer.getInt();
            final int clean = buffer.getInt();
            final long last = buffer.getLong();
            final long since = buffer.getLong();
            final int length = buffer.getInt();
            if (length < 0 || length != buffer.remaining()) {
                throw new IllegalArgumentException("bytes: alert id length " + length + " but " + buffer.remaining()
                        + " bytes remain");
            }
            final byte[] id = new byte[length];
            buffer.get(id);
            return new HysteresisState(firing, severity, breach, critical, clean, last, since,
                    new String(id, StandardCharsets.UTF_8));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bytes: truncated HysteresisState (" + bytes.length + " bytes)", e);
        }
    }
}
