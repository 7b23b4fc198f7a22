package io.driftguard.schemas.serde;

/** Confluent's framing: byte 0 is the magic byte 0x00, bytes 1-4 the big-endian schema id, then Avro binary. */
final class WireFormat {
  static final byte MAGIC_BYTE = 0x0;
  static final int HEADER_SIZE = 5;

  private WireFormat() {
  }

  static String describe() {
    return "expected the Confluent wire format: magic byte 0x00, a 4-byte schema id, then Avro binary";
  }

  static int readId(final byte[] bytes) {
    return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
  }

  static void writeHeader(final java.io.ByteArrayOutputStream out, final int id) {
    out.write(MAGIC_BYTE);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
  }
}
