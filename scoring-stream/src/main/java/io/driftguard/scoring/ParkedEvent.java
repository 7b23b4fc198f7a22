package io.driftguard.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * An event held back until the task's {@code features} partition reaches its time: the raw record and where it came
 * from, so that scoring it later gives the same prediction, dead letter and audit offsets as scoring it at once.
 * Stored in a change-logged store as a small versioned binary form (no Java serialization).
 */
record ParkedEvent(String topic, int partition, long offset, long timestamp, long eventTimeMs, long parkedAtWallMs,
    byte[] key, byte[] value) {
  private static final byte FORMAT = 1;

  ParkedEvent {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
  }

  /** Store key: the source offset, zero-padded so the store's byte order is arrival order. */
  static String storeKey(final long offset) {
    return String.format("%020d", offset);
  }

  byte[] toBytes() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + value.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(timestamp);
      out.writeLong(eventTimeMs);
      out.writeLong(parkedAtWallMs);
      out.writeInt(key == null ? -1 : key.length);
      if (key != null) {
        out.write(key);
      }
      out.writeInt(value.length);
      out.write(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ParkedEvent fromBytes(final byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      final byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("parked event in unknown format " + format);
      }
      final String topic = in.readUTF();
      final int partition = in.readInt();
      final long offset = in.readLong();
      final long timestamp = in.readLong();
      final long eventTime = in.readLong();
      final long parkedAt = in.readLong();
      final int keyLength = in.readInt();
      final byte[] key = keyLength < 0 ? null : in.readNBytes(keyLength);
      final byte[] value = in.readNBytes(in.readInt());
      return new ParkedEvent(topic, partition, offset, timestamp, eventTime, parkedAt, key, value);
    } catch (IOException e) {
      throw new IllegalStateException("parked event record is truncated", e);
    }
  }
}
