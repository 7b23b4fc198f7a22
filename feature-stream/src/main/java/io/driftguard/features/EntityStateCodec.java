package io.driftguard.features;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of {@link EntityState} for a state store. Layout (version 1): version byte, the first 8 bytes of
 * the feature-set hash, zig-zag varlong newestEventTime, varlong nextSeq, varint slot count, varint row count, rows
 * (zig-zag varlong delta of timestamp from the previous row, varlong seq, presence bitmap, 8 bytes per present value),
 * then per slot a presence byte and an optional tail (timestamp, seq, value as fixed longs).
 *
 * <p>State written under another feature-set hash is refused with {@link IncompatibleStateException}: its slots mean
 * other things, so reading it would silently compute wrong features.
 */
final class EntityStateCodec {
  private static final byte VERSION = 1;
  private final long fingerprint;
  private final int slots;

  EntityStateCodec(final FeatureSet set) {
    this.fingerprint = Long.parseUnsignedLong(set.hash().substring(0, 16), 16);
    this.slots = set.features().size();
  }

  /** Thrown when stored state was written by another feature-set definition or format. */
  static final class IncompatibleStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IncompatibleStateException(final String message) {
      super(message);
    }
  }

  byte[] encode(final EntityState state) {
    final int bitmapBytes = (slots + 7) / 8;
    final Writer out = new Writer(40 + state.rows().size() * (20 + bitmapBytes + slots * 8) + slots * 25);
    out.writeByte(VERSION);
    out.writeLong(fingerprint);
    out.writeVarLong(zigzag(state.newestEventTime()));
    out.writeVarLong(state.nextSeq());
    out.writeVarLong(slots);
    out.writeVarLong(state.rows().size());
    long previous = 0;
    for (final EntityState.Row row : state.rows()) {
      out.writeVarLong(zigzag(row.timestamp - previous));
      previous = row.timestamp;
      out.writeVarLong(row.seq);
      for (int b = 0; b < bitmapBytes; b++) {
        int bits = 0;
        for (int i = b * 8; i < Math.min(slots, b * 8 + 8); i++) {
          if (row.present[i]) {
            bits |= 1 << (i & 7);
          }
        }
        out.writeByte(bits);
      }
      for (int i = 0; i < slots; i++) {
        if (row.present[i]) {
          out.writeLong(row.values[i]);
        }
      }
    }
    for (final EntityState.Row.Tail tail : state.tails()) {
      out.writeByte(tail == null ? 0 : 1);
      if (tail != null) {
        out.writeLong(tail.timestamp());
        out.writeLong(tail.seq());
        out.writeLong(tail.value());
      }
    }
    return out.toByteArray();
  }

  EntityState decode(final byte[] data) {
    try {
      final ByteBuffer in = ByteBuffer.wrap(data);
      final byte version = in.get();
      if (version != VERSION) {
        throw new IncompatibleStateException("entity state format version " + version + " is not " + VERSION);
      }
      final long fp = in.getLong();
      if (fp != fingerprint) {
        throw new IncompatibleStateException("entity state was written by another feature-set definition (hash prefix "
            + Long.toHexString(fp) + ", expected " + Long.toHexString(fingerprint) + ")");
      }
      final long newest = unzigzag(readVarLong(in));
      final long nextSeq = readVarLong(in);
      final int storedSlots = (int) readVarLong(in);
      if (storedSlots != slots) {
        throw new IncompatibleStateException("entity state has " + storedSlots + " slots, expected " + slots);
      }
      final int rowCount = (int) readVarLong(in);
      if (rowCount < 0 || rowCount > in.remaining()) {
        throw new IncompatibleStateException("entity state claims " + rowCount + " rows in " + data.length + " bytes");
      }
      final List<EntityState.Row> rows = new ArrayList<>(rowCount);
      long previous = 0;
      final int bitmapBytes = (slots + 7) / 8;
      for (int r = 0; r < rowCount; r++) {
        final long ts = previous + unzigzag(readVarLong(in));
        previous = ts;
        final long seq = readVarLong(in);
        final boolean[] present = new boolean[slots];
        for (int b = 0; b < bitmapBytes; b++) {
          final int bits = in.get();
          for (int i = b * 8; i < Math.min(slots, b * 8 + 8); i++) {
            present[i] = (bits & (1 << (i & 7))) != 0;
          }
        }
        final long[] values = new long[slots];
        for (int i = 0; i < slots; i++) {
          if (present[i]) {
            values[i] = in.getLong();
          }
        }
        rows.add(new EntityState.Row(ts, seq, present, values));
      }
      final List<EntityState.Row.Tail> tails = new ArrayList<>(slots);
      for (int i = 0; i < slots; i++) {
        tails.add(in.get() != 0 ? new EntityState.Row.Tail(in.getLong(), in.getLong(), in.getLong()) : null);
      }
      if (in.hasRemaining()) {
        throw new IncompatibleStateException("entity state has " + in.remaining() + " trailing bytes");
      }
      return new EntityState(newest, nextSeq, rows, tails);
    } catch (final BufferUnderflowException e) {
      throw new IncompatibleStateException("entity state is truncated (" + data.length + " bytes)");
    }
  }

  /** Reads only the header's newest event time, for cheap idle expiry scans. */
  long newestEventTime(final byte[] data) {
    try {
      final ByteBuffer in = ByteBuffer.wrap(data);
      if (in.get() != VERSION || in.getLong() != fingerprint) {
        throw new IncompatibleStateException("entity state was written by another format or feature-set definition");
      }
      return unzigzag(readVarLong(in));
    } catch (final BufferUnderflowException e) {
      throw new IncompatibleStateException("entity state is truncated (" + data.length + " bytes)");
    }
  }

  /** A growable big-endian byte writer; unsynchronized, unlike ByteArrayOutputStream. */
  private static final class Writer {
    private byte[] buf;
    private int pos;

    Writer(final int capacity) {
      this.buf = new byte[capacity];
    }

    private void ensure(final int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void writeByte(final int b) {
      ensure(1);
      buf[pos++] = (byte) b;
    }

    void writeLong(final long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[pos++] = (byte) (v >>> shift);
      }
    }

    void writeVarLong(final long value) {
      ensure(10);
      long v = value;
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, pos);
    }
  }

  private static long zigzag(final long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(final long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static long readVarLong(final ByteBuffer in) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      final int b = in.get() & 0xFF;
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IncompatibleStateException("entity state holds a varlong longer than 10 bytes");
  }
}
