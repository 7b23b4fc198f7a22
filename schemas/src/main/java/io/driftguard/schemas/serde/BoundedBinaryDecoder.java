package io.driftguard.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding over a byte array that refuses any length or count larger than the bytes left. Avro's own
 * {@code BinaryDecoder} allocates whatever a length prefix claims (up to 2 GB), so one corrupt record could exhaust
 * the heap of a stream thread; here it becomes an {@link AvroRuntimeException} instead.
 */
final class BoundedBinaryDecoder extends Decoder {
  private final byte[] buf;
  private final int limit;
  private int pos;

  BoundedBinaryDecoder(final byte[] buf, final int offset, final int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  int remaining() {
    return limit - pos;
  }

  private void require(final long n, final String what) throws EOFException {
    if (n < 0) {
      throw new AvroRuntimeException("Malformed data: negative " + what + " " + n);
    }
    if (n > limit - pos) {
      throw new EOFException("Truncated data: " + what + " " + n + " but only " + (limit - pos) + " bytes left");
    }
  }

  @Override
  public void readNull() {
    // A null takes no bytes.
  }

  @Override
  public boolean readBoolean() throws IOException {
    require(1, "boolean");
    final int b = buf[pos++];
    if (b != 0 && b != 1) {
      throw new AvroRuntimeException("Malformed data: boolean byte " + b);
    }
    return b == 1;
  }

  @Override
  public int readInt() throws IOException {
    final long value = readLong();
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new AvroRuntimeException("Malformed data: int out of range " + value);
    }
    return (int) value;
  }

  @Override
  public long readLong() throws IOException {
    long raw = 0;
    int shift = 0;
    while (true) {
      require(1, "varint byte");
      final int b = buf[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 63) {
        throw new AvroRuntimeException("Malformed data: varint longer than 10 bytes");
      }
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  @Override
  public float readFloat() throws IOException {
    require(4, "float");
    final int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
        | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  @Override
  public double readDouble() throws IOException {
    require(8, "double");
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = (bits << 8) | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  @Override
  public Utf8 readString(final Utf8 old) throws IOException {
    final long length = readLong();
    require(length, "string length");
    final Utf8 result = old != null ? old : new Utf8();
    result.setByteLength((int) length);
    System.arraycopy(buf, pos, result.getBytes(), 0, (int) length);
    pos += (int) length;
    return result;
  }

  @Override
  public String readString() throws IOException {
    final long length = readLong();
    require(length, "string length");
    final String value = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
    pos += (int) length;
    return value;
  }

  @Override
  public void skipString() throws IOException {
    skipBytes();
  }

  @Override
  public ByteBuffer readBytes(final ByteBuffer old) throws IOException {
    final long length = readLong();
    require(length, "bytes length");
    final ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate((int) length);
    result.clear();
    result.put(buf, pos, (int) length);
    result.flip();
    pos += (int) length;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    final long length = readLong();
    require(length, "bytes length");
    pos += (int) length;
  }

  @Override
  public void readFixed(final byte[] bytes, final int start, final int length) throws IOException {
    require(length, "fixed size");
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(final int length) throws IOException {
    require(length, "fixed size");
    pos += length;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public long readArrayStart() throws IOException {
    return blockCount("array");
  }

  @Override
  public long arrayNext() throws IOException {
    return blockCount("array");
  }

  @Override
  public long skipArray() throws IOException {
    return skipBlocks();
  }

  @Override
  public long readMapStart() throws IOException {
    return blockCount("map");
  }

  @Override
  public long mapNext() throws IOException {
    return blockCount("map");
  }

  @Override
  public long skipMap() throws IOException {
    return skipBlocks();
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }

  private long blockCount(final String what) throws IOException {
    long count = readLong();
    if (count < 0) {
      // A negative count is followed by the block's size in bytes.
      count = -count;
      final long size = readLong();
      require(size, what + " block size");
    }
    // Every encoded item takes at least one byte except null; more items than bytes left means corruption.
    if (count > Math.max(remaining(), 0) && count > 0) {
      require(count, what + " item count");
    }
    return count;
  }

  private long skipBlocks() throws IOException {
    while (true) {
      final long count = readLong();
      if (count >= 0) {
        return count;
      }
      final long size = readLong();
      require(size, "block size");
      pos += (int) size;
    }
  }
}
