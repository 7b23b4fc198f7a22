package io.driftguard.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    try {
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + state.rows().size() * (slots * 8 + 16));
      final DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeLong(fingerprint);
      writeVarLong(out, zigzag(state.newestEventTime()));
      writeVarLong(out, state.nextSeq());
      writeVarLong(out, slots);
      writeVarLong(out, state.rows().size());
      long previous = 0;
      final byte[] bitmap = new byte[(slots + 7) / 8];
      for (final EntityState.Row row : state.rows()) {
        writeVarLong(out, zigzag(row.timestamp - previous));
        previous = row.timestamp;
        writeVarLong(out, row.seq);
        java.util.Arrays.fill(bitmap, (byte) 0);
        for (int i = 0; i < slots; i++) {
          if (row.present[i]) {
            bitmap[i >> 3] |= (byte) (1 << (i & 7));
          }
        }
        out.write(bitmap);
        for (int i = 0; i < slots; i++) {
          if (row.present[i]) {
            out.writeLong(row.values[i]);
          }
        }
      }
      for (final EntityState.Row.Tail tail : state.tails()) {
        out.writeBoolean(tail != null);
        if (tail != null) {
          out.writeLong(tail.timestamp());
          out.writeLong(tail.seq());
          out.writeLong(tail.value());
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (final IOException e) {
      throw new UncheckedIOException("in-memory write failed", e);
    }
  }

  EntityState decode(final byte[] data) {
    try {
      final DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      final byte version = in.readByte();
      if (version != VERSION) {
        throw new IncompatibleStateException("entity state format version " + version + " is not " + VERSION);
      }
      final long fp = in.readLong();
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
      final List<EntityState.Row> rows = new ArrayList<>(rowCount);
      long previous = 0;
      final byte[] bitmap = new byte[(slots + 7) / 8];
      for (int r = 0; r < rowCount; r++) {
        final long ts = previous + unzigzag(readVarLong(in));
        previous = ts;
        final long seq = readVarLong(in);
        in.readFully(bitmap);
        final boolean[] present = new boolean[slots];
        final long[] values = new long[slots];
        for (int i = 0; i < slots; i++) {
          present[i] = (bitmap[i >> 3] & (1 << (i & 7))) != 0;
          if (present[i]) {
            values[i] = in.readLong();
          }
        }
        rows.add(new EntityState.Row(ts, seq, present, values));
      }
      final List<EntityState.Row.Tail> tails = new ArrayList<>(slots);
      for (int i = 0; i < slots; i++) {
        tails.add(in.readBoolean() ? new EntityState.Row.Tail(in.readLong(), in.readLong(), in.readLong()) : null);
      }
      if (in.available() > 0) {
        throw new IncompatibleStateException("entity state has " + in.available() + " trailing bytes");
      }
      return new EntityState(newest, nextSeq, rows, tails);
    } catch (final IOException e) {
      throw new IncompatibleStateException("entity state is truncated: " + e);
    }
  }

  /** Reads only the header's newest event time, for cheap idle expiry scans. */
  long newestEventTime(final byte[] data) {
    try {
      final DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      if (in.readByte() != VERSION || in.readLong() != fingerprint) {
        throw new IncompatibleStateException("entity state was written by another format or feature-set definition");
      }
      return unzigzag(readVarLong(in));
    } catch (final IOException e) {
      throw new IncompatibleStateException("entity state is truncated: " + e);
    }
  }

  private static long zigzag(final long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(final long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void writeVarLong(final DataOutputStream out, final long value) throws IOException {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(final DataInputStream in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      final int b = in.readUnsignedByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("varlong longer than 10 bytes");
  }
}
